// AWS Signature Version 4 verification, the check that authenticates every
// IAM and STS request. Independent of any HTTP library: the caller describes
// the request with an HttpRequestView and supplies a SecretLookup that turns
// an access key id into its secret.
//
//   SigV4Verifier verifier;  // services iam and sts, 15 minutes of skew
//   HttpHeader headers[] = {{"Host", "iam.example"}, {"X-Amz-Date", ...},
//                           {"Authorization", "AWS4-HMAC-SHA256 ..."}};
//   HttpRequestView request;
//   request.method = "POST";
//   request.headers = headers;
//   request.body = "Action=ListUsers&Version=2010-05-08";
//   Result<SigV4Auth> auth = verifier.Verify(request, clock.now(), lookup);
//   if (!auth.ok()) return auth.status();  // AWS's code and message
//   // auth->access_key_id signed this request (record its last use with
//   // auth->service and auth->region, as GetAccessKeyLastUsed reports).
//
// The lookup runs only once the syntax, clock and scope checks passed, so
// malformed or stale requests never reach the store.
//
// Thread-safety: ParseSigV4 is a pure function; a SigV4Verifier may be shared
// by all threads (its signing-key cache locks internally).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/canonical.h"
#include "auth/secret_key.h"
#include "auth/signing_key_cache.h"
#include "iamd/status.h"

namespace iam::auth {

// One header line as received: the name in any case, the value untrimmed.
struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

// What SigV4 needs of an HTTP request. All views: the caller keeps the bytes
// alive for the duration of the call.
struct HttpRequestView {
  std::string_view method;  // "GET", "POST", ... as on the request line
  // The path as on the request line, still percent-encoded ("/", "/a%20b"),
  // without the query.
  std::string_view path = "/";
  // The raw query string after '?', still percent-encoded; empty if none.
  std::string_view query;
  // Every header in the order received; a name may repeat.
  std::span<const HttpHeader> headers;
  // The body. Ignored when payload_hash is set.
  std::string_view body;
  // The lowercase hex SHA-256 of the body when the caller already has it, or
  // "UNSIGNED-PAYLOAD" (accepted only if the options allow it).
  std::optional<std::string_view> payload_hash;
};

enum class SigV4Form {
  kAuthorizationHeader,  // Authorization: AWS4-HMAC-SHA256 Credential=...
  kPresignedQuery,       // ?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...
};

// The parts of a signature, as the request states them (nothing verified).
struct SigV4Auth {
  SigV4Form form = SigV4Form::kAuthorizationHeader;
  // The credential as sent: <access key id>/<credential scope>.
  std::string credential;
  std::string access_key_id;
  // The credential scope: <scope_date>/<region>/<service>/<terminator>.
  std::string scope_date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;  // "aws4_request" when valid
  // SignedHeaders, lowercased, in the order given (clients send them sorted).
  std::vector<std::string> signed_headers;
  std::string signature;       // lowercase hex as sent
  std::string security_token;  // X-Amz-Security-Token; empty when absent
  // The request time in ISO 8601 basic format ("20150830T123600Z"), from
  // X-Amz-Date (header or query) or the Date header.
  std::string request_time;
  std::chrono::sys_seconds request_time_point{};
  // X-Amz-Expires of a presigned request, in seconds; absent for the header
  // form and for presigned requests without it.
  std::optional<int64_t> expires_seconds;
};

// ParseSigV4 finds the signature of `request` (Authorization header or
// presigned query) and checks its syntax, in AWS's order. It does not look at
// the clock, the scope's values or the signature itself.
// Errors:
//   kMissingAuthenticationToken  nothing signed ("Request is missing
//                                Authentication Token").
//   kIncompleteSignature         missing Credential/Signature/SignedHeaders/
//                                date, a parameter without '=', an unsupported
//                                algorithm, a malformed date or credential,
//                                a bad X-Amz-Expires.
//   kSignatureDoesNotMatch       both forms at once, or `host` not signed.
Result<SigV4Auth> ParseSigV4(const HttpRequestView& request);

// The signature's secret, looked up by access key id (and session token when
// the request carries one). Return kInvalidClientTokenId or kNoSuchEntity for
// an unknown or inactive key (both become AWS's InvalidClientTokenId message),
// kExpiredToken for an expired session; other codes pass through unchanged.
using SecretLookup = std::function<Result<SecretKey>(const SigV4Auth& auth)>;

// A secret as a lookup found it, perhaps still sealed. A named secret lets
// the verifier reuse the signing key it derived before without opening the
// secret again: `name` must change whenever the secret does (an access key
// id with its sealed bytes, which a new seal changes) and `open` yields the
// plaintext on a cache miss. An opened secret has no name: the verifier
// fingerprints it for the cache.
class SecretRef {
 public:
  SecretRef(SecretKey opened) : opened_(std::move(opened)) {}  // NOLINT: implicit by design
  SecretRef(std::string name, std::function<Result<SecretKey>()> open)
      : name_(std::move(name)), open_(std::move(open)) {}

  const std::string& name() const { return name_; }
  // The plaintext: the opened secret (once), or what `open` returns.
  Result<SecretKey> Open() {
    if (open_) return open_();
    return std::move(opened_);
  }

