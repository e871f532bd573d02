// libFuzzer target for SigV4 parsing and verification. The first byte picks
// what the rest is:
//   0  the value of an Authorization header (with Host and X-Amz-Date set)
//   1  a query string (the presigned form)
//   2+ a whole request: method, path and query on the first three lines,
//      then "Name:value" header lines, an empty line, and the body
// Verification runs against a fixed clock and a lookup that knows every key,
// so the fuzzer can reach the signature comparison. Nothing may crash, and
// a request that verifies must also parse.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "auth/amz_time.h"
#include "auth/canonical.h"
#include "auth/sigv4.h"

namespace {

using iam::auth::HttpHeader;
using iam::auth::HttpRequestView;

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const iam::auth::SigV4Verifier* verifier = [] {
    iam::auth::SigV4Options options;
    options.signing_key_cache_capacity = 8;
    return new iam::auth::SigV4Verifier(options);
  }();
  static const auto now = std::chrono::system_clock::time_point(
      *iam::auth::ParseAmzDate("20261128T010000Z"));
  static const iam::auth::SecretLookup lookup = [](const iam::auth::SigV4Auth& auth)
      -> iam::Result<iam::auth::SecretKey> {
    if (auth.access_key_id.empty()) return iam::Status(iam::StatusCode::kNoSuchEntity, "");
    return iam::auth::SecretKey(std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
  };

  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<HttpHeader> headers;
  HttpRequestView request;
  request.method = "POST";
  switch (data[0]) {
    case 0:
      headers = {{"Host", "iam.example"}, {"X-Amz-Date", "20261128T010000Z"},
                 {"Authorization", input}};
      break;
    case 1:
      headers = {{"Host", "iam.example"}};
      request.method = "GET";
      request.query = input;
      break;
    default: {
      std::vector<std::string_view> lines = Lines(input);
      size_t i = 0;
      if (i < lines.size()) request.method = lines[i++];
      if (i < lines.size()) request.path = lines[i++];
      if (i < lines.size()) request.query = lines[i++];
      for (; i < lines.size() && !lines[i].empty(); ++i) {
        size_t colon = lines[i].find(':');
        if (colon == std::string_view::npos) continue;
        headers.push_back({lines[i].substr(0, colon), lines[i].substr(colon + 1)});
      }
      if (i + 1 < lines.size()) {
        size_t body_start = lines[i + 1].data() - input.data();
        request.body = input.substr(body_start);
      }
      break;
    }
  }
  request.headers = headers;

  iam::Result<iam::auth::SigV4Auth> parsed = iam::auth::ParseSigV4(request);
  iam::Result<iam::auth::SigV4Auth> verified = verifier->Verify(request, now, lookup);
  if (verified.ok() && !parsed.ok()) std::abort();
  (void)iam::auth::CanonicalUri(request.path);
  (void)iam::auth::CanonicalQuery(iam::auth::ParseQuery(request.query), "X-Amz-Signature");
  return 0;
}
