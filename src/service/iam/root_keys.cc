#include "service/iam/root_keys.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "common/status_macros.h"

namespace iam::service {
namespace {

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

store::RootAccessKey ToStore(const RootKey& k) {
  return {k.access_key_id, k.account_id, k.active, k.create_date, k.sealed_secret};
}

Result<RootKey> RootKeys::Find(std::string_view access_key_id) {
  int64_t generation = store_.Generation();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (generation != generation_) {
      cache_.clear();
      generation_ = generation;
    }
    auto it = cache_.find(access_key_id);
    if (it != cache_.end()) return it->second;
  }
  IAM_ASSIGN_OR_RETURN(store::RootAccessKey k, store_.GetRootAccessKey(access_key_id));
  RootKey key{k.access_key_id, k.account_id, k.active, k.create_date, k.sealed_secret};
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) cache_[key.access_key_id] = key;
  return key;
}

Status RootKeys::Add(const RootKey& key) { return store_.AddRootAccessKey(ToStore(key)); }

Status ImportRootKeysFile(store::Store& store, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return Status();
    return ServiceFailure("cannot read " + path + ": " + std::strerror(errno));
  }
  std::vector<RootKey> keys;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    RootKey k;
    std::string status, hex;
    if (!(fields >> k.access_key_id >> k.account_id >> status >> k.create_date >> hex)) continue;
    std::optional<std::string> sealed = HexDecode(hex);
    if (!sealed) continue;
    k.active = status == "Active";
    k.sealed_secret = std::move(*sealed);
    keys.push_back(std::move(k));
  }
  IAM_RETURN_IF_ERROR(store.Transact(store::TxnMode::kWrite, [&](store::StoreOps& t) -> Status {
    for (const RootKey& k : keys) {
      if (t.GetRootAccessKey(k.access_key_id).ok()) continue;
      IAM_RETURN_IF_ERROR(t.AddRootAccessKey(ToStore(k)));
    }
    return Status();
  }));
  std::string done = path + ".imported";
  if (std::rename(path.c_str(), done.c_str()) != 0) {
    return ServiceFailure("cannot rename " + path + ": " + std::strerror(errno));
  }
  return Status();
}

}  // namespace iam::service
