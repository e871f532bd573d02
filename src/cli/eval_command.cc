// `iamd eval`: JSON Lines cases in, one answer line each out, in input order
// (shared/CONTRACTS.md). Input is cut into blocks of whole lines; every
// thread takes the next block, answers its lines into the block's own
// output, and whichever thread completes the next block in input order
// writes it. A regular file is read by every thread at once (pread, each
// block by its number); a pipe by one thread at a time, and whatever a read
// returns is answered at once, so a caller that writes one line and waits
// gets its answer.
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "policy/eval_case.h"

namespace iam::cli {
namespace {

constexpr size_t kBlock = 128 << 10;  // a block's size when the input is a file; a read's otherwise

bool WriteAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// The case lines of `text` (complete lines only): '\r' before '\n' dropped,
// blank lines skipped, as they carry no case.
void SplitLines(std::string_view text, std::vector<std::string_view>& lines) {
  lines.clear();
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
  }
}

// A thread's read buffer: it stays in its core's cache between blocks.
// Grown by hand: a vector would zero what it is about to read into.
struct Buffer {
  std::unique_ptr<char[]> data;
  size_t capacity = 0, used = 0;
  // Room for `more` bytes after `used`.
  void Reserve(size_t more) {
    if (used + more <= capacity) return;
    size_t grown_capacity = std::max(used + more, 2 * capacity);
    std::unique_ptr<char[]> grown(new char[grown_capacity]);
    std::copy(data.get(), data.get() + used, grown.get());
    data = std::move(grown);
    capacity = grown_capacity;
  }
  std::string_view view() const { return std::string_view(data.get(), used); }
};

// Where blocks come from. Next() gives the next block's number and its whole
// lines (viewing `buf`), or false at the end of the input or on a read error.
class BlockSource {
 public:
  virtual ~BlockSource() = default;
  virtual bool Next(Buffer& buf, size_t& k, std::string_view& text) = 0;
  bool failed() const { return failed_.load(); }

 protected:
  std::atomic<bool> failed_{false};
};

// A regular file's bytes [offset, offset + size) as they were when it began.
// Block k holds the whole lines that start in it: it begins after the first
// newline at or past k * kBlock - 1 and ends after the first newline at or
// past (k + 1) * kBlock - 1, so a line longer than a block leaves the blocks
// it covers empty. Reading a mapping instead was slower: the first scan of
// mapped pages ran at half the speed of the kernel's copy (TLB misses).
class FileBlocks : public BlockSource {
 public:
  FileBlocks(int fd, off_t offset, size_t size)
      : fd_(fd), offset_(offset), size_(size), blocks_((size + kBlock - 1) / kBlock) {}

  bool Next(Buffer& buf, size_t& k, std::string_view& text) override {
    k = next_.fetch_add(1);
    if (k >= blocks_) return false;
    if (ReadBlock(k, buf, text)) return true;
    failed_ = true;
    return false;
  }

 private:
  static constexpr size_t kSlack = 8 << 10;  // read past the block: most lines end within it

  // Appends up to `want` bytes of the text at from + buf.used; false on a
  // read error. Stops at the end of the text.
  bool ReadMore(Buffer& buf, size_t from, size_t want) const {
    want = std::min(want, size_ - (from + buf.used));
    buf.Reserve(want);
    while (want > 0) {
      ssize_t n = ::pread(fd_, buf.data.get() + buf.used, want, offset_ + static_cast<off_t>(from + buf.used));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;  // an error, or the file shrank under us
      buf.used += static_cast<size_t>(n);
      want -= static_cast<size_t>(n);
    }
    return true;
  }

