// SAML 2.0 for AssumeRoleWithSAML and CreateSAMLProvider: reading an
// identity provider's metadata (its entity id and signing certificates), and
// verifying a base64 <samlp:Response> signed by that provider (XML-DSig with
// xmlsec over OpenSSL).
//
// Signature wrapping is ruled out by construction: the Response must hold
// exactly one <saml:Assertion>, every ID in the document must be unique, and
// the accepted signature is an enveloped one, child of that Assertion or of
// the Response, whose single Reference names its parent's ID. What is read
// afterwards is that same Assertion element.
//
// Thread-safe: each call parses its own document; xmlsec is initialized once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iamd/status.h"

namespace iam::auth {

struct SamlMetadata {
  std::string entity_id;                      // EntityDescriptor/@entityID
  std::vector<std::string> certificates_der;  // signing certificates of the IdP
  std::optional<int64_t> valid_until;         // EntityDescriptor/@validUntil
};

// ParseSamlMetadata reads an <md:EntityDescriptor> with an
// <md:IDPSSODescriptor> and at least one signing certificate
// (KeyDescriptor without use, or use="signing"). kInvalidInput with a reason
// otherwise (AWS's CreateSAMLProvider answers InvalidInput).
Result<SamlMetadata> ParseSamlMetadata(std::string_view xml);

// AWS's SAML endpoint: the Recipient and an accepted Audience of assertions
// for AWS. iamd accepts the same values, so IdPs configured for AWS work as is.
inline constexpr char kAwsSamlEndpoint[] = "https://signin.aws.amazon.com/saml";
inline constexpr char kAwsSamlAudienceUrn[] = "urn:amazon:webservices";

struct SamlExpectations {
  const SamlMetadata* metadata = nullptr;  // the provider registered in IAM
  int64_t now = 0;
  int64_t leeway_seconds = 300;  // clock skew tolerated on NotBefore / NotOnOrAfter
};

struct SamlAssertion {
  std::string issuer;
  std::string subject;       // NameID
  std::string subject_type;  // "persistent", "transient", or the full Format URI
  std::string audience;      // the accepted Audience
  std::string recipient;     // SubjectConfirmationData/@Recipient
  int64_t not_on_or_after = 0;
  std::vector<std::pair<std::string, std::string>> roles;  // (role ARN, provider ARN)
  std::string role_session_name;
  std::optional<int64_t> session_duration;
  std::map<std::string, std::vector<std::string>> attributes;  // every Attribute by Name
};

// VerifySamlResponse decodes `base64_response`, checks the signature with one
// of the metadata's certificates, then Issuer (= entity id), the time
// conditions, Audience and Recipient, and reads the attributes. Returns:
//   kInvalidIdentityToken  not base64 / XML / a Response with one Assertion,
//                          DTDs, duplicate IDs, unsigned or badly signed,
//                          wrong issuer, audience or recipient, no Role or
//                          RoleSessionName attribute
//   kExpiredIdentityToken  NotOnOrAfter has passed
Result<SamlAssertion> VerifySamlResponse(std::string_view base64_response, const SamlExpectations& expect);

// Attribute names AWS reads.
inline constexpr char kSamlRoleAttribute[] = "https://aws.amazon.com/SAML/Attributes/Role";
inline constexpr char kSamlRoleSessionNameAttribute[] = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
inline constexpr char kSamlSessionDurationAttribute[] = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

}  // namespace iam::auth
