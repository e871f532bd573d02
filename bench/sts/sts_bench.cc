// STS on the request path, in process (no sockets): AssumeRole calls per
// second, and signed IAM calls (ListUsers, allowed by policy) made with
// temporary credentials compared with long-term ones, each through the whole
// ApiHandler (SigV4, credential resolution, authorization, the store read,
// XML). Also the pieces: opening a session token alone, and token open plus
// SigV4 verification. The store is SQLite in memory.
//   cmake --build build --target sts_bench && build/bench/sts/sts_bench
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "api/server/api_handler.h"
#include "auth/canonical.h"
#include "auth/session_token.h"
#include "crypto/hash.h"
#include "service/iam/root_keys.h"
#include "store/ids.h"
#include "store/open_store.h"

namespace iam {
namespace {

constexpr char kAccount[] = "123456789012";

struct Credentials {
  std::string key_id, secret, token;
};

std::string AmzNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// A POST as botocore sends it, signed now with `c` for `service`.
http::HttpRequest Signed(const Credentials& c, const std::string& service, const std::string& body) {
  http::HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.body = body;
  r.remote_address = "127.0.0.1";
  std::string date = AmzNow();
  r.headers = {{"Host", "127.0.0.1:9300"},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"X-Amz-Date", date}};
  std::vector<std::string> signed_headers = {"content-type", "host", "x-amz-date"};
  if (!c.token.empty()) {
    r.headers.emplace_back("X-Amz-Security-Token", c.token);
    signed_headers.push_back("x-amz-security-token");
  }
  std::vector<auth::HttpHeader> views;
  for (const auto& [n, v] : r.headers) views.push_back({n, v});
  std::string creq = auth::CanonicalRequest("POST", "/", "", auth::CanonicalHeaders(views, signed_headers).value(),
                                            signed_headers, crypto::HexEncode(crypto::Sha256(body)));
  std::string scope = date.substr(0, 8) + "/us-east-1/" + service + "/aws4_request";
  std::string sig = auth::SignatureHex(auth::DeriveSigningKey(c.secret, date.substr(0, 8), "us-east-1", service),
                                       auth::StringToSign(date, scope, creq));
  std::string names;
  for (const std::string& h : signed_headers) names += (names.empty() ? "" : ";") + h;
  r.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + c.key_id + "/" + scope +
                                              ", SignedHeaders=" + names + ", Signature=" + sig);
  return r;
}

std::string Between(const std::string& s, const std::string& open, const std::string& close) {
  size_t a = s.find(open);
  if (a == std::string::npos) return "";
  a += open.size();
  return s.substr(a, s.find(close, a) - a);
}

// A server with a user (long-term key) allowed to ListUsers and assume the
// `chef` role, which may ListUsers too; and a session of that role.
struct World {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<api::LiveKeyRing> ring;
  std::unique_ptr<service::RootKeys> root_keys;
  std::unique_ptr<api::ApiHandler> handler;
  Credentials user, session;

  World() {
    store = store::OpenStore({}).value();
    ring = std::make_unique<api::LiveKeyRing>(*store, store->LoadKeyRing().value());
    root_keys = std::make_unique<service::RootKeys>(*store);
    handler = std::make_unique<api::ApiHandler>(*store, *ring, *root_keys);
    (void)store->CreateAccount(kAccount, "");
    (void)store->CreateUser(kAccount, {.name = "pat"});
    const std::string allow =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","sts:AssumeRole"],"Resource":"*"}]})";
    (void)store->PutInlinePolicy(kAccount, {store::PrincipalKind::kUser, "pat"}, "p", allow);
    (void)store->CreateRole(kAccount, {.name = "chef",
                                       .assume_role_policy_document =
                                           R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/pat"},"Action":"sts:AssumeRole"}]})"});
    (void)store->PutInlinePolicy(kAccount, {store::PrincipalKind::kRole, "chef"}, "p", allow);
    user.key_id = store::NewAccessKeyId();
    user.secret = store::NewSecretAccessKey();
    (void)store->CreateAccessKey(kAccount, "pat", {user.key_id, ring->Get()->Seal(user.secret, user.key_id).value()});
    http::HttpResponse r = handler->Handle(Signed(user, "sts", AssumeRoleBody()));
    session.key_id = Between(r.body, "<AccessKeyId>", "</AccessKeyId>");
    session.secret = Between(r.body, "<SecretAccessKey>", "</SecretAccessKey>");
    session.token = Between(r.body, "<SessionToken>", "</SessionToken>");
    if (session.token.empty()) std::fprintf(stderr, "AssumeRole failed: %s\n", r.body.c_str());
  }
  static std::string AssumeRoleBody() {
    return "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fchef"
           "&RoleSessionName=bench";
  }
};

