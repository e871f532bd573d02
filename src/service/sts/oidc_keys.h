// Where iamd finds an OpenID Connect provider's signing keys (its JWKS)
// without reaching the internet: a folder the operator fills, given to
// `iamd serve --oidc-jwks-dir DIR`. The keys of the provider registered as
// https://HOST/PATH are the file DIR/HOST/PATH/jwks.json (the document the
// provider publishes at its jwks_uri, copied as is). The file is read on
// every AssumeRoleWithWebIdentity, so rotating a provider's keys is replacing
// its file; nothing is cached.
#pragma once

#include <string>
#include <string_view>

#include "auth/jwt.h"
#include "iamd/status.h"

namespace iam::service::sts {

// The path of the JWKS file of `provider_url` (with or without https://)
// under `dir`. kIdpCommunicationError when no folder is configured or the
// URL would leave it ("..", empty segments).
Result<std::string> JwksPath(std::string_view dir, std::string_view provider_url);

// The provider's keys. kIdpCommunicationError (AWS's answer when it cannot
// fetch them) when the file is missing, unreadable or not a usable JWKS.
Result<auth::JsonWebKeySet> LoadProviderKeys(std::string_view dir, std::string_view provider_url);

}  // namespace iam::service::sts
