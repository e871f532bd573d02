#include "auth/sigv4.h"

#include <algorithm>
#include <utility>

#include "auth/amz_time.h"
#include "auth/canonical.h"
#include "common/status_macros.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace iam::auth {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::string_view kTerminator = "aws4_request";
constexpr std::string_view kSignatureParam = "X-Amz-Signature";

// AWS's texts, as its query services (IAM, STS) word them.
constexpr std::string_view kMissingToken = "Request is missing Authentication Token";
constexpr std::string_view kHostMustBeSigned =
    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check "
    "your AWS Secret Access Key and signing method. Consult the service documentation for "
    "details.";

Status Incomplete(std::string message) {
  return Status(StatusCode::kIncompleteSignature, std::move(message));
}
Status Mismatch(std::string message) {
  return Status(StatusCode::kSignatureDoesNotMatch, std::move(message));
}
Status MissingToken() {
  return Status(StatusCode::kMissingAuthenticationToken, std::string(kMissingToken));
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerChar(a[i]) != LowerChar(b[i])) return false;
  }
  return true;
}

bool IsParamSeparator(char c) { return c == ',' || c == ' ' || c == '\t'; }

// The first header named `name` (case-insensitive), or null.
const HttpHeader* FindHeader(std::span<const HttpHeader> headers, std::string_view name) {
  for (const HttpHeader& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return &h;
  }
  return nullptr;
}

