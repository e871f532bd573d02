// The request handler of `iamd serve`: one HTTP request in, AWS's answer
// out. It decodes the form parameters (URL query, and the body of a POST
// with Content-Type application/x-www-form-urlencoded), verifies SigV4 (the
// key's secret from the store, or from the root keys file, unsealed with the
// key ring; inactive keys refused; last use recorded; for temporary
// credentials the secret comes from the sealed session token, which must name
// the signing ASIA key and not have expired by the session clock), resolves
// the caller, and runs the Query protocol: parse and validate against the
// botocore model, authorize (service/authz) and call the IAM service, or call
// the STS service (which authorizes itself), render XML. IAM and STS share
// the endpoint; the credential scope's service picks one. Every error is
// AWS's <ErrorResponse> with a request id; no exception escapes. With a
// StoreWatcher, a node that has not reached its database for too long
// refuses every request with ServiceFailure (503).
//
//   LiveKeyRing ring(store, store.LoadKeyRing().value());
//   ApiHandler api(store, ring, root_keys);
//   HttpServer::Start(options, [&](const http::HttpRequest& r) { return api.Handle(r); });
//
// Thread-safety: Handle() may run on many threads at once.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "api/audit/audit_event.h"
#include "api/audit/audit_log.h"
#include "api/http/http_types.h"
#include "api/server/authorize_endpoint.h"
#include "api/server/key_cache.h"
#include "api/server/live_key_ring.h"
#include "api/server/session_cache.h"
#include "api/server/session_clock.h"
#include "api/server/store_watcher.h"
#include "auth/sigv4.h"
#include "crypto/key_ring.h"
#include "service/authz/authorizer.h"
#include "service/caller.h"
#include "service/iam/iam_service.h"
#include "service/iam/root_keys.h"
#include "service/sts/sts_service.h"
#include "store/store.h"

namespace iam::api {

class ApiHandler {
 public:
  // `audit`, when not null, receives one record per API call and decision;
  // `watcher`, when not null, says whether this node's view is fresh enough.
  ApiHandler(store::Store& store, LiveKeyRing& ring, service::RootKeys& root_keys, SessionClock clock = {},
             AuditLog* audit = nullptr, const StoreWatcher* watcher = nullptr);

  http::HttpResponse Handle(const http::HttpRequest& request);

  // Where AssumeRoleWithWebIdentity finds OIDC providers' keys (see
  // service/sts/oidc_keys.h). Call before serving.
  void SetOidcJwksDir(std::string dir) { sts_.SetOidcJwksDir(std::move(dir)); }

 private:
  // Fills `record` with what it learns (operation, caller, input, outcome).
  http::HttpResponse HandleUnsafe(const http::HttpRequest& request, const std::string& request_id,
                                  AuditRecord& record);
  // The secret for a request's key, filling *caller. InvalidClientTokenId for
  // unknown or inactive keys and unreadable session tokens, ExpiredToken.
  // A long-term key's secret stays sealed, named by its key id and sealed
  // bytes, until the verifier needs it (see auth::SecretRef).
  Result<auth::SecretRef> Lookup(const auth::SigV4Auth& auth, service::Caller* caller);
  // A long-term key's secret from its sealed box.
  Result<auth::SecretKey> Unseal(const std::string& sealed, const std::string& access_key_id);
  // The same for temporary credentials (a session token).
  Result<auth::SecretRef> LookupSession(const auth::SigV4Auth& auth, service::Caller* caller);
  // Records a key's last use, at most once a minute per key and scope.
  void RecordUse(const service::Caller& caller, const auth::SigV4Auth& auth);

  store::Store& store_;
  LiveKeyRing& ring_;
  service::RootKeys& root_keys_;
  SessionClock clock_;
  auth::SigV4Verifier verifier_;
  service::Authorizer authz_;
  service::sts::StsService sts_;
  AuditLog* audit_;
  const StoreWatcher* watcher_;
  AuthorizeEndpoint authorize_;
  KeyCache key_cache_;
  SessionCache session_cache_;  // opened session tokens
  std::mutex used_mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_recorded_;
};

// A fresh request id, formatted as AWS's (8-4-4-4-12 hex).
std::string NewRequestId();

}  // namespace iam::api
