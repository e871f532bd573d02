// Where the store gets "now": injected so that tests can move time.
#pragma once

#include <atomic>
#include <chrono>

#include "store/model.h"

namespace iam::store {

// Thread-safe: implementations must allow concurrent Now().
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told, for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp now = 1700000000) : now_(now) {}
  Timestamp Now() const override { return now_.load(); }
  void Set(Timestamp t) { now_.store(t); }
  void Advance(Timestamp seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace iam::store