// The first value of query parameter `name` (case-sensitive, as AWS), or null.
const std::string* FindParam(const std::vector<QueryParam>& params, std::string_view name) {
  for (const QueryParam& p : params) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

// Splits `text` on `sep`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  out.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), sep)) + 1);
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// Credential = <key id>/<date>/<region>/<service>/<terminator>. Trailing
// slashes are ignored, as AWS does.
Status ParseCredential(std::string_view credential, SigV4Auth& auth) {
  std::string_view c = credential;
  while (!c.empty() && c.back() == '/') c.remove_suffix(1);
  std::vector<std::string_view> parts = Split(c, '/');
  if (parts.size() != 5) {
    return Incomplete(
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '" +
        std::string(credential) + "'");
  }
  auth.access_key_id = std::string(parts[0]);
  auth.scope_date = std::string(parts[1]);
  auth.region = std::string(parts[2]);
  auth.service = std::string(parts[3]);
  auth.terminator = std::string(parts[4]);
  return Status::Ok();
}

// SignedHeaders = name;name;... Host must be among them: it binds the
// signature to this server.
Status ParseSignedHeaders(std::string_view list, SigV4Auth& auth) {
  bool has_host = false;
  std::vector<std::string_view> names = Split(list, ';');
  auth.signed_headers.reserve(names.size());
  for (std::string_view name : names) {
    auth.signed_headers.push_back(ToLower(name));
    if (auth.signed_headers.back() == "host") has_host = true;
  }
  if (!has_host) return Mismatch(std::string(kHostMustBeSigned));
  return Status::Ok();
}

Status ParseRequestTime(std::string_view value, bool allow_http_date, SigV4Auth& auth) {
  if (auto t = ParseAmzDate(value)) {
    auth.request_time = std::string(value);
    auth.request_time_point = *t;
    return Status::Ok();
  }
  if (allow_http_date) {
    if (auto t = ParseHttpDate(value)) {
      auth.request_time = FormatAmzDate(*t);
      auth.request_time_point = *t;
      return Status::Ok();
    }
  }
  return Incomplete("Date must be in ISO-8601 'basic format'. Got '" + std::string(value) +
                    "'. See http://en.wikipedia.org/wiki/ISO_8601");
}

Result<SigV4Auth> ParseHeaderForm(const HttpRequestView& request, std::string_view raw) {
  std::string_view value = Trim(raw);
  size_t space = value.find_first_of(" \t");
  std::string_view algorithm = value.substr(0, space);
  std::string_view rest = space == std::string_view::npos ? "" : value.substr(space + 1);
  if (algorithm != kAlgorithm) {
    // Another scheme (Basic, SigV2's "AWS ...") is no SigV4 attempt at all.
    if (!algorithm.starts_with("AWS4-")) return MissingToken();
    return Incomplete("Unsupported AWS 'algorithm': '" + std::string(algorithm) +
                      "' (only AWS4-HMAC-SHA256 for now).");
  }

  // Parameters are separated by commas and/or spaces; the last of a name wins.
  std::optional<std::string_view> credential, signed_headers, signature;
  size_t pos = 0;
  while (pos < rest.size()) {
    size_t end = pos;
    while (end < rest.size() && !IsParamSeparator(rest[end])) ++end;
    std::string_view token = rest.substr(pos, end - pos);
    pos = end + 1;
    if (token.empty()) continue;
    size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      return Incomplete("'" + std::string(token) +
                        "' not a valid key=value pair (missing equal-sign) in Authorization "
                        "header: '" +
                        std::string(value) + "'");
    }
    std::string_view key = token.substr(0, eq), val = token.substr(eq + 1);
    if (key == "Credential") credential = val;
    if (key == "SignedHeaders") signed_headers = val;
    if (key == "Signature") signature = val;
  }

  const HttpHeader* amz_date = FindHeader(request.headers, "x-amz-date");
  const HttpHeader* date = amz_date ? nullptr : FindHeader(request.headers, "date");
  std::string missing;
  auto require = [&missing](bool present, std::string_view message) {
    if (present) return;
    if (!missing.empty()) missing.push_back(' ');
    missing.append(message);
  };
  require(credential.has_value(), "Authorization header requires 'Credential' parameter.");
  require(signature.has_value(), "Authorization header requires 'Signature' parameter.");
  require(signed_headers.has_value(), "Authorization header requires 'SignedHeaders' parameter.");
  require(amz_date || date,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!missing.empty()) return Incomplete(missing + " Authorization=" + std::string(value));

  SigV4Auth auth;
  auth.form = SigV4Form::kAuthorizationHeader;
  IAM_RETURN_IF_ERROR(ParseSignedHeaders(*signed_headers, auth));
  if (amz_date) {
    IAM_RETURN_IF_ERROR(ParseRequestTime(Trim(amz_date->value), false, auth));
  } else {
    IAM_RETURN_IF_ERROR(ParseRequestTime(Trim(date->value), true, auth));
  }
  auth.credential = std::string(*credential);
  auth.signature = ToLower(*signature);
  if (const HttpHeader* token = FindHeader(request.headers, "x-amz-security-token")) {
    auth.security_token = std::string(Trim(token->value));
  }
  return auth;
}

Result<SigV4Auth> ParseQueryForm(const std::vector<QueryParam>& params) {
  const std::string* algorithm = FindParam(params, "X-Amz-Algorithm");
  if (algorithm == nullptr || *algorithm != kAlgorithm) return MissingToken();

  const std::string* credential = FindParam(params, "X-Amz-Credential");
  const std::string* signature = FindParam(params, "X-Amz-Signature");
  const std::string* signed_headers = FindParam(params, "X-Amz-SignedHeaders");
  const std::string* date = FindParam(params, "X-Amz-Date");
  std::string missing;
  for (auto [value, name] : {std::pair{credential, "X-Amz-Credential"},
                             std::pair{signature, "X-Amz-Signature"},
                             std::pair{signed_headers, "X-Amz-SignedHeaders"},
                             std::pair{date, "X-Amz-Date"}}) {
    if (value != nullptr) continue;
    missing += "AWS query-string parameters must include '" + std::string(name) + "'. ";
  }
  if (!missing.empty()) return Incomplete(missing + "Re-examine the query-string parameters.");

  SigV4Auth auth;
  auth.form = SigV4Form::kPresignedQuery;
  IAM_RETURN_IF_ERROR(ParseSignedHeaders(*signed_headers, auth));
  IAM_RETURN_IF_ERROR(ParseRequestTime(*date, false, auth));
  auth.credential = *credential;
  auth.signature = ToLower(*signature);
  if (const std::string* token = FindParam(params, "X-Amz-Security-Token")) {
    auth.security_token = *token;
  }
  if (const std::string* expires = FindParam(params, "X-Amz-Expires")) {
    int64_t seconds = 0;
    bool ok = !expires->empty() && expires->size() <= 7;
    for (char c : *expires) {
      if (c < '0' || c > '9') ok = false;
      if (ok) seconds = seconds * 10 + (c - '0');
    }
    if (!ok || seconds < 1 || seconds > kMaxPresignedExpiresSeconds) {
      return Incomplete("X-Amz-Expires must be a whole number of seconds from 1 to 604800 "
                        "(seven days), got '" +
                        *expires + "'.");
    }
    auth.expires_seconds = seconds;
  }
  return auth;
}

