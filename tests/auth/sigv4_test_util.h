// Helpers for the SigV4 tests: requests that own their bytes, a lookup over a
// fixed key table, and times written as X-Amz-Date strings.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "auth/amz_time.h"
#include "auth/canonical.h"
#include "auth/sigv4.h"
#include "crypto/hash.h"

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

// The credentials and scope a test request is signed with.
struct Signer {
  std::string access_key_id = "AKIAIOSFODNN7EXAMPLE";
  std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  std::string amz_date = "20261128T010000Z";
  std::string region = "us-east-1";
  std::string service = "iam";
  std::vector<std::string> signed_headers = {"content-type", "host", "x-amz-date"};

  std::string Scope() const {
    return amz_date.substr(0, 8) + "/" + region + "/" + service + "/aws4_request";
  }

  std::string Signature(OwnedRequest& r, const std::string& canonical_query) const {
    HttpRequestView view = r.View();
    std::string headers = CanonicalHeaders(view.headers, signed_headers).value();
    std::string creq = CanonicalRequest(r.method, CanonicalUri(r.path), canonical_query, headers,
                                        signed_headers,
                                        crypto::HexEncode(crypto::Sha256(r.body)));
    std::string key = DeriveSigningKey(secret, amz_date.substr(0, 8), region, service);
    return SignatureHex(key, StringToSign(amz_date, Scope(), creq));
  }

  // Adds X-Amz-Date and an Authorization header over `signed_headers`.
  void SignHeader(OwnedRequest& r) const {
    r.headers.emplace_back("X-Amz-Date", amz_date);
    std::string list;
    for (const std::string& h : signed_headers) list += (list.empty() ? "" : ";") + h;
    std::string signature = Signature(r, CanonicalQuery(ParseQuery(r.query), ""));
    r.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + access_key_id + "/" +
                                                Scope() + ", SignedHeaders=" + list +
                                                ", Signature=" + signature);
  }

  // Appends the X-Amz-* parameters and X-Amz-Signature to the query.
  void Presign(OwnedRequest& r, int expires) const {
    std::string list;
    for (const std::string& h : signed_headers) list += (list.empty() ? "" : ";") + h;
    std::string q = r.query.empty() ? "" : r.query + "&";
    q += "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
         UriEncode(access_key_id + "/" + Scope(), false) + "&X-Amz-Date=" + amz_date +
         "&X-Amz-Expires=" + std::to_string(expires) + "&X-Amz-SignedHeaders=" +
         UriEncode(list, false);
    r.query = q;
    std::string signature = Signature(r, CanonicalQuery(ParseQuery(r.query), ""));
    r.query += "&X-Amz-Signature=" + signature;
  }
};

}  // namespace iam::auth::testing
