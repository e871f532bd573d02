#include "api/server/authorize_endpoint.h"

#include <chrono>
#include <exception>
#include <optional>
#include <vector>

#include "api/audit/audit_event.h"
#include "api/audit/json_writer.h"
#include "api/query/errors.h"
#include "api/server/authorize_request.h"
#include "api/server/request_view.h"
#include "common/status_macros.h"
#include "iamd/policy.h"
#include "store/ids.h"

namespace iam::api {
namespace {

auth::SigV4Options SelfOptions() {
  auth::SigV4Options o;
  o.services = {"iamd"};
  o.detailed_mismatch_message = false;
  return o;
}

auth::SigV4Options ForwardedOptions() {
  auth::SigV4Options o;
  o.services = {};  // whatever service the client signed for
  o.allow_unsigned_payload = true;  // object stores sign with UNSIGNED-PAYLOAD
  o.detailed_mismatch_message = false;
  return o;
}

// Answers are written straight into the body (keys in alphabetical order,
// as the endpoint has always written them).
http::HttpResponse JsonResponse(int status, std::string body, const std::string& request_id) {
  http::HttpResponse r;
  r.status = status;
  r.headers.reserve(2);
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  r.body = std::move(body);
  return r;
}

http::HttpResponse ErrorBody(int status, std::string_view code, std::string_view message, std::string_view where,
                             const std::string& request_id) {
  std::string out;
  JsonWriter w(out);
  w.Begin('{');
  w.Key("error");
  w.Begin('{');
  w.Member("code", code);
  if (!where.empty()) w.Member("in", where);
  w.Member("message", message);
  w.End('}');
  w.Member("request_id", request_id);
  w.End('}');
  return JsonResponse(status, std::move(out), request_id);
}

// Status -> {"error": {"code", "message"[, "in"]}} with AWS's HTTP status.
http::HttpResponse ErrorResponse(const Status& s, const std::string& request_id, std::string_view where = "") {
  AwsError e = AwsErrorFromStatus(s);
  return ErrorBody(e.http_status, e.code, e.message, where, request_id);
}

// `identity`: the audit record with the caller's identity (SetIdentity).
void WritePrincipal(JsonWriter& w, const service::Caller& c, const AuditRecord& identity) {
  w.Key("principal");
  w.Begin('{');
  w.Member("account", c.account_id);
  w.Member("arn", c.arn);
  if (c.temporary()) w.MemberInt("expires_at", c.session.expires_at);
  if (!c.session.session_name.empty()) w.Member("session_name", c.session.session_name);
  w.Member("type", identity.identity_type);
  w.Member("user_id", c.user_id);
  w.End('}');
}

void WriteStatements(JsonWriter& w, const policy::Decision& d) {
  w.Key("statements");
  w.Begin('[');
  for (const policy::MatchedStatement& m : d.statements) {
    w.Begin('{');
    w.Member("effect", m.deny ? "Deny" : "Allow");
    w.MemberInt("policy_index", static_cast<int64_t>(m.policy_index));
    w.Member("policy_type", policy::PolicyKindName(m.kind));
    w.Member("sid", m.sid);
    w.MemberInt("statement_index", static_cast<int64_t>(m.statement_index));
    w.End('}');
  }
  w.End(']');
}

// The audit record of a decision, kept by the thread: its members keep
// their storage, the parameters' strings are assigned in place, and what is
// not assigned here (region, errors) stays empty.
AuditRecord& DecisionRecord() {
  thread_local AuditRecord record = [] {
    AuditRecord r;
    r.event_source = "iamd.amazonaws.com";
    r.event_name = "Authorize";
    r.request_parameters = {{"Action", ""}, {"Resource", ""}, {"ResourceAccount", ""}};
    r.additional = {{"resourceServer", ""}};
    return r;
  }();
  return record;
}

// The caller a principal ARN names: an account root, a user, a role, or a
// role session (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION).
Result<service::Caller> CallerFromArn(store::Store& store, const std::string& arn) {
  service::Caller c;
  const std::string sts_prefix = "arn:aws:sts::";
  if (arn.rfind(sts_prefix, 0) == 0) {
    // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
    size_t colon = arn.find(':', sts_prefix.size());
    std::string rest = colon == std::string::npos ? "" : arn.substr(colon + 1);
    const std::string kind = "assumed-role/";
    size_t slash = rest.find('/', kind.size());
    if (colon == std::string::npos || rest.rfind(kind, 0) != 0 || slash == std::string::npos) {
      return InvalidInput("principal_arn must name an account root, a user, a role or an assumed-role session: " + arn);
    }
    c.account_id = arn.substr(sts_prefix.size(), colon - sts_prefix.size());
    IAM_ASSIGN_OR_RETURN(store::Role role, store.GetRole(c.account_id, rest.substr(kind.size(), slash - kind.size())));
    c.session.kind = service::SessionKind::kAssumedRole;
    c.session.role_name = role.name;
    c.session.role_id = role.role_id;
    c.session.role_arn = role.arn;
    c.session.session_name = rest.substr(slash + 1);
    c.user_id = role.role_id + ":" + c.session.session_name;
    c.arn = arn;
    return c;
  }
  Result<store::ParsedArn> parsed = store::ParseArn(arn);
  if (arn.size() > 13 && arn.rfind("arn:aws:iam::", 0) == 0 && arn.substr(arn.size() - 5) == ":root") {
    c.account_id = arn.substr(13, arn.size() - 18);
    IAM_RETURN_IF_ERROR(store.GetAccount(c.account_id).status());
    c.is_root = true;
    c.user_id = c.account_id;
    c.arn = arn;
    return c;
  }
  if (!parsed.ok() || (parsed->type != "user" && parsed->type != "role")) {
    return InvalidInput("principal_arn must name an account root, a user, a role or an assumed-role session: " + arn);
  }
  c.account_id = parsed->account_id;
  if (parsed->type == "user") {
    IAM_ASSIGN_OR_RETURN(store::User u, store.GetUser(c.account_id, parsed->name));
    c.user_name = u.name;
    c.user_id = u.user_id;
    c.arn = u.arn;
    return c;
  }
  IAM_ASSIGN_OR_RETURN(store::Role role, store.GetRole(c.account_id, parsed->name));
  c.session.kind = service::SessionKind::kAssumedRole;
  c.session.role_name = role.name;
  c.session.role_id = role.role_id;
  c.session.role_arn = role.arn;
  c.user_id = role.role_id;
  c.arn = role.arn;
  return c;
}

}  // namespace

AuthorizeEndpoint::AuthorizeEndpoint(store::Store& store, service::Authorizer& authorizer, Lookup lookup,
                                     AuditLog* audit, const StoreWatcher* watcher)
    : store_(store),
      authorizer_(authorizer),
      lookup_(std::move(lookup)),
      audit_(audit),
      watcher_(watcher),
      self_verifier_(SelfOptions()),
      forwarded_verifier_(ForwardedOptions()) {}

Result<service::Caller> AuthorizeEndpoint::Principal(const std::string& arn) {
  const int64_t generation = store_.Generation();
  std::optional<service::Caller> stale;
  {
    std::lock_guard<std::mutex> lock(principals_mu_);
    auto it = principals_.find(arn);
    if (it != principals_.end() && it->second.first == generation) return it->second.second;
    if (it != principals_.end()) stale = it->second.second;
  }
  Result<service::Caller> loaded = CallerFromArn(store_, arn);
  if (!loaded.ok()) {
    // Static stability: with the database away, the principal as last known.
    if (loaded.status().code() == StatusCode::kServiceFailure && stale) return *stale;
    return loaded;
  }
  std::lock_guard<std::mutex> lock(principals_mu_);
  if (principals_.size() >= 100000) principals_.clear();  // rare: a full turnover
  principals_[arn] = {generation, *loaded};
  return loaded;
}

http::HttpResponse AuthorizeEndpoint::Handle(const http::HttpRequest& request, const std::string& request_id) {
  try {
    if (watcher_ != nullptr) {
      if (Status fresh = watcher_->Fresh(); !fresh.ok()) return ErrorResponse(fresh, request_id);
    }
    if (request.Path() != "/iamd/v1/authorize") {
      return ErrorResponse(Status(StatusCode::kNoSuchEntity, "No such endpoint: use POST /iamd/v1/authorize."),
                           request_id);
    }
    if (request.method != "POST") {
      return ErrorBody(405, "MethodNotAllowed", "Use POST.", "", request_id);
    }
    // 1. The resource server itself.
    std::vector<auth::HttpHeader> headers;
    auth::HttpRequestView view = SigV4View(request, headers);
    service::Caller self;
    self.source_ip = request.remote_address;
    self.secure_transport = request.tls;
    Result<auth::SigV4Auth> signed_by = self_verifier_.Verify(
        view, std::chrono::system_clock::now(), [&](const auth::SigV4Auth& a) { return lookup_(a, &self); });
    if (!signed_by.ok()) return ErrorResponse(signed_by.status(), request_id);
    Result<policy::Decision> may = authorizer_.Decide(self, "iamd:Authorize", "*", self.account_id, std::nullopt, nullptr);
    if (!may.ok()) return ErrorResponse(may.status(), request_id);
    if (may->effect != policy::Effect::kAllow) {
      return ErrorResponse(AccessDenied("User: " + self.arn +
                                        " is not authorized to perform: iamd:Authorize on resource: *"),
                           request_id);
    }

    // 2. The question(s) and the principal.
    thread_local AuthorizeBodyReader reader;
    thread_local AuthorizeBody body;
    std::string_view where;
    if (Status read = reader.Read(request.body, body, where); !read.ok()) {
      return ErrorResponse(read, request_id, where);
    }
    const bool batch = body.batch;
    service::Caller principal;
    if (body.by_arn) {
      Result<service::Caller> c = Principal(body.principal_arn);
      if (!c.ok()) return ErrorResponse(c.status(), request_id, "principal_arn");
      principal = std::move(c).value();
    } else {
      const ForwardedRequest& f = body.forwarded;
      std::vector<auth::HttpHeader> fh;
      fh.reserve(f.headers.size());
      for (const auto& [name, value] : f.headers) fh.push_back({name, value});
      auth::HttpRequestView fv;
      fv.method = f.method;
      fv.path = f.path;
      fv.query = f.query;
      fv.headers = fh;
      fv.body = f.body;
      if (!f.payload_hash.empty()) fv.payload_hash = f.payload_hash;
      Result<auth::SigV4Auth> client = forwarded_verifier_.Verify(
          fv, std::chrono::system_clock::now(), [&](const auth::SigV4Auth& a) { return lookup_(a, &principal); });
      if (!client.ok()) return ErrorResponse(client.status(), request_id, "signed_request");
    }
    // Keys "as passed": where the client connected from, and how.
    const AuthorizeQuestion& first = body.questions.front();
    principal.source_ip = first.ContextString("aws:SourceIp");
    principal.secure_transport = first.ContextString("aws:SecureTransport") == "true";
    // The caller's identity as the audit trail and the answer name it.
    AuditRecord& record = DecisionRecord();
    SetIdentity(record, principal);

    // 4. The decisions, written as they are taken.
    std::string out;
    out.reserve(512);
    JsonWriter w(out);
    w.Begin('{');
    if (batch) {  // a single question writes its members below, in order
      WritePrincipal(w, principal, record);
      w.Member("request_id", request_id);
      w.Key("results");
      w.Begin('[');
    }
    std::string lower;
    for (const AuthorizeQuestion& q : body.questions) {
      auto extend = [&](policy::RequestContext& ctx) {
        for (const ContextEntry& e : q.context) {
          lower.assign(e.key);
          for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          if (ctx.Find(lower) != nullptr) continue;  // iamd's own value wins
          if (e.multi) {
            ctx.SetMultiLazy(e.key, std::vector<std::string>(e.values.begin(), e.values.end()));
          } else {
            ctx.SetLazy(e.key, std::string(e.values.front()));
          }
        }
      };
      const std::string& account = q.resource_account.empty() ? principal.account_id : q.resource_account;
      Result<policy::Decision> d = authorizer_.Decide(principal, q.action, q.resource, account, q.resource_policy, extend);
      if (!d.ok()) return ErrorResponse(d.status(), request_id);
      std::string_view decision = policy::EffectName(d->effect);
      if (batch) {
        w.Begin('{');
        w.Member("action", q.action);
        w.Member("decision", decision);
        w.Member("resource", q.resource);
        WriteStatements(w, *d);
        w.End('}');
      } else {
        w.Member("decision", decision);
        WritePrincipal(w, principal, record);
        w.Member("request_id", request_id);
        WriteStatements(w, *d);
      }
      if (audit_ != nullptr) {
        record.time = std::chrono::system_clock::now();
        record.source_ip = principal.source_ip.empty() ? request.remote_address : principal.source_ip;
        record.user_agent = request.Header("User-Agent").value_or("");
        record.request_parameters["Action"].get_ref<std::string&>() = q.action;
        record.request_parameters["Resource"].get_ref<std::string&>() = q.resource;
        record.request_parameters["ResourceAccount"].get_ref<std::string&>() = account;
        record.request_id = request_id;
        record.decision = decision;
        record.additional["resourceServer"].get_ref<std::string&>() = self.arn;
        audit_->Append(AuditLine(record));
      }
    }
    if (batch) w.End(']');
    w.End('}');
    return JsonResponse(200, std::move(out), request_id);
  } catch (const std::exception&) {
    return ErrorResponse(Internal("internal error"), request_id);
  }
}

}  // namespace iam::api
