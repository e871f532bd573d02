// What every IAM operation handler shares: its context (the store, the key
// ring, the caller and the operation's input as the Query layer parsed it),
// the table the handlers register in, and small readers of the input.
// Internal to service/iam: iam_service.h is the public face.
#pragma once

#include <functional>
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

namespace iam::service {

struct Ctx {
  store::Store& store;
  const crypto::KeyRing& ring;
  const Caller& caller;
  const nlohmann::json& in;
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

// Input readers: a missing or mistyped member reads as the fallback (the
// Query layer has already validated types against the model).
std::string Str(const nlohmann::json& in, const char* key, std::string fallback = "");
bool Has(const nlohmann::json& in, const char* key);
bool BoolIn(const nlohmann::json& in, const char* key, bool fallback = false);
std::optional<int> IntIn(const nlohmann::json& in, const char* key);
std::vector<store::Tag> TagsIn(const nlohmann::json& in);
std::vector<std::string> TagKeysIn(const nlohmann::json& in);
// PathPrefix, Marker and MaxItems.
store::ListOptions ListOpts(const nlohmann::json& in);

// The user an operation is about: UserName, or the calling user when absent.
Result<std::string> TargetUser(const Caller& caller, const nlohmann::json& in);

// Checks a document against the policy grammar of `type`
// (kMalformedPolicyDocument with AWS's message).
Status CheckPolicy(const std::string& document, policy::PolicyType type);

// IsTruncated, and Marker when there is a next page.
template <typename T>
void PutPage(nlohmann::json& out, const store::Page<T>& page) {
  out["IsTruncated"] = page.is_truncated;
  if (page.is_truncated) out["Marker"] = page.marker;
}

}  // namespace iam::service
