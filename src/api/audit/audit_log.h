// The audit trail's file: one JSON object per line, appended by a writer
// thread so that a request only formats its line and queues it; the file
// rotates by size (audit.log -> audit.log.1 -> ... -> audit.log.N, oldest
// dropped). Lines are flushed to the kernel within `flush_interval` and on
// Close(); they are not fsync'ed one by one (a crash of the machine may lose
// the last interval, as with CloudTrail's delivery delay).
//
//   Result<std::unique_ptr<AuditLog>> log = AuditLog::Open({.path = dir + "/audit.log"});
//   (*log)->Append(line);   // from any thread
//
// Thread-safety: Append may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "iamd/status.h"

namespace iam::api {

struct AuditLogOptions {
  std::string path;
  uint64_t max_bytes = 64ull << 20;  // rotate past this size
  int max_files = 5;                 // rotated files kept beside the current one
  std::chrono::milliseconds flush_interval{200};
  size_t max_queued_bytes = 64ull << 20;  // past this, Append waits (back-pressure, never drops)
};

class AuditLog {
 public:
  // Opens (creating, mode 0600) the file for appending. kServiceFailure.
  static Result<std::unique_ptr<AuditLog>> Open(AuditLogOptions options);
  ~AuditLog();  // Close()
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Queues one line (without its newline).
  void Append(std::string line);
  // Writes everything queued so far and waits until it is written.
  void Flush();
  // Flushes and stops the writer thread. Idempotent.
  void Close();

  // Write or rotation failures since start (the trail keeps going).
  uint64_t failures() const;

 private:
  explicit AuditLog(AuditLogOptions options, int fd, uint64_t size);
  void Run();
  void WriteBatch(const std::string& batch);
  void Rotate();

  const AuditLogOptions options_;
  int fd_;
  uint64_t size_;

  mutable std::mutex mu_;
  std::condition_variable wake_;      // writer: work or stop
  std::condition_variable drained_;   // Flush/Append: the queue moved
  std::string queue_;
  std::string writing_;  // the writer's batch (its thread only, outside the lock)
  uint64_t queued_seq_ = 0, written_seq_ = 0;
  bool stop_ = false;
  uint64_t failures_ = 0;
  std::thread writer_;
};

}  // namespace iam::api
