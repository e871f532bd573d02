// The decision endpoint's request body, read into typed questions (the
// contract: README, "The decision endpoint").
//
//   thread_local AuthorizeBodyReader reader;
//   AuthorizeBody body;
//   std::string_view where;  // "signed_request" when that part is wrong
//   if (Status s = reader.Read(request.body, body, where); !s.ok()) ...
//
// The body is read with the policy engine's JSON tape reader: no tree of
// nodes, strings viewed where they lie. A body it refuses (duplicate keys,
// a byte-order mark, invalid JSON) is parsed by nlohmann as the endpoint
// always parsed it, and what nlohmann accepts is read again from its
// rendering, so every body means what it meant and fails as it failed.
// Objects' members are visited in nlohmann's order (sorted by key bytes).
//
// Thread-safety: one reader per thread; an AuthorizeBody views the reader's
// text and is valid until its next Read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iamd/policy.h"
#include "iamd/status.h"
#include "policy/fast_json.h"

namespace iam::api {

// At most this many questions in one batch.
inline constexpr size_t kMaxAuthorizeBatch = 100;

// One request context key as given: a string, or a list of strings.
struct ContextEntry {
  std::string_view key;
  bool multi = false;
  std::vector<std::string_view> values;
};

// One question: an action on a resource, with its context and resource policy.
struct AuthorizeQuestion {
  std::string action, resource, resource_account;
  std::vector<ContextEntry> context;  // sorted by key
  std::optional<policy::Policy> resource_policy;
  // The value of `key` (exact spelling) when it is one string, else "".
  std::string_view ContextString(std::string_view key) const;
};

// The client's request as the resource server received it.
struct ForwardedRequest {
  std::string_view method, path, query, body, payload_hash;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
};

struct AuthorizeBody {
  bool batch = false;  // "requests" given: answer with "results"
  std::vector<AuthorizeQuestion> questions;
  bool by_arn = false;          // principal_arn given (else signed_request)
  std::string principal_arn;    // "" unless a string
  ForwardedRequest forwarded;   // when !by_arn
};

class AuthorizeBodyReader {
 public:
  // Reads `text` into `out`. kInvalidInput / kLimitExceeded / the resource
  // policy's error with the endpoint's messages; `where` is set to
  // "signed_request" when the forwarded request is what is wrong.
  Status Read(std::string_view text, AuthorizeBody& out, std::string_view& where);

 private:
  Status ReadQuestion(uint32_t obj, uint32_t defaults, const std::string& where, AuthorizeQuestion& q);
  Status ReadForwarded(uint32_t node, ForwardedRequest& f);
  // The members of object `obj` in nlohmann's order (by key bytes).
  const std::vector<std::pair<std::string_view, uint32_t>>& SortedMembers(uint32_t obj);
  std::string_view Str(uint32_t obj, std::string_view key) const;  // "" unless a string member

  policy::JsonDoc doc_;
  std::string rendered_;  // nlohmann's rendering of a body the tape reader refused
  std::vector<std::pair<std::string_view, uint32_t>> members_;
};

}  // namespace iam::api
