// The decision endpoint: services that hold resources (an object store, an
// internal API) ask iamd "may this caller do this?" over JSON.
//
//   POST /iamd/v1/authorize      (contract: README, "The decision endpoint")
//
// The resource server signs its own call with SigV4 (credential scope
// service "iamd") and needs iamd:Authorize in its policies. It names the
// principal either by ARN (it authenticated the caller itself) or by handing
// over the client's signed request as it received it, which iamd verifies
// (any service scope; long-term or temporary credentials). iamd fills the
// global condition keys it knows (aws:PrincipalArn, aws:userid,
// aws:PrincipalTag/..., aws:CurrentTime, aws:MultiFactorAuthPresent...) and
// takes the others from the request's "context" (aws:SourceIp and
// aws:SecureTransport as passed). A resource-based policy may come with the
// question; a malformed one is an error that names the problem, never an
// allow. Every decision is written to the audit trail.
//
// Thread-safety: Handle() may run on many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/audit/audit_log.h"
#include "api/http/http_types.h"
#include "api/server/store_watcher.h"
#include "auth/sigv4.h"
#include "service/authz/authorizer.h"
#include "service/caller.h"
#include "store/store.h"

namespace iam::api {

class AuthorizeEndpoint {
 public:
  // Resolves a signature's access key to its secret and fills the caller
  // (the same lookup as the IAM/STS API's).
  using Lookup = std::function<Result<auth::SecretRef>(const auth::SigV4Auth&, service::Caller*)>;

  // `watcher`, when not null, refuses decisions once this node's view is
  // too stale (see StoreWatcher).
  AuthorizeEndpoint(store::Store& store, service::Authorizer& authorizer, Lookup lookup, AuditLog* audit,
                    const StoreWatcher* watcher = nullptr);

  // True for the paths this endpoint serves.
  static bool Serves(std::string_view path) { return path.substr(0, 6) == "/iamd/"; }

  // Answers one request. Never throws.
  http::HttpResponse Handle(const http::HttpRequest& request, const std::string& request_id);

 private:
  // The caller a principal_arn names, cached per store generation so that a
  // decision needs no store read; while the database is unreachable the
  // last one known serves (static stability).
  Result<service::Caller> Principal(const std::string& arn);

  store::Store& store_;
  service::Authorizer& authorizer_;
  Lookup lookup_;
  AuditLog* audit_;
  const StoreWatcher* watcher_;
  std::mutex principals_mu_;
  std::unordered_map<std::string, std::pair<int64_t, service::Caller>> principals_;
  auth::SigV4Verifier self_verifier_;       // the resource server: scope service "iamd"
  auth::SigV4Verifier forwarded_verifier_;  // its clients: any service
};

}  // namespace iam::api
