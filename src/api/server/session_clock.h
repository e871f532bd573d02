// The clock of temporary credentials: when a session is issued and whether
// it has expired. It is the system clock, unless a test moves it: with an
// offset file (`iamd serve --clock-offset-file F`, for tests only) the
// integer number of seconds in F is added, reread on every call, so that an
// integration test can expire a 900-second session without sleeping. SigV4's
// 15-minute window keeps the real clock.
//
// Thread-safety: const methods may be called from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace iam::api {

class SessionClock {
 public:
  SessionClock() = default;
  explicit SessionClock(std::string offset_file) : offset_file_(std::move(offset_file)) {}

  // Seconds since the epoch, plus the test offset if any (a missing or
  // unreadable file counts as 0).
  int64_t Now() const;

 private:
  std::string offset_file_;
};

}  // namespace iam::api
