#include "api/server/api_handler.h"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iterator>

#include "api/query/dispatch.h"
#include "api/query/response.h"
#include "api/server/request_view.h"
#include "auth/session_token.h"
#include "service/sts/session_issue.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace iam::api {
namespace {

http::HttpResponse Reply(QueryReply r, const std::string& request_id) {
  http::HttpResponse resp;
  resp.status = r.http_status;
  resp.headers.emplace_back("Content-Type", std::string(kXmlContentType));
  resp.headers.emplace_back("x-amzn-RequestId", request_id);
  resp.body = std::move(r.body);
  return resp;
}

bool IsForm(const http::HttpRequest& request) {
  std::optional<std::string_view> ct = request.Header("Content-Type");
  if (!ct) return true;  // botocore always sends it; be lenient with curl
  std::string_view v = *ct;
  return v.substr(0, 33) == "application/x-www-form-urlencoded";
}

}  // namespace

std::string NewRequestId() {
  // Unique, not secret: a per-thread random seed (one read of the system's
  // randomness per thread) and a counter, each half through splitmix64's
  // finalizer (a bijection, so one thread never repeats an id).
  struct State {
    uint64_t k1 = 0, k2 = 0, counter = 0;
  };
  thread_local State state = [] {
    State s;
    std::string seed = crypto::RandomBytes(16);
    std::memcpy(&s.k1, seed.data(), 8);
    std::memcpy(&s.k2, seed.data() + 8, 8);
    return s;
  }();
  auto mix = [](uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  ++state.counter;
  uint64_t halves[2] = {mix(state.k1 + state.counter), mix(state.k2 ^ state.counter)};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  size_t pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
    id[pos++] = kHex[(halves[i / 16] >> (60 - 4 * (i % 16))) & 0xf];
  }
  return id;
}

ApiHandler::ApiHandler(store::Store& store, LiveKeyRing& ring, service::RootKeys& root_keys, SessionClock clock,
                       AuditLog* audit, const StoreWatcher* watcher)
    : store_(store),
      ring_(ring),
      root_keys_(root_keys),
      clock_(std::move(clock)),
      authz_(store),
      sts_(store, authz_, root_keys),
      audit_(audit),
      watcher_(watcher),
      authorize_(
          store, authz_, [this](const auth::SigV4Auth& a, service::Caller* c) { return Lookup(a, c); }, audit,
          watcher) {}

http::HttpResponse ApiHandler::Handle(const http::HttpRequest& request) {
  std::string request_id = NewRequestId();
  if (AuthorizeEndpoint::Serves(request.Path())) return authorize_.Handle(request, request_id);  // audits itself
  AuditRecord record;
  record.time = std::chrono::system_clock::now();
  record.event_source = "iam.amazonaws.com";
  record.source_ip = request.remote_address;
  record.user_agent = std::string(request.Header("User-Agent").value_or(""));
  record.request_id = request_id;
  http::HttpResponse response;
  try {
    response = HandleUnsafe(request, request_id, record);
  } catch (...) {
    record.error_code = "InternalFailure";
    record.error_message = "internal error";
    response = Reply(QueryError(model::Iam(), AwsErrorFromStatus(Internal("internal error")), request_id), request_id);
  }
  if (audit_ != nullptr) {
    try {
      if (record.event_name.empty()) record.event_name = "Unknown";
      audit_->Append(AuditLine(record));
    } catch (...) {  // an audit failure must not fail the call it records
    }
  }
  return response;
}

