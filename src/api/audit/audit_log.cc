#include "api/audit/audit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace iam::api {

Result<std::unique_ptr<AuditLog>> AuditLog::Open(AuditLogOptions options) {
  int fd = ::open(options.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return ServiceFailure("cannot open the audit log " + options.path + ": " + std::strerror(errno));
  struct stat st {};
  uint64_t size = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return std::unique_ptr<AuditLog>(new AuditLog(std::move(options), fd, size));
}

AuditLog::AuditLog(AuditLogOptions options, int fd, uint64_t size)
    : options_(std::move(options)), fd_(fd), size_(size), writer_([this] { Run(); }) {}

AuditLog::~AuditLog() { Close(); }

void AuditLog::Append(std::string line) {
  std::unique_lock<std::mutex> lock(mu_);
  // Back-pressure instead of loss: an audit trail must not drop records.
  drained_.wait(lock, [&] { return stop_ || queue_.size() < options_.max_queued_bytes; });
  if (stop_) return;
  queue_ += line;
  queue_ += '\n';
  ++queued_seq_;
}

void AuditLog::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t target = queued_seq_;
  wake_.notify_one();
  drained_.wait(lock, [&] { return written_seq_ >= target || stop_; });
}

void AuditLog::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  drained_.notify_all();
  ::close(fd_);
}

uint64_t AuditLog::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

void AuditLog::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait_for(lock, options_.flush_interval, [&] { return stop_ || written_seq_ < queued_seq_; });
    if (queue_.empty()) {
      if (stop_) return;
      continue;
    }
    // Two buffers that trade places keep their capacity: a fresh one per
    // batch grew by doubling every interval, and its large blocks made
    // malloc consolidate its free lists on the request threads.
    writing_.clear();
    writing_.swap(queue_);
    uint64_t seq = queued_seq_;
    lock.unlock();
    WriteBatch(writing_);
    if (writing_.capacity() > (4u << 20)) writing_ = std::string();  // a burst's buffer is not kept
    lock.lock();
    written_seq_ = seq;
    drained_.notify_all();
  }
}

void AuditLog::WriteBatch(const std::string& batch) {
  // Whole lines only: rotate at a line boundary, before the batch that
  // would cross the limit.
  if (size_ > 0 && size_ + batch.size() > options_.max_bytes) Rotate();
  size_t done = 0;
  while (done < batch.size()) {
    ssize_t n = ::write(fd_, batch.data() + done, batch.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::lock_guard<std::mutex> lock(mu_);
      ++failures_;
      return;
    }
    done += static_cast<size_t>(n);
  }
  size_ += batch.size();
}

void AuditLog::Rotate() {
  const std::string& base = options_.path;
  std::remove((base + "." + std::to_string(options_.max_files)).c_str());
  for (int i = options_.max_files - 1; i >= 1; --i) {
    std::rename((base + "." + std::to_string(i)).c_str(), (base + "." + std::to_string(i + 1)).c_str());
  }
  int fd = -1;
  if (options_.max_files >= 1 && std::rename(base.c_str(), (base + ".1").c_str()) == 0) {
    fd = ::open(base.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  } else if (options_.max_files < 1) {
    fd = ::open(base.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  }
  if (fd < 0) {
    std::lock_guard<std::mutex> lock(mu_);
    ++failures_;
    return;  // keep appending to the current file
  }
  ::close(fd_);
  fd_ = fd;
  size_ = 0;
}

}  // namespace iam::api
