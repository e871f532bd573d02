// Root access keys of accounts. The store's access keys belong to IAM users,
// and an account root is not one, so root keys live in a small file beside
// the store (DIR/root_keys): one line per key,
//   AKIA... ACCOUNT_ID Active|Inactive CREATE_DATE HEX(sealed secret)
// appended atomically (one write() on an O_APPEND descriptor), so that
// `iamd account create` can add a key while a server runs; the server
// rereads the file when it meets a key id it does not know.
// The secret is sealed with the store's key ring (aad: the access key id).
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "iamd/status.h"

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
  explicit RootKeys(std::string path) : path_(std::move(path)) {}

  // Find returns the key, rereading the file if the id is unknown.
  // kNoSuchEntity if no such key; kServiceFailure if the file is unreadable.
  Result<RootKey> Find(std::string_view access_key_id);
  // Add appends a key. kServiceFailure if the file cannot be written.
  Status Add(const RootKey& key);

 private:
  Status LoadLocked();

  std::string path_;
  std::mutex mu_;
  std::map<std::string, RootKey, std::less<>> keys_;
};

}  // namespace iam::service
