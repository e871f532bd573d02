// Keeps a node's caches in step with writes made by other nodes, and tells
// how stale this node's view may be when the database cannot be reached.
//
// A thread loops on Store::WaitForChange: the store's Generation() then
// moves when any node commits (within the poll interval, or at once where
// the backend is notified, as PostgreSQL's LISTEN/NOTIFY), and every cache
// keyed by the generation (resolved keys, principals, compiled policies)
// drops what it had; the key ring is reloaded when it moves, so a rotation
// on one node reaches all.
//
// While the database is unreachable the generation stands still, so the
// caches keep serving authentication and authorization (static stability);
// once this node has not reached the database for `max_stale`, Fresh()
// fails and the node refuses decisions too: it can no longer know of
// revocations. It recovers by itself when the database answers again.
//
//   StoreWatcher watcher(store, ring, {.poll_interval = 1s, .max_stale = 300s});
//   IAM_RETURN_IF_ERROR(watcher.Fresh());   // before a decision
//
// Thread-safety: Fresh() and Reachable() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "api/server/live_key_ring.h"
#include "iamd/status.h"
#include "store/store.h"

namespace iam::api {

struct StoreWatcherOptions {
  // The longest WaitForChange waits: without notifications, other nodes'
  // writes are seen within this. Shutdown waits up to this long too.
  std::chrono::milliseconds poll_interval{1000};
  // How long the node serves from its caches without reaching the database
  // before it refuses decisions. Zero: forever.
  std::chrono::milliseconds max_stale{300'000};
  // False: poll even where the backend could be notified (to measure
  // polling alone, or where notifications do not pass).
  bool notifications = true;
};

class StoreWatcher {
 public:
  StoreWatcher(store::Store& store, LiveKeyRing& ring, StoreWatcherOptions options);
  // Stops the thread (within one poll interval) and joins it.
  ~StoreWatcher();
  StoreWatcher(const StoreWatcher&) = delete;
  StoreWatcher& operator=(const StoreWatcher&) = delete;

  // OK while the database was reached within max_stale; kServiceFailure
  // (HTTP 503) with an explanation otherwise.
  Status Fresh() const;
  // False from a failed read of the generation until the next good one.
  bool Reachable() const { return reachable_.load(std::memory_order_acquire); }

 private:
  void Run();
  // Sleeps up to `d` unless stopping; false when stopping.
  bool Pause(std::chrono::milliseconds d);

  store::Store& store_;
  LiveKeyRing& ring_;
  StoreWatcherOptions options_;
  std::atomic<int64_t> last_contact_ns_;  // steady_clock, since its epoch
  std::atomic<bool> reachable_{true};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace iam::api
