// The server key ring as a running server sees it: an immutable KeyRing
// swapped whole when the store's keys change (a rotation by this server, by
// `iamd keys rotate`, or by another node), so that requests in flight keep
// the ring they started with and no lock is taken on the request path.
//
//   LiveKeyRing ring(store, store.LoadKeyRing().value());
//   std::shared_ptr<const crypto::KeyRing> now = ring.Get();
//   if (token names an unknown key) ring.ReloadFor(key_id);
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "crypto/key_ring.h"
#include "iamd/status.h"
#include "store/store.h"

namespace iam::api {

class LiveKeyRing {
 public:
  LiveKeyRing(store::Store& store, crypto::KeyRing initial);

  // The current ring. Cheap (an atomic load).
  std::shared_ptr<const crypto::KeyRing> Get() const { return ring_.load(std::memory_order_acquire); }

  // Reloads the ring from the store. kInternal/kServiceFailure from the store.
  Status Reload();
  // Reloads when the ring lacks `key_id`, at most once a second (forged key
  // ids must not turn into a store read each). True if the ring now has it.
  bool ReloadFor(uint32_t key_id);
  // Reloads when the store's Generation() moved since the last load (other
  // processes' writes once the StoreWatcher has seen them). No I/O otherwise.
  Status ReloadIfChanged();
  // Adds a fresh key to the store, makes it current and reloads. Returns its id.
  Result<uint32_t> Rotate();

 private:
  store::Store& store_;
  std::atomic<std::shared_ptr<const crypto::KeyRing>> ring_;
  std::mutex reload_mu_;
  std::chrono::steady_clock::time_point last_forced_{};
  int64_t loaded_generation_ = -1;
};

}  // namespace iam::api