// Everything but splitting the credential, which AWS checks only after the
// request time (Verify does the time in between).
Result<SigV4Auth> ParseWithParams(const HttpRequestView& request,
                                  const std::vector<QueryParam>& params) {
  const HttpHeader* authorization = FindHeader(request.headers, "authorization");
  bool presigned = FindParam(params, "X-Amz-Algorithm") != nullptr;
  if (authorization && presigned) {
    return Mismatch(
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
        "header.");
  }
  if (authorization) return ParseHeaderForm(request, authorization->value);
  if (presigned) return ParseQueryForm(params);
  return MissingToken();
}

std::string SkewText(std::chrono::seconds skew) {
  if (skew.count() % 60 == 0) return std::to_string(skew.count() / 60) + " min.";
  return std::to_string(skew.count()) + " sec.";
}

}  // namespace

Result<SigV4Auth> ParseSigV4(const HttpRequestView& request) {
  IAM_ASSIGN_OR_RETURN(SigV4Auth auth, ParseWithParams(request, ParseQuery(request.query)));
  IAM_RETURN_IF_ERROR(ParseCredential(auth.credential, auth));
  return auth;
}

SigV4Verifier::SigV4Verifier(SigV4Options options) : options_(std::move(options)) {
  if (options_.signing_key_cache_capacity > 0) {
    cache_ = std::make_unique<SigningKeyCache>(options_.signing_key_cache_capacity);
    // Cache entries are named by a keyed fingerprint of the secret, so the
    // cache's keys say nothing about secrets outside this process.
    fingerprint_key_ = crypto::RandomBytes(32);
  }
}

SigV4Verifier::~SigV4Verifier() { WipeString(fingerprint_key_); }

Status SigV4Verifier::CheckTime(const SigV4Auth& auth,
                                std::chrono::system_clock::time_point now) const {
  auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  auto t = auth.request_time_point;
  auto skew = options_.max_skew;
  if (t > now_s + skew) {
    return Mismatch("Signature not yet current: " + auth.request_time + " is still later than " +
                    FormatAmzDate(now_s + skew) + " (" + FormatAmzDate(now_s) + " + " +
                    SkewText(skew) + ")");
  }
  if (auth.expires_seconds.has_value()) {
    // A presigned request is good until X-Amz-Date + X-Amz-Expires.
    if (now_s > t + std::chrono::seconds(*auth.expires_seconds)) {
      return Status(StatusCode::kRequestExpired, "Request has expired.");
    }
    return Status::Ok();
  }
  if (t < now_s - skew) {
    return Mismatch("Signature expired: " + auth.request_time + " is now earlier than " +
                    FormatAmzDate(now_s - skew) + " (" + FormatAmzDate(now_s) + " - " +
                    SkewText(skew) + ")");
  }
  return Status::Ok();
}