Result<auth::SecretRef> ApiHandler::Lookup(const auth::SigV4Auth& auth, service::Caller* caller) {
  const std::string& id = auth.access_key_id;
  Status unknown(StatusCode::kInvalidClientTokenId, std::string(auth::kInvalidClientTokenIdMessage));
  if (!auth.security_token.empty() || id.rfind("ASIA", 0) == 0) return LookupSession(auth, caller);
  caller->access_key_id = id;
  const int64_t generation = store_.Generation();
  std::shared_ptr<const ResolvedKey> hit = key_cache_.Find(id);
  // The secret stays sealed: named by key id and sealed bytes (a new secret
  // is a new seal), opened only if the verifier has no signing key for it.
  auto use = [&](std::shared_ptr<const ResolvedKey> k) -> auth::SecretRef {
    caller->account_id = k->account_id;
    caller->is_root = k->is_root;
    caller->user_name = k->user_name;
    caller->user_id = k->user_id;
    caller->arn = k->arn;
    std::string name;
    name.reserve(id.size() + k->sealed_secret.size() + 1);
    name.append(id).append(1, '/').append(k->sealed_secret);
    return auth::SecretRef(std::move(name), [this, k = std::move(k)] { return Unseal(k->sealed_secret, k->access_key_id); });
  };
  if (hit && hit->generation == generation) return use(std::move(hit));
  Result<store::AccessKey> key = store_.GetAccessKey(id);
  // Static stability: with the database away, the key as last known.
  if (!key.ok() && key.status().code() == StatusCode::kServiceFailure && hit) return use(std::move(hit));
  ResolvedKey resolved;
  resolved.generation = generation;
  resolved.access_key_id = id;
  if (key.ok()) {
    if (key->status != store::AccessKeyStatus::kActive) return unknown;
    Result<store::User> user = store_.GetUser(key->account_id, key->user_name);
    if (!user.ok() && user.status().code() == StatusCode::kServiceFailure) {
      if (hit) return use(std::move(hit));
      return user.status();
    }
    if (!user.ok()) return unknown;
    resolved.account_id = key->account_id;
    resolved.user_name = user->name;
    resolved.user_id = user->user_id;
    resolved.arn = user->arn;
    resolved.sealed_secret = std::move(key->sealed_secret);
  } else if (key.status().code() == StatusCode::kNoSuchEntity) {
    Result<service::RootKey> root = root_keys_.Find(id);
    if (!root.ok()) {
      if (root.status().code() == StatusCode::kNoSuchEntity) return unknown;
      return root.status();
    }
    if (!root->active) return unknown;
    resolved.account_id = root->account_id;
    resolved.is_root = true;
    resolved.user_id = root->account_id;
    resolved.arn = service::RootArn(root->account_id);
    resolved.sealed_secret = std::move(root->sealed_secret);
  } else {
    return key.status();
  }
  return use(key_cache_.Put(id, std::move(resolved)));
}

Result<auth::SecretKey> ApiHandler::Unseal(const std::string& sealed, const std::string& id) {
  Result<std::string> secret = ring_.Get()->Open(sealed, id);
  if (!secret.ok() && secret.status().code() == StatusCode::kNoSuchEntity) {
    // Sealed under a key another process added: reload and retry.
    Result<uint32_t> key_id = crypto::KeyRing::KeyIdOf(sealed);
    if (key_id.ok() && ring_.ReloadFor(*key_id)) secret = ring_.Get()->Open(sealed, id);
  }
  if (!secret.ok()) return Internal("access key secret does not unseal");
  return auth::SecretKey(std::move(secret).value());
}

Result<auth::SecretRef> ApiHandler::LookupSession(const auth::SigV4Auth& auth, service::Caller* caller) {
  Status invalid(StatusCode::kInvalidClientTokenId, std::string(auth::kInvalidClientTokenIdMessage));
  if (auth.security_token.empty()) return invalid;  // an ASIA key needs its token
  std::shared_ptr<const OpenedSession> opened = session_cache_.Find(auth.security_token);
  if (opened == nullptr) {
    Result<auth::SessionRecord> record = auth::OpenSessionToken(auth.security_token, *ring_.Get());
    if (!record.ok() && record.status().code() == StatusCode::kNoSuchEntity) {
      // A key this node has not loaded yet (a rotation elsewhere), or a forgery.
      std::optional<uint32_t> key_id = auth::SessionTokenKeyId(auth.security_token);
      if (key_id && ring_.ReloadFor(*key_id)) record = auth::OpenSessionToken(auth.security_token, *ring_.Get());
    }
    if (!record.ok()) return invalid;
    service::Caller from_session = service::sts::CallerFromSession(*record);
    opened = std::make_shared<const OpenedSession>(OpenedSession{std::move(record).value(), std::move(from_session)});
    session_cache_.Put(auth.security_token, opened, clock_.Now());
  }
  const auth::SessionRecord& record = opened->record;
  if (record.access_key_id != auth.access_key_id) return invalid;
  if (auth::SessionExpired(record, clock_.Now())) {
    return Status(StatusCode::kExpiredToken, std::string(auth::kExpiredTokenMessage));
  }
  std::string source_ip = std::move(caller->source_ip);
  bool secure = caller->secure_transport;
  *caller = opened->caller;
  caller->source_ip = std::move(source_ip);
  caller->secure_transport = secure;
  return auth::SecretRef(auth::SecretKey(record.secret_access_key));
}

void ApiHandler::RecordUse(const service::Caller& caller, const auth::SigV4Auth& auth) {
  if (caller.is_root || caller.temporary()) return;
  auto now = std::chrono::steady_clock::now();
  std::string key;
  key.reserve(caller.access_key_id.size() + auth.service.size() + auth.region.size() + 2);
  key.append(caller.access_key_id).append("/").append(auth.service).append("/").append(auth.region);
  {
    std::lock_guard<std::mutex> lock(used_mu_);
    auto it = last_recorded_.find(key);
    if (it != last_recorded_.end() && now - it->second < std::chrono::minutes(1)) return;
    if (last_recorded_.size() > 100000) last_recorded_.clear();
    last_recorded_[key] = now;
  }
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  (void)store_.RecordAccessKeyUsed(caller.access_key_id, secs, auth.service, auth.region);
}

