#include "auth/canonical.h"

#include <algorithm>

#include "auth/secret_key.h"
#include "auth/sigv4.h"
#include "crypto/hash.h"

namespace iam::auth {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  for (unsigned char c : bytes) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xf]);
    }
  }
  return out;
}

std::string UriDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string CanonicalUri(std::string_view raw_path) {
  if (raw_path.empty()) return "/";
  // botocore's remove_dot_segments: drop empty and "." segments, let ".."
  // pop one, keep the leading and (if anything is left) trailing slash.
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= raw_path.size()) {
    size_t end = raw_path.find('/', start);
    if (end == std::string_view::npos) end = raw_path.size();
    std::string_view segment = raw_path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  out.reserve(raw_path.size() + 8);
  if (raw_path.front() == '/') out.push_back('/');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out += UriEncode(segments[i], /*keep_slash=*/false);
  }
  if (raw_path.back() == '/' && !segments.empty()) out.push_back('/');
  if (out.empty()) out.push_back('/');  // a relative path that resolved to nothing
  return out;
}

std::vector<QueryParam> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  size_t start = 0;
  while (start < raw_query.size()) {
    size_t end = raw_query.find('&', start);
    if (end == std::string_view::npos) end = raw_query.size();
    std::string_view piece = raw_query.substr(start, end - start);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      if (eq == std::string_view::npos) {
        params.push_back({UriDecode(piece), std::string()});
      } else {
        params.push_back({UriDecode(piece.substr(0, eq)), UriDecode(piece.substr(eq + 1))});
      }
    }
    start = end + 1;
  }
  return params;
}

std::string CanonicalQuery(const std::vector<QueryParam>& params, std::string_view skip) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const QueryParam& p : params) {
    if (!skip.empty() && p.name == skip) continue;
    encoded.emplace_back(UriEncode(p.name, false), UriEncode(p.value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

namespace {

// TrimAll's work, appended to `out` a run of non-space characters at a time
// (a session token header is a kilobyte with no space in it).
void AppendTrimmed(std::string& out, std::string_view value) {
  size_t i = 0;
  const size_t n = value.size();
  bool first = true;
  while (i < n) {
    while (i < n && IsSpace(value[i])) ++i;
    const size_t start = i;
    while (i < n && !IsSpace(value[i])) ++i;
    if (start == i) break;
    if (!first) out.push_back(' ');
    out.append(value.data() + start, i - start);
    first = false;
  }
}

}  // namespace

std::string TrimAll(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  AppendTrimmed(out, value);
  return out;
}

Result<std::string> CanonicalHeaders(std::span<const HttpHeader> headers,
                                     std::span<const std::string> signed_headers) {
  std::string out;
  size_t size = 0;
  for (const HttpHeader& h : headers) size += h.name.size() + h.value.size() + 2;
  out.reserve(size);
  for (const std::string& name : signed_headers) {
    bool found = false;
    for (const HttpHeader& h : headers) {
      if (!EqualsIgnoreCase(h.name, name)) continue;
      if (!found) {
        out += name;
        out.push_back(':');
        found = true;
      } else {
        out.push_back(',');
      }
      AppendTrimmed(out, h.value);
    }
    if (!found) {
      return Status(StatusCode::kSignatureDoesNotMatch,
                    "Header '" + name + "' is signed (in SignedHeaders) but missing from the request.");
    }
    out.push_back('\n');
  }
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, std::string_view canonical_headers,
                             std::span<const std::string> signed_headers,
                             std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() +
              canonical_headers.size() + payload_hash.size() + 64);
  out.append(method).push_back('\n');
  out.append(canonical_uri).push_back('\n');
  out.append(canonical_query).push_back('\n');
  out.append(canonical_headers).push_back('\n');
  for (size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) out.push_back(';');
    out += signed_headers[i];
  }
  out.push_back('\n');
  out.append(payload_hash);
  return out;
}

std::string StringToSign(std::string_view request_time, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out;
  out.reserve(17 + request_time.size() + scope.size() + 2 + 64);  // one allocation
  out += "AWS4-HMAC-SHA256\n";
  out.append(request_time).push_back('\n');
  out.append(scope).push_back('\n');
  out += crypto::HexEncode(crypto::Sha256(canonical_request));
  return out;
}

std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string seed = "AWS4";
  seed.append(secret);
  std::string k_date = crypto::HmacSha256(seed, date);
  WipeString(seed);
  std::string k_region = crypto::HmacSha256(k_date, region);
  WipeString(k_date);
  std::string k_service = crypto::HmacSha256(k_region, service);
  WipeString(k_region);
  std::string k_signing = crypto::HmacSha256(k_service, "aws4_request");
  WipeString(k_service);
  return k_signing;
}

std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign) {
  return crypto::HexEncode(crypto::HmacSha256(signing_key, string_to_sign));
}

}  // namespace iam::auth
