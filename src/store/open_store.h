// OpenStore: the one way to get a Store. The URL picks the backend:
//   sqlite:///var/lib/iamd/iamd.db   a file (absolute path after "sqlite://")
//   sqlite://data/iamd.db            a file relative to the working directory
//   sqlite::memory:                  a private in-memory database (tests)
//   postgres://user@host:port/db     PostgreSQL (several nodes; postgres/postgres_store.h)
//
// The server key ring is stored in the database wrapped by a master key that
// never enters it: the file `master.key` (32 random bytes, mode 0600) beside
// the database file, created on first open; or StoreOptions::master_key.
// On first open the key ring gets its first key.
#pragma once

#include <memory>
#include <string>

#include "iamd/status.h"
#include "store/clock.h"
#include "store/quotas.h"
#include "store/store.h"

namespace iam::store {

struct StoreOptions {
  std::string url = "sqlite::memory:";
  Quotas quotas{};
  std::shared_ptr<const Clock> clock{};  // default: the system clock
  // 32 raw bytes; when empty, read or create master_key_path.
  std::string master_key{};
  // Default: master.key in the database file's folder. In-memory stores
  // without a master_key get a random one that lives as long as the store.
  std::string master_key_path{};
  int max_connections = 8;
  int busy_timeout_ms = 5000;
};

// Returns kInvalidInput for an unknown or unbuilt URL scheme,
// kServiceFailure if the database or master key cannot be opened or created,
// kAccessDenied if master.key is readable by group or others, kInternal if
// the schema is newer than this build or the master key does not unwrap the
// key ring.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

// ReadOrCreateMasterKey returns the 32-byte key in `path`, creating it
// (O_EXCL, mode 0600) if absent. Codes as OpenStore's.
Result<std::string> ReadOrCreateMasterKey(const std::string& path);

}  // namespace iam::store