  bool ReadBlock(size_t k, Buffer& buf, std::string_view& text) const {
    size_t from = k == 0 ? 0 : k * kBlock - 1;
    buf.used = 0;
    size_t stop = (k + 1) * kBlock - 1 - from;  // where the end's newline search starts
    if (!ReadMore(buf, from, stop + kSlack)) return false;
    size_t begin = 0;
    if (k > 0) {
      begin = buf.view().substr(0, stop).find('\n');
      if (begin == std::string_view::npos) {  // the block is inside a longer line
        text = {};
        return true;
      }
      ++begin;
    }
    size_t end;
    while ((end = buf.view().find('\n', stop)) == std::string_view::npos && from + buf.used < size_) {
      stop = std::max(stop, buf.used);
      if (!ReadMore(buf, from, buf.used)) return false;  // doubles: a long line costs a few reads
    }
    end = end == std::string_view::npos ? buf.used : end + 1;
    text = buf.view().substr(begin, end - begin);
    return true;
  }

  int fd_;
  off_t offset_;
  size_t size_;
  size_t blocks_;
  std::atomic<size_t> next_{0};
};

// A pipe (or anything else read in sequence): one thread at a time reads,
// until it has at least one whole line or the input ends; the partial line
// after the last newline waits for the next block.
class StreamBlocks : public BlockSource {
 public:
  bool Next(Buffer& buf, size_t& k, std::string_view& text) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (eof_) return false;
    buf.used = 0;
    buf.Reserve(pending_.size() + kBlock);
    std::copy(pending_.begin(), pending_.end(), buf.data.get());
    buf.used = pending_.size();
    size_t searched = 0;  // no newline before this
    for (;;) {
      size_t nl = buf.view().find('\n', searched);
      if (nl != std::string_view::npos) break;
      searched = buf.used;
      buf.Reserve(std::max(kBlock, buf.used));  // a long line doubles the buffer
      ssize_t n = ::read(STDIN_FILENO, buf.data.get() + buf.used, buf.capacity - buf.used);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        failed_ = true;
        eof_ = true;
        return false;
      }
      if (n == 0) {
        eof_ = true;
        break;
      }
      buf.used += static_cast<size_t>(n);
    }
    // What came is answered now: the caller may wait for these answers
    // before it writes more.
    size_t end = eof_ ? buf.used : buf.view().rfind('\n') + 1;
    pending_.assign(buf.data.get() + end, buf.used - end);
    if (end == 0) return false;  // the input ended with nothing left
    k = next_++;
    text = buf.view().substr(0, end);
    return true;
  }

 private:
  std::mutex mu_;
  std::string pending_;  // the partial line after the last block
  bool eof_ = false;
  size_t next_ = 0;
};

// Threads that start each on a CPU of their own, away from the caller's,
// and are free to move once running. Left to the scheduler, a new thread
// often starts on its parent's CPU and shares it until the load balancer
// moves it: on a 2-CPU VM the worker of a 55 ms run began 1 to 4 ms late
// in 7 runs of 8 (0.25 ms placed).
class Workers {
 public:
  // Starts up to `count` threads running `body` (fewer if the system
  // refuses more; the caller's thread does the work all the same).
  Workers(unsigned count, std::function<void()> body) : body_(std::move(body)) {
    placed_ = ::sched_getaffinity(0, sizeof allowed_, &allowed_) == 0;
    int here = ::sched_getcpu();
    int cpu = here;
    for (unsigned i = 0; i < count; ++i) {
      pthread_attr_t attr;
      ::pthread_attr_init(&attr);
      cpu = placed_ ? NextCpu(cpu, here) : -1;
      if (cpu >= 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        ::pthread_attr_setaffinity_np(&attr, sizeof one, &one);
      }
      pthread_t id;
      int rc = ::pthread_create(&id, &attr, &Start, this);
      if (rc != 0 && cpu >= 0) rc = ::pthread_create(&id, nullptr, &Start, this);  // unplaced, then
      ::pthread_attr_destroy(&attr);
      if (rc == 0) ids_.push_back(id);
    }
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() {
    for (pthread_t id : ids_) ::pthread_join(id, nullptr);
  }

 private:
  static void* Start(void* self) {
    auto* w = static_cast<Workers*>(self);
    if (w->placed_) ::sched_setaffinity(0, sizeof w->allowed_, &w->allowed_);  // free to move now
    w->body_();
    return nullptr;
  }

  // The allowed CPU after `cpu` (round the set) that is not `here`; -1 if
  // there is none.
  int NextCpu(int cpu, int here) const {
    for (int step = 1; step <= CPU_SETSIZE; ++step) {
      int c = (cpu + step + CPU_SETSIZE) % CPU_SETSIZE;
      if (c != here && CPU_ISSET(c, &allowed_)) return c;
    }
    return -1;
  }

  std::function<void()> body_;
  cpu_set_t allowed_;
  bool placed_ = false;
  std::vector<pthread_t> ids_;
};

// Answers every block of `source` on `threads` threads (the caller's
// included) and writes the answers in input order. Threads run at most
// kWindow blocks ahead of the writer, which bounds memory when standard
// output is slow. False when reading or writing failed.
class BlockAnswers {
 public:
  explicit BlockAnswers(BlockSource& source) : source_(source) {}

