// SigV4 verifications per second for a typical IAM call (POST form body,
// three signed headers), with the signing-key cache warm, cold (a new scope
// every time) and disabled; plus the parse alone and the presigned form.
//   ninja -C build-auth sigv4_bench && build-auth/bench/auth/sigv4_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "auth/amz_time.h"
#include "auth/canonical.h"
#include "auth/sigv4.h"
#include "crypto/hash.h"

namespace iam::auth {
namespace {

constexpr char kKeyId[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kDate[] = "20261128T010000Z";

struct Request {
  std::string method = "POST";
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<HttpHeader> views;

  HttpRequestView View() {
    views.clear();
    for (const auto& [n, v] : headers) views.push_back({n, v});
    HttpRequestView view;
    view.method = method;
    view.path = path;
    view.query = query;
    view.headers = views;
    view.body = body;
    return view;
  }
};

// A GetUser call as botocore sends it, signed for `region`.
Request SignedGetUser(const std::string& region) {
  Request r;
  r.headers = {{"Host", "127.0.0.1:8080"},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"User-Agent", "Botocore/1.29.27 Python/3.11.2 Linux/6.1"},
               {"X-Amz-Date", kDate},
               {"Content-Length", "33"}};
  r.body = "Action=GetUser&Version=2010-05-08";
  std::vector<std::string> signed_headers = {"content-type", "host", "x-amz-date"};
  HttpRequestView view = r.View();
  std::string creq = CanonicalRequest(r.method, "/", "",
                                      CanonicalHeaders(view.headers, signed_headers).value(),
                                      signed_headers, crypto::HexEncode(crypto::Sha256(r.body)));
  std::string scope = std::string(kDate).substr(0, 8) + "/" + region + "/iam/aws4_request";
  std::string sig = SignatureHex(DeriveSigningKey(kSecret, "20261128", region, "iam"),
                                 StringToSign(kDate, scope, creq));
  r.headers.emplace_back("Authorization", std::string("AWS4-HMAC-SHA256 Credential=") + kKeyId +
                                              "/" + scope +
                                              ", SignedHeaders=content-type;host;x-amz-date, "
                                              "Signature=" +
                                              sig);
  return r;
}

std::chrono::system_clock::time_point Now() {
  return std::chrono::system_clock::time_point(*ParseAmzDate(kDate));
}

Result<SecretKey> Lookup(const SigV4Auth&) { return SecretKey(std::string(kSecret)); }

void BM_VerifyWarmCache(benchmark::State& state) {
  static SigV4Verifier* verifier = new SigV4Verifier();
  Request r = SignedGetUser("us-east-1");
  HttpRequestView view = r.View();
  for (auto _ : state) {
    Result<SigV4Auth> auth = verifier->Verify(view, Now(), Lookup);
    if (!auth.ok()) state.SkipWithError(auth.status().ToString().c_str());
    benchmark::DoNotOptimize(auth);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyWarmCache)->ThreadRange(1, 4)->UseRealTime();

// Every request names a scope the cache has not seen (1024 regions cycling
// through a 64-entry cache), so each one derives its signing key.
void BM_VerifyColdCache(benchmark::State& state) {
  SigV4Options options;
  options.signing_key_cache_capacity = 64;
  SigV4Verifier verifier(options);
  std::vector<Request> requests;
  for (int i = 0; i < 1024; ++i) requests.push_back(SignedGetUser("region-" + std::to_string(i)));
  std::vector<HttpRequestView> views;
  for (Request& r : requests) views.push_back(r.View());
  size_t i = 0;
  for (auto _ : state) {
    Result<SigV4Auth> auth = verifier.Verify(views[i++ % views.size()], Now(), Lookup);
    if (!auth.ok()) state.SkipWithError(auth.status().ToString().c_str());
    benchmark::DoNotOptimize(auth);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cache_hits"] = static_cast<double>(verifier.cache()->hits());
}
BENCHMARK(BM_VerifyColdCache);

void BM_VerifyNoCache(benchmark::State& state) {
  SigV4Options options;
  options.signing_key_cache_capacity = 0;
  SigV4Verifier verifier(options);
  Request r = SignedGetUser("us-east-1");
  HttpRequestView view = r.View();
  for (auto _ : state) {
    Result<SigV4Auth> auth = verifier.Verify(view, Now(), Lookup);
    if (!auth.ok()) state.SkipWithError(auth.status().ToString().c_str());
    benchmark::DoNotOptimize(auth);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyNoCache);

void BM_VerifyPresigned(benchmark::State& state) {
  SigV4Verifier verifier;
  Request r;
  r.method = "GET";
  r.headers = {{"Host", "127.0.0.1:8080"}};
  std::string scope = "20261128/us-east-1/sts/aws4_request";
  r.query = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=" + UriEncode(std::string(kKeyId) + "/" + scope, false) +
            "&X-Amz-Date=" + kDate + "&X-Amz-Expires=900&X-Amz-SignedHeaders=host";
  std::vector<std::string> signed_headers = {"host"};
  HttpRequestView view = r.View();
  std::string creq = CanonicalRequest("GET", "/", CanonicalQuery(ParseQuery(r.query), ""),
                                      CanonicalHeaders(view.headers, signed_headers).value(),
                                      signed_headers, crypto::HexEncode(crypto::Sha256("")));
  r.query += "&X-Amz-Signature=" + SignatureHex(DeriveSigningKey(kSecret, "20261128", "us-east-1",
                                                                 "sts"),
                                                StringToSign(kDate, scope, creq));
  view = r.View();
  for (auto _ : state) {
    Result<SigV4Auth> auth = verifier.Verify(view, Now(), Lookup);
    if (!auth.ok()) state.SkipWithError(auth.status().ToString().c_str());
    benchmark::DoNotOptimize(auth);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyPresigned);

void BM_ParseOnly(benchmark::State& state) {
  Request r = SignedGetUser("us-east-1");
  HttpRequestView view = r.View();
  for (auto _ : state) {
    Result<SigV4Auth> auth = ParseSigV4(view);
    benchmark::DoNotOptimize(auth);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseOnly);

}  // namespace
}  // namespace iam::auth

BENCHMARK_MAIN();