World& TheWorld() {
  static World* w = new World();
  return *w;
}

void Run(benchmark::State& state, const http::HttpRequest& request) {
  api::ApiHandler& h = *TheWorld().handler;
  for (auto _ : state) {
    http::HttpResponse r = h.Handle(request);
    if (r.status != 200) {
      state.SkipWithError(r.body.c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ListUsersLongTerm(benchmark::State& state) {
  Run(state, Signed(TheWorld().user, "iam", "Action=ListUsers&Version=2010-05-08"));
}
BENCHMARK(BM_ListUsersLongTerm)->ThreadRange(1, 2)->UseRealTime();

void BM_ListUsersTemporary(benchmark::State& state) {
  Run(state, Signed(TheWorld().session, "iam", "Action=ListUsers&Version=2010-05-08"));
}
BENCHMARK(BM_ListUsersTemporary)->ThreadRange(1, 2)->UseRealTime();

void BM_GetCallerIdentityLongTerm(benchmark::State& state) {
  Run(state, Signed(TheWorld().user, "sts", "Action=GetCallerIdentity&Version=2011-06-15"));
}
BENCHMARK(BM_GetCallerIdentityLongTerm)->UseRealTime();

void BM_GetCallerIdentityTemporary(benchmark::State& state) {
  Run(state, Signed(TheWorld().session, "sts", "Action=GetCallerIdentity&Version=2011-06-15"));
}
BENCHMARK(BM_GetCallerIdentityTemporary)->UseRealTime();

void BM_AssumeRole(benchmark::State& state) {
  Run(state, Signed(TheWorld().user, "sts", World::AssumeRoleBody()));
}
BENCHMARK(BM_AssumeRole)->ThreadRange(1, 2)->UseRealTime();

void BM_OpenSessionToken(benchmark::State& state) {
  World& w = TheWorld();
  std::shared_ptr<const crypto::KeyRing> ring = w.ring->Get();
  for (auto _ : state) {
    Result<auth::SessionRecord> r = auth::OpenSessionToken(w.session.token, *ring);
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OpenSessionToken);

// Token open + SigV4 verification: the authentication of a temporary call.
void BM_VerifyWithToken(benchmark::State& state) {
  World& w = TheWorld();
  std::shared_ptr<const crypto::KeyRing> ring = w.ring->Get();
  http::HttpRequest request = Signed(w.session, "iam", "Action=ListUsers&Version=2010-05-08");
  std::vector<auth::HttpHeader> headers;
  for (const auto& [n, v] : request.headers) headers.push_back({n, v});
  auth::HttpRequestView view;
  view.method = request.method;
  view.headers = headers;
  view.body = request.body;
  auth::SigV4Verifier verifier;
  for (auto _ : state) {
    Result<auth::SigV4Auth> a = verifier.Verify(view, std::chrono::system_clock::now(), [&](const auth::SigV4Auth& s) {
      Result<auth::SessionRecord> r = auth::OpenSessionToken(s.security_token, *ring);
      if (!r.ok()) return Result<auth::SecretKey>(r.status());
      return Result<auth::SecretKey>(auth::SecretKey(std::move(r->secret_access_key)));
    });
    if (!a.ok()) state.SkipWithError(a.status().ToString().c_str());
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyWithToken);

}  // namespace
}  // namespace iam

BENCHMARK_MAIN();