  bool Run(unsigned threads) {
    {
      Workers workers(threads - 1, [this] { Drain(); });
      Drain();
    }  // joined
    return ok_ && !source_.failed();
  }

 private:
  static constexpr size_t kWindow = 64;

  void Drain() {
    Buffer buf;
    std::vector<std::string_view> lines;
    size_t k;
    std::string_view text;
    while (source_.Next(buf, k, text)) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        room_.wait(lock, [&] { return k < written_ + kWindow || !ok_; });
        if (!ok_) return;
      }
      SplitLines(text, lines);
      std::string out;
      for (std::string_view line : lines) {
        policy::AppendCaseAnswer(line, out);
        out += '\n';
      }
      Complete(k, std::move(out));
    }
  }

  // Keeps block k's answers and writes every block the output has reached.
  // One writer at a time, so the order holds.
  void Complete(size_t k, std::string out) {
    std::lock_guard<std::mutex> lock(mu_);
    done_.emplace(k, std::move(out));
    while (ok_ && !done_.empty() && done_.begin()->first == written_) {
      ok_ = WriteAll(done_.begin()->second);
      done_.erase(done_.begin());
      ++written_;
    }
    room_.notify_all();
  }

  BlockSource& source_;
  std::mutex mu_;
  std::condition_variable room_;
  std::map<size_t, std::string> done_;  // answered, not yet written
  size_t written_ = 0;                  // blocks written, in order
  bool ok_ = true;
};

unsigned ThreadCount(int argc, char** argv, bool& ok) {
  ok = true;
  // One per CPU this process may use (taskset, cgroups), up to 16.
  cpu_set_t allowed;
  unsigned cpus = ::sched_getaffinity(0, sizeof allowed, &allowed) == 0 ? static_cast<unsigned>(CPU_COUNT(&allowed))
                                                                        : std::thread::hardware_concurrency();
  unsigned threads = std::max(1u, std::min(cpus, 16u));
  if (argc == 2) return threads;
  if (argc == 4 && std::string_view(argv[2]) == "--threads") {
    int n = std::atoi(argv[3]);
    if (n >= 1 && n <= 256) return static_cast<unsigned>(n);
  }
  ok = false;
  return threads;
}

}  // namespace

int RunEval(int argc, char** argv) {
  bool ok;
  unsigned threads = ThreadCount(argc, argv, ok);
  if (!ok) {
    std::fputs("usage: iamd eval [--threads N] < cases.jsonl > results.jsonl\n", stderr);
    return 2;
  }
  struct stat st;
  off_t offset = ::lseek(STDIN_FILENO, 0, SEEK_CUR);  // a caller may have read part of a file
  bool file = ::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) && offset >= 0 && offset <= st.st_size;
  std::unique_ptr<BlockSource> source;
  if (file) {
    source = std::make_unique<FileBlocks>(STDIN_FILENO, offset, static_cast<size_t>(st.st_size - offset));
  } else {
    source = std::make_unique<StreamBlocks>();
  }
  ok = BlockAnswers(*source).Run(threads);
  if (file) ::lseek(STDIN_FILENO, st.st_size, SEEK_SET);  // consumed, as reading to the end would leave it
  if (!ok) {
    std::fputs("iamd eval: cannot read standard input or write standard output\n", stderr);
    return 1;
  }
  return 0;
}

}  // namespace iam::cli
