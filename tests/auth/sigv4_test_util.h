// Helpers for the SigV4 tests: requests that own their bytes, a lookup over a
// fixed key table, and times written as X-Amz-Date strings.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "auth/amz_time.h"
#include "auth/sigv4.h"

namespace iam::auth::testing {

// An HTTP request that owns its bytes; View() lends them to the verifier.
struct OwnedRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  HttpRequestView View() {
    views_.clear();
    for (const auto& [name, value] : headers) views_.push_back({name, value});
    HttpRequestView view;
    view.method = method;
    view.path = path;
    view.query = query;
    view.headers = views_;
    view.body = body;
    return view;
  }

  // The value of the first header named `name` (exact case), or null.
  std::string* Header(const std::string& name) {
    for (auto& [n, v] : headers) {
      if (n == name) return &v;
    }
    return nullptr;
  }

 private:
  std::vector<HttpHeader> views_;
};

// A lookup over access key id -> secret; unknown ids give kNoSuchEntity.
inline SecretLookup TableLookup(std::map<std::string, std::string> secrets) {
  return [secrets = std::move(secrets)](const SigV4Auth& auth) -> Result<SecretKey> {
    auto it = secrets.find(auth.access_key_id);
    if (it == secrets.end()) return Status(StatusCode::kNoSuchEntity, "no such key");
    return SecretKey(it->second);
  };
}

// "20150830T123600Z" as a time point; aborts the test binary on a typo.
inline std::chrono::system_clock::time_point At(const std::string& amz_date) {
  auto t = ParseAmzDate(amz_date);
  if (!t) std::abort();
  return std::chrono::system_clock::time_point(*t);
}

// Parses the AWS test suite's .req format: "METHOD target HTTP/1.1", then
// "Name:value" lines, a blank line and the body.
inline OwnedRequest ParseRawRequest(const std::string& text) {
  OwnedRequest r;
  size_t line_end = text.find('\n');
  std::string first = text.substr(0, line_end);
  size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
  r.method = first.substr(0, sp1);
  std::string target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  size_t pos = line_end == std::string::npos ? text.size() : line_end + 1;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      r.body = pos < text.size() ? text.substr(pos) : "";
      break;
    }
    size_t colon = line.find(':');
    r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return r;
}

}  // namespace iam::auth::testing
