// Pieces the SQL backends' Store classes share: a bounded connection pool,
// the published generation, and running a transaction callback safely.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "iamd/status.h"
#include "store/store.h"

namespace iam::store::sql {

// At most `max` connections, opened on demand with `open`; Acquire waits
// when all are in use. Thread-safe.
template <typename Conn>
class Pool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Conn>>()>;
  Pool(int max, Opener open) : max_(max < 1 ? 1 : max), open_fn_(std::move(open)) {}

  // Adds an already open connection (counts towards max).
  void Add(std::unique_ptr<Conn> c) {
    std::lock_guard<std::mutex> lock(mu_);
    ++open_;
    idle_.push_back(std::move(c));
  }

  // An idle connection, else a new one if under max, else waits for one.
  // The opener's error if a new one cannot be opened.
  Result<std::unique_ptr<Conn>> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (!idle_.empty()) {
        std::unique_ptr<Conn> c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      if (open_ < max_) {
        ++open_;
        lock.unlock();
        Result<std::unique_ptr<Conn>> c = open_fn_();
        if (!c.ok()) {
          lock.lock();
          --open_;
          cv_.notify_one();
        }
        return c;
      }
      cv_.wait(lock);
    }
  }

  // Gives a connection back; a broken one (`healthy` false) is closed, and
  // the next Acquire opens a fresh one in its place.
  void Release(std::unique_ptr<Conn> c, bool healthy = true) {
    if (!healthy) c.reset();
    std::lock_guard<std::mutex> lock(mu_);
    if (healthy) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
    cv_.notify_one();
  }

 private:
  const int max_;
  const Opener open_fn_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
};

// The newest generation this process has seen; it never moves back.
class GenerationCell {
 public:
  int64_t Get() const { return value_.load(std::memory_order_acquire); }
  void Publish(int64_t g) {
    int64_t cur = value_.load(std::memory_order_relaxed);
    while (cur < g && !value_.compare_exchange_weak(cur, g, std::memory_order_release)) {
    }
  }

 private:
  std::atomic<int64_t> value_{0};
};

// Runs a Transact callback; an exception becomes kInternal.
inline Status RunCallback(const std::function<Status(StoreOps&)>& fn, StoreOps& ops) {
  try {
    return fn(ops);
  } catch (const std::exception& e) {
    return Internal(std::string("exception in transaction: ") + e.what());
  } catch (...) {
    return Internal("unknown exception in transaction");
  }
}

}  // namespace iam::store::sql
