// What every IAM operation handler shares: its context (the store, the key
// ring, the caller and the operation's input as the Query layer parsed it),
// the table the handlers register in, and small readers of the input.
// Internal to service/iam: iam_service.h is the public face.
#pragma once

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/key_ring.h"
#include "iamd/policy.h"
#include "iamd/status.h"
#include "service/caller.h"
#include "service/iam/iam_json.h"
#include "service/iam/iam_service.h"
#include "store/store.h"
#include "store/validation.h"

namespace iam::service {

struct Ctx {
  store::Store& store;
  const crypto::KeyRing& ring;
  const Caller& caller;
  const nlohmann::json& in;
  std::string_view operation;  // the markers it hands out name it
  const std::string& account() const { return caller.account_id; }
};

using Op = std::function<Result<nlohmann::json>(Ctx&)>;
using OpTable = std::map<std::string, Op, std::less<>>;

// Each family of operations registers its handlers (one file each).
void AddUserOps(OpTable& ops);
void AddGroupOps(OpTable& ops);
void AddPolicyOps(OpTable& ops);
void AddPrincipalPolicyOps(OpTable& ops);
void AddRoleOps(OpTable& ops);
void AddCredentialOps(OpTable& ops);
void AddAccountOps(OpTable& ops);
void AddTagOps(OpTable& ops);
void AddSimulationOps(OpTable& ops);
void AddMfaOps(OpTable& ops);
void AddOidcProviderOps(OpTable& ops);
void AddSamlProviderOps(OpTable& ops);

// Input readers: a missing or mistyped member reads as the fallback (the
// Query layer has already validated types against the model).
std::string Str(const nlohmann::json& in, const char* key, std::string fallback = "");
bool Has(const nlohmann::json& in, const char* key);
bool BoolIn(const nlohmann::json& in, const char* key, bool fallback = false);
std::optional<int> IntIn(const nlohmann::json& in, const char* key);
std::vector<store::Tag> TagsIn(const nlohmann::json& in);
std::vector<std::string> TagKeysIn(const nlohmann::json& in);
// PathPrefix, MaxItems and Marker, decoded: kValidationError "Invalid
// Marker." when it is not one this operation handed out.
Result<store::ListOptions> ListOpts(const Ctx& c);

// Markers are opaque to clients: base64url of the operation and the store's
// position, so a marker of another list, or garbage, is refused.
std::string EncodeMarker(std::string_view operation, std::string_view position);
Result<std::string> DecodeMarker(std::string_view operation, std::string_view marker);
Status InvalidMarker();

// The user an operation is about: UserName, or the calling user when absent.
Result<std::string> TargetUser(const Caller& caller, const nlohmann::json& in);

// Checks a document against the policy grammar of `type`
// (kMalformedPolicyDocument with AWS's message).
Status CheckPolicy(const std::string& document, policy::PolicyType type);

// IsTruncated, and Marker when there is a next page.
template <typename T>
void PutPage(const Ctx& c, nlohmann::json& out, const store::Page<T>& page) {
  out["IsTruncated"] = page.is_truncated;
  if (page.is_truncated) out["Marker"] = EncodeMarker(c.operation, page.marker);
}

// Pages a whole list the store returns at once (a user's access keys, a
// policy's versions, an entity's tags), keeping its order: the position is
// the key of the first item of the next page. kValidationError for bad
// MaxItems or a marker naming no item (it was deleted meanwhile).
template <typename T, typename KeyOf>
Result<store::Page<T>> PageOf(std::vector<T> all, const store::ListOptions& o, KeyOf key_of) {
  if (Status s = store::ValidateListOptions(o); !s.ok()) return s;
  size_t start = 0;
  if (!o.marker.empty()) {
    while (start < all.size() && key_of(all[start]) != o.marker) ++start;
    if (start == all.size()) return InvalidMarker();
  }
  size_t end = std::min(all.size(), start + static_cast<size_t>(o.max_items));
  store::Page<T> page;
  if (end < all.size()) {
    page.is_truncated = true;
    page.marker = key_of(all[end]);
  }
  page.items.assign(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(start)),
                    std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end)));
  return page;
}

}  // namespace iam::service