Status SigV4Verifier::CheckScope(const SigV4Auth& auth) const {
  std::string problems;
  auto add = [&problems](const std::string& message) {
    if (!problems.empty()) problems.push_back(' ');
    problems += message;
  };
  const auto& regions = options_.regions;
  if (auth.region.empty() ||
      (!regions.empty() && std::find(regions.begin(), regions.end(), auth.region) == regions.end())) {
    add("Credential should be scoped to a valid region, not '" + auth.region + "'.");
  }
  const auto& services = options_.services;
  if (auth.service.empty() ||
      (!services.empty() && std::find(services.begin(), services.end(), auth.service) == services.end())) {
    std::string names;
    for (const std::string& s : services) names += (names.empty() ? "'" : " or '") + s + "'";
    add("Credential should be scoped to correct service: " + names + ".");
  }
  if (auth.terminator != kTerminator) {
    add("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
        auth.terminator + "'.");
  }
  std::string http_date = auth.request_time.substr(0, 8);
  if (auth.scope_date != http_date) {
    add("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '" +
        auth.scope_date + "' != '" + http_date + "', from '" + auth.request_time + "'.");
  }
  if (!problems.empty()) return Mismatch(problems);
  return Status::Ok();
}

Result<std::string> SigV4Verifier::PayloadHash(const HttpRequestView& request) const {
  auto actual = [&request]() -> std::string {
    if (request.payload_hash.has_value()) return ToLower(*request.payload_hash);
    return crypto::HexEncode(crypto::Sha256(request.body));
  };
  std::string hash;
  if (const HttpHeader* claimed = FindHeader(request.headers, "x-amz-content-sha256")) {
    // botocore signs this header's value in place of the body's hash; it
    // must then be the body's hash (or UNSIGNED-PAYLOAD, checked below).
    hash = std::string(Trim(claimed->value));
    if (hash != kUnsignedPayload && ToLower(hash) != actual()) {
      return Mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  } else {
    hash = actual();
  }
  if (hash == kUnsignedPayload && !options_.allow_unsigned_payload) {
    return Mismatch("UNSIGNED-PAYLOAD is not accepted here: the request body must be signed.");
  }
  return hash;
}

Result<std::string> SigV4Verifier::SigningKey(SecretRef& secret, const SigV4Auth& auth) const {
  auto open = [&]() -> Result<SecretKey> {
    IAM_ASSIGN_OR_RETURN(SecretKey plain, secret.Open());
    if (plain.empty()) {
      return Status(StatusCode::kInvalidClientTokenId, std::string(kInvalidClientTokenIdMessage));
    }
    return plain;
  };
  if (!cache_) {
    IAM_ASSIGN_OR_RETURN(SecretKey plain, open());
    return DeriveSigningKey(plain.view(), auth.scope_date, auth.region, auth.service);
  }
  std::optional<SecretKey> plain;
  std::string name;  // 'F' or 'N' first: a fingerprint never equals a given name
  if (secret.name().empty()) {  // unnamed: a keyed fingerprint of the plaintext names it
    IAM_ASSIGN_OR_RETURN(SecretKey opened, open());
    plain = std::move(opened);
    name = "F" + crypto::HmacSha256(fingerprint_key_, plain->view());
  } else {
    name = "N" + secret.name();
  }
  std::string key = SigningKeyCache::CacheKey(name, auth.scope_date, auth.region, auth.service);
  if (std::optional<std::string> cached = cache_->Find(key)) return std::move(*cached);
  if (!plain) {
    IAM_ASSIGN_OR_RETURN(SecretKey opened, open());
    plain = std::move(opened);
  }
  std::string signing_key = DeriveSigningKey(plain->view(), auth.scope_date, auth.region, auth.service);
  cache_->Insert(key, signing_key);
  return signing_key;
}

namespace {

// A plain lookup seen as one that answers with opened, unnamed secrets.
SecretRefLookup AsRefLookup(const SecretLookup& lookup) {
  return [&lookup](const SigV4Auth& auth) -> Result<SecretRef> {
    IAM_ASSIGN_OR_RETURN(SecretKey secret, lookup(auth));
    return SecretRef(std::move(secret));
  };
}

}  // namespace

Result<SigV4Auth> SigV4Verifier::Verify(const HttpRequestView& request,
                                        std::chrono::system_clock::time_point now,
                                        const SecretLookup& lookup) const {
  return Verify(request, now, AsRefLookup(lookup));
}

Result<SigV4Auth> SigV4Verifier::Verify(const HttpRequestView& request, SigV4Auth parsed,
                                        std::chrono::system_clock::time_point now,
                                        const SecretLookup& lookup) const {
  return Verify(request, std::move(parsed), now, AsRefLookup(lookup));
}

Result<SigV4Auth> SigV4Verifier::Verify(const HttpRequestView& request,
                                        std::chrono::system_clock::time_point now,
                                        const SecretRefLookup& lookup) const {
  std::vector<QueryParam> params = ParseQuery(request.query);
  IAM_ASSIGN_OR_RETURN(SigV4Auth auth, ParseWithParams(request, params));
  IAM_RETURN_IF_ERROR(CheckTime(auth, now));
  IAM_RETURN_IF_ERROR(ParseCredential(auth.credential, auth));
  return VerifyParsed(request, params, std::move(auth), lookup);
}

Result<SigV4Auth> SigV4Verifier::Verify(const HttpRequestView& request, SigV4Auth parsed,
                                        std::chrono::system_clock::time_point now,
                                        const SecretRefLookup& lookup) const {
  IAM_RETURN_IF_ERROR(CheckTime(parsed, now));
  return VerifyParsed(request, ParseQuery(request.query), std::move(parsed), lookup);
}

Result<SigV4Auth> SigV4Verifier::VerifyParsed(const HttpRequestView& request,
                                              const std::vector<QueryParam>& params, SigV4Auth auth,
                                              const SecretRefLookup& lookup) const {
  IAM_RETURN_IF_ERROR(CheckScope(auth));
  IAM_ASSIGN_OR_RETURN(std::string payload_hash, PayloadHash(request));
  IAM_ASSIGN_OR_RETURN(std::string canonical_headers,
                       CanonicalHeaders(request.headers, auth.signed_headers));
  bool presigned = auth.form == SigV4Form::kPresignedQuery;
  std::string canonical_request = CanonicalRequest(
      request.method, CanonicalUri(request.path),
      CanonicalQuery(params, presigned ? kSignatureParam : std::string_view()), canonical_headers,
      auth.signed_headers, payload_hash);
  std::string scope =
      auth.scope_date + "/" + auth.region + "/" + auth.service + "/" + std::string(kTerminator);
  std::string string_to_sign = StringToSign(auth.request_time, scope, canonical_request);

  Result<SecretRef> secret = lookup(auth);
  if (!secret.ok()) {
    StatusCode code = secret.status().code();
    if (code == StatusCode::kNoSuchEntity || code == StatusCode::kInvalidClientTokenId) {
      return Status(StatusCode::kInvalidClientTokenId, std::string(kInvalidClientTokenIdMessage));
    }
    return secret.status();
  }
  IAM_ASSIGN_OR_RETURN(std::string signing_key, SigningKey(*secret, auth));
  std::string expected = SignatureHex(signing_key, string_to_sign);
  WipeString(signing_key);
  if (!crypto::ConstantTimeEquals(expected, auth.signature)) {
    std::string message(kSignatureMismatch);
    if (options_.detailed_mismatch_message) {
      message += "\n\nThe Canonical String for this request should have been\n'" +
                 canonical_request + "'\n\nThe String-to-Sign should have been\n'" +
                 string_to_sign + "'\n";
    }
    return Mismatch(std::move(message));
  }
  return auth;
}

}  // namespace iam::auth