 private:
  std::string name_;
  std::function<Result<SecretKey>()> open_;
  SecretKey opened_;
};

// A lookup that answers with a SecretRef (see above); same error contract.
using SecretRefLookup = std::function<Result<SecretRef>(const SigV4Auth& auth)>;

struct SigV4Options {
  // The services a credential scope may name. Reported, in order, in AWS's
  // "Credential should be scoped to correct service" message. Empty accepts
  // any non-empty service (requests forwarded by other services).
  std::vector<std::string> services = {"iam", "sts"};
  // The regions a scope may name; empty accepts any non-empty region.
  std::vector<std::string> regions;
  // How far the request time may be from the server clock, either way.
  std::chrono::seconds max_skew = std::chrono::minutes(15);
  // Whether "UNSIGNED-PAYLOAD" may stand for the body hash. IAM and STS carry
  // their parameters in the body, so the default is no.
  bool allow_unsigned_payload = false;
  // Whether SignatureDoesNotMatch carries the canonical request and string to
  // sign the server expected, as AWS's query services do.
  bool detailed_mismatch_message = true;
  // Derived signing keys kept (LRU); 0 disables the cache.
  size_t signing_key_cache_capacity = 4096;
};

// The maximum X-Amz-Expires of a presigned request: seven days.
inline constexpr int64_t kMaxPresignedExpiresSeconds = 604800;

// Verifies requests against one set of options. Immutable apart from its
// signing-key cache; share one instance between threads.
class SigV4Verifier {
 public:
  explicit SigV4Verifier(SigV4Options options = {});
  ~SigV4Verifier();
  SigV4Verifier(const SigV4Verifier&) = delete;
  SigV4Verifier& operator=(const SigV4Verifier&) = delete;

  // Verify checks that `request` was signed, at a time close to `now`, for
  // an allowed scope, by the holder of the secret `lookup` returns, and
  // returns what the signature states.
  // Errors: those of ParseSigV4, and
  //   kSignatureDoesNotMatch  request time more than max_skew from `now`
  //                           ("Signature expired: ..." / "Signature not yet
  //                           current: ..."), a bad scope (region, service,
  //                           terminator, date), a signed header missing, a
  //                           payload hash that does not match the body, or
  //                           a wrong signature.
  //   kRequestExpired         a presigned request past its X-Amz-Expires.
  //   kInvalidClientTokenId   `lookup` does not know the key.
  //   anything else `lookup` returns (kExpiredToken, kServiceFailure...).
  Result<SigV4Auth> Verify(const HttpRequestView& request,
                           std::chrono::system_clock::time_point now,
                           const SecretLookup& lookup) const;

  // The same, for a request already parsed: `parsed` is ParseSigV4(request)'s
  // value (callers that parse first to learn the service do not parse twice).
  Result<SigV4Auth> Verify(const HttpRequestView& request, SigV4Auth parsed,
                           std::chrono::system_clock::time_point now,
                           const SecretLookup& lookup) const;

  // The same two, with a lookup that may name its secret (SecretRef): a
  // signing key derived before is then found without opening the secret.
  Result<SigV4Auth> Verify(const HttpRequestView& request,
                           std::chrono::system_clock::time_point now,
                           const SecretRefLookup& lookup) const;
  Result<SigV4Auth> Verify(const HttpRequestView& request, SigV4Auth parsed,
                           std::chrono::system_clock::time_point now,
                           const SecretRefLookup& lookup) const;

  const SigV4Options& options() const { return options_; }
  // Null when the cache is disabled.
  const SigningKeyCache* cache() const { return cache_.get(); }

 private:
  // kSignatureDoesNotMatch or kRequestExpired when the request time is
  // outside the window around `now`.
  Status CheckTime(const SigV4Auth& auth, std::chrono::system_clock::time_point now) const;
  // Everything after the time check: scope, payload, signature.
  Result<SigV4Auth> VerifyParsed(const HttpRequestView& request, const std::vector<QueryParam>& params,
                                 SigV4Auth auth, const SecretRefLookup& lookup) const;
  // kSignatureDoesNotMatch listing every bad part of the credential scope.
  Status CheckScope(const SigV4Auth& auth) const;
  // The payload hash to sign: the body's, or a claimed x-amz-content-sha256
  // that must match it. kSignatureDoesNotMatch on a mismatch or a refused
  // UNSIGNED-PAYLOAD.
  Result<std::string> PayloadHash(const HttpRequestView& request) const;
  // The signing key for `secret` and the scope of `auth`, from the cache
  // when possible (a named secret is opened only on a miss). Errors: those
  // of opening the secret; kInvalidClientTokenId for an empty secret.
  Result<std::string> SigningKey(SecretRef& secret, const SigV4Auth& auth) const;

  SigV4Options options_;
  std::unique_ptr<SigningKeyCache> cache_;
  std::string fingerprint_key_;  // random per process; keys the cache
};

// AWS's message for an unknown access key, for lookups that build their own
// kInvalidClientTokenId status.
inline constexpr std::string_view kInvalidClientTokenIdMessage =
    "The security token included in the request is invalid.";

}  // namespace iam::auth
