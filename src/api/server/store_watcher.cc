#include "api/server/store_watcher.h"

#include <algorithm>
#include <iostream>
#include <string>

namespace iam::api {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StoreWatcher::StoreWatcher(store::Store& store, LiveKeyRing& ring, StoreWatcherOptions options)
    : store_(store), ring_(ring), options_(options), last_contact_ns_(NowNs()), thread_([this] { Run(); }) {}

StoreWatcher::~StoreWatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status StoreWatcher::Fresh() const {
  if (options_.max_stale.count() <= 0) return Status();
  const int64_t age_ns = NowNs() - last_contact_ns_.load(std::memory_order_acquire);
  if (age_ns <= std::chrono::duration_cast<std::chrono::nanoseconds>(options_.max_stale).count()) return Status();
  return ServiceFailure("iamd has not reached its database for " + std::to_string(age_ns / 1'000'000'000) +
                        " seconds, longer than --max-stale (" + std::to_string(options_.max_stale.count() / 1000) +
                        " seconds), so it cannot know of recent revocations; try again later.");
}

bool StoreWatcher::Pause(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stop_; });
}

void StoreWatcher::Run() {
  int64_t seen = store_.Generation();
  // After a failure, retry at least once a second so recovery is prompt.
  const auto retry = std::min(options_.poll_interval, std::chrono::milliseconds(1000));
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
    Result<int64_t> generation = options_.notifications
                                     ? store_.WaitForChange(seen, options_.poll_interval)
                                     : store_.Store::WaitForChange(seen, options_.poll_interval);  // polls
    if (!generation.ok()) {
      if (reachable_.exchange(false, std::memory_order_acq_rel)) {
        std::cerr << "iamd: database unreachable (" << generation.status().ToString()
                  << "); serving authentication and authorization from cache, refusing writes\n"
                  << std::flush;
      }
      if (!Pause(retry)) return;
      continue;
    }
    last_contact_ns_.store(NowNs(), std::memory_order_release);
    if (!reachable_.exchange(true, std::memory_order_acq_rel)) {
      std::cerr << "iamd: database reachable again\n" << std::flush;
    }
    seen = *generation;
    // Keys added by other nodes (a rotation): seal with the newest. No I/O
    // unless the generation moved; a failure keeps the ring and retries.
    (void)ring_.ReloadIfChanged();
  }
}

}  // namespace iam::api