http::HttpResponse ApiHandler::HandleUnsafe(const http::HttpRequest& request, const std::string& request_id,
                                            AuditRecord& record) {
  const model::Service* service = &model::Iam();
  auto fail = [&](const AwsError& e) {
    record.error_code = e.code;
    record.error_message = e.message;
    return Reply(QueryError(*service, e, request_id), request_id);
  };

  // Which service: the credential scope says (signature checked below).
  std::vector<auth::HttpHeader> headers;
  auth::HttpRequestView view = SigV4View(request, headers);
  Result<auth::SigV4Auth> parsed = auth::ParseSigV4(view);
  if (parsed.ok() && parsed->service == "sts") service = &model::Sts();
  if (parsed.ok()) record.region = parsed->region;
  if (service == &model::Sts()) record.event_source = "sts.amazonaws.com";

  // Too long without the database: this node cannot know of revocations.
  if (watcher_ != nullptr) {
    if (Status fresh = watcher_->Fresh(); !fresh.ok()) return fail(AwsErrorFromStatus(fresh));
  }
  if (request.method != "POST" && request.method != "GET") {
    return fail(AwsError{"MethodNotAllowed", "The requested method is not allowed.", 405, true});
  }
  QueryParams params;
  if (auto e = ParseFormInto(request.Query(), &params)) return fail(*e);
  if (request.method == "POST" && IsForm(request)) {
    if (auto e = ParseFormInto(request.body, &params)) return fail(*e);
  }
  // botocore's presigned requests carry the signature in the query; those
  // parameters are not operation input.
  for (auto it = params.begin(); it != params.end();) {
    it = it->first.rfind("X-Amz-", 0) == 0 ? params.erase(it) : std::next(it);
  }

  service::Caller caller;
  caller.source_ip = request.remote_address;
  caller.secure_transport = request.tls;
  if (auto a = params.find("Action"); a != params.end()) record.event_name = a->second;
  // AWS takes exactly these two unsigned: the identity provider's token is
  // the credential. Everything else unsigned stays MissingAuthenticationToken.
  const bool unsigned_federation =
      !parsed.ok() && parsed.status().code() == StatusCode::kMissingAuthenticationToken &&
      (record.event_name == "AssumeRoleWithWebIdentity" || record.event_name == "AssumeRoleWithSAML");
  Result<auth::SigV4Auth> verified = auth::SigV4Auth{};
  if (unsigned_federation) {
    service = &model::Sts();
    record.event_source = "sts.amazonaws.com";
    verified->region = "us-east-1";
  } else {
    auto lookup = [&](const auth::SigV4Auth& a) { return Lookup(a, &caller); };
    auto now = std::chrono::system_clock::now();
    verified = parsed.ok() ? verifier_.Verify(view, std::move(parsed).value(), now, lookup)
                           : verifier_.Verify(view, now, lookup);
    if (!verified.ok()) return fail(AwsErrorFromStatus(verified.status()));
    RecordUse(caller, *verified);
  }
  SetIdentity(record, caller);
  if (unsigned_federation) {  // CloudTrail's names for these callers
    record.identity_type = record.event_name == "AssumeRoleWithSAML" ? "SAMLUser" : "WebIdentityUser";
  }

  // Operations the model has but iamd does not implement yet.
  auto action = params.find("Action");
  if (action != params.end() && model::FindOperation(*service, action->second) != nullptr) {
    bool implemented = service == &model::Sts() ? sts_.Implements(action->second)
                                                : service::IamService::Implements(action->second);
    if (!implemented) {
      return fail(AwsError{"NotImplemented",
                           "iamd does not implement the " + std::string(service->name) + " operation " +
                               action->second + " yet.",
                           501, false});
    }
  }

  std::shared_ptr<const crypto::KeyRing> ring = ring_.Get();
  QueryReply reply = HandleQuery(*service, params, request_id, [&](ParsedRequest& req) -> Result<nlohmann::json> {
    std::string_view op = req.operation->name;
    Result<nlohmann::json> out = [&]() -> Result<nlohmann::json> {
      if (req.service == &model::Sts()) {
        return sts_.Call(caller, op, req.input, *ring, clock_.Now(), verified->region);
      }
      Status allowed = authz_.Authorize(caller, op, req.input);
      record.decision = allowed.ok() ? "Allow" : DecisionOfError(AwsErrorFromStatus(allowed).code, allowed.message());
      if (!allowed.ok()) return allowed;
      return service::IamService(store_, *ring).Call(caller, op, req.input);
    }();
    record.request_parameters = std::move(req.input);  // used: moved, not copied
    return out;
  });
  record.error_code = reply.error_code;
  record.error_message = reply.error_message;
  if (record.decision.empty()) record.decision = DecisionOfError(reply.error_code, reply.error_message);
  return Reply(std::move(reply), request_id);
}

}  // namespace iam::api
