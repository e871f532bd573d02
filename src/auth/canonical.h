// The canonical request of SigV4, piece by piece, exactly as AWS defines it
// for services other than S3 (whose paths are encoded once, not twice):
//
//   <METHOD>\n<canonical uri>\n<canonical query>\n<canonical headers>\n
//   <signed headers>\n<payload hash>
//
// and the string to sign and signing key built on it. Pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iamd/status.h"

namespace iam::auth {

struct HttpHeader;

// UriEncode percent-encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/'
// when `keep_slash`), with uppercase hex, as SigV4 requires.
std::string UriEncode(std::string_view bytes, bool keep_slash);
// UriDecode undoes percent-encoding. An invalid escape stays as it is ('%'
// then encodes to %25, so the signature simply does not match); '+' stays '+'.
std::string UriDecode(std::string_view text);

// CanonicalUri normalises the raw (already once encoded) request path the way
// AWS and botocore do: dot segments resolved, repeated slashes collapsed,
// empty path "/"; then encodes it again, segment by segment.
std::string CanonicalUri(std::string_view raw_path);

// One query parameter, decoded.
struct QueryParam {
  std::string name;
  std::string value;
};
// ParseQuery splits a raw query string on '&' (empty pieces skipped) and each
// piece on its first '=', decoding both halves.
std::vector<QueryParam> ParseQuery(std::string_view raw_query);
// CanonicalQuery encodes every parameter, sorts by encoded name then encoded
// value, and joins them as name=value&...; `skip` names a parameter to leave
// out (X-Amz-Signature of a presigned request), or is empty.
std::string CanonicalQuery(const std::vector<QueryParam>& params, std::string_view skip);

// TrimAll trims a header value and folds each run of whitespace into one space.
std::string TrimAll(std::string_view value);

// CanonicalHeaders writes "name:value\n" for each of `signed_headers` (lower
// case, in the given order), joining repeated headers' values with ','.
// Returns kSignatureDoesNotMatch naming the first signed header the request
// does not have.
Result<std::string> CanonicalHeaders(std::span<const HttpHeader> headers,
                                     std::span<const std::string> signed_headers);

// CanonicalRequest assembles the six lines.
std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, std::string_view canonical_headers,
                             std::span<const std::string> signed_headers,
                             std::string_view payload_hash);

// StringToSign is "AWS4-HMAC-SHA256\n<time>\n<scope>\n<hex sha256 of creq>".
std::string StringToSign(std::string_view request_time, std::string_view scope,
                         std::string_view canonical_request);

// DeriveSigningKey is the HMAC chain from "AWS4" + secret through date,
// region, service and "aws4_request"; 32 raw bytes. The intermediate keys are
// wiped.
std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);

// SignatureHex is hex(HMAC(signing_key, string_to_sign)).
std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign);

}  // namespace iam::auth
