// Root access keys of accounts. An account root is not an IAM user, so its
// keys are not the store's user access keys; they live in the store's own
// table (StoreOps::AddRootAccessKey), so that every node on a shared
// database authenticates roots. Older iamd kept them in a file beside the
// database (DIR/root_keys, one line per key:
//   AKIA... ACCOUNT_ID Active|Inactive CREATE_DATE HEX(sealed secret));
// ImportRootKeysFile moves such a file into the store once.
// The secret is sealed with the store's key ring (aad: the access key id).
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "iamd/status.h"
#include "store/store.h"

namespace iam::service {

struct RootKey {
  std::string access_key_id;
  std::string account_id;
  bool active = true;
  int64_t create_date = 0;
  std::string sealed_secret;
};

class RootKeys {
 public:
  explicit RootKeys(store::Store& store) : store_(store) {}

  // Find returns the key. Found keys are remembered until the store's
  // generation moves. kNoSuchEntity if no such key; kServiceFailure if the
  // store cannot be read.
  Result<RootKey> Find(std::string_view access_key_id);
  // Add stores a key. kNoSuchEntity (account), kEntityAlreadyExists.
  Status Add(const RootKey& key);

 private:
  store::Store& store_;
  std::mutex mu_;
  int64_t generation_ = -1;
  std::map<std::string, RootKey, std::less<>> cache_;
};

// RootKey <-> the store's record.
store::RootAccessKey ToStore(const RootKey& k);

// ImportRootKeysFile moves the keys of an older iamd's root_keys file at
// `path` into the store (keys already there are kept) and renames the file
// to `path`.imported, so that it is read once. Nothing to do if there is no
// file. kServiceFailure if it cannot be read or renamed.
Status ImportRootKeysFile(store::Store& store, const std::string& path);

}  // namespace iam::service
