// `iamd eval`: JSON Lines cases in, one answer line each out, in input order
// (shared/CONTRACTS.md). Input is read in large blocks; the complete lines
// of a block are answered on every core, then written with one write.
// Whatever a read returns is answered at once, so a caller that writes one
// line and waits gets its answer. A regular file is answered block by
// block instead, every thread reading its own blocks: no pause for reads.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "policy/eval_case.h"

namespace iam::cli {
namespace {

// Answers a batch of lines on `threads` threads (the caller's included).
class ParallelAnswers {
 public:
  explicit ParallelAnswers(unsigned threads) {
    for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~ParallelAnswers() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    start_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  // answers[i] = the answer to lines[i], for every i.
  void Run(const std::vector<std::string_view>& lines, std::vector<std::string>& answers) {
    lines_ = &lines;
    answers_ = &answers;
    next_.store(0);
    // A few lines are not worth waking anyone.
    if (workers_.empty() || lines.size() < 4 * kChunk) {
      Drain();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      busy_ = static_cast<unsigned>(workers_.size());
      ++batch_;
    }
    start_.notify_all();
    Drain();
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return busy_ == 0; });
  }

 private:
  static constexpr size_t kChunk = 8;  // lines taken at a time

  void Drain() {
    const std::vector<std::string_view>& lines = *lines_;
    for (;;) {
      size_t begin = next_.fetch_add(kChunk);
      if (begin >= lines.size()) return;
      size_t end = std::min(begin + kChunk, lines.size());
      for (size_t i = begin; i < end; ++i) policy::EvaluateCaseLine(lines[i], (*answers_)[i]);
    }
  }

  void Work() {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        start_.wait(lock, [&] { return stop_ || batch_ != seen; });
        if (stop_) return;
        seen = batch_;
      }
      Drain();
      std::lock_guard<std::mutex> lock(mu_);
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable start_, done_;
  uint64_t batch_ = 0;
  unsigned busy_ = 0;
  bool stop_ = false;
  const std::vector<std::string_view>* lines_ = nullptr;
  std::vector<std::string>* answers_ = nullptr;
  std::atomic<size_t> next_{0};
};

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

// Answers a regular file in blocks: each thread takes the next block of
// about kBlock bytes, reads it with pread into its own buffer (which stays
// in its core's cache; reading a mapping instead cost 4K-page TLB misses
// that made a first scan of the text 2-3 times slower than the copy),
// answers its lines into the block's own output, and the outputs are
// written in input order by whichever thread completes the next one.
// Block k holds the whole lines that start in it: it begins after the first
// newline at or past k * kBlock - 1 and ends after the first newline at or
// past (k + 1) * kBlock - 1, so a line longer than a block leaves the blocks
// it covers empty. Threads run at most kWindow blocks ahead of the writer,
// which bounds memory when standard output is slow.
class FileAnswers {
 public:
  // The file's bytes [offset, offset + size) as they are now.
  FileAnswers(int fd, off_t offset, size_t size)
      : fd_(fd), offset_(offset), size_(size), blocks_((size + kBlock - 1) / kBlock), outputs_(blocks_),
        done_(blocks_, false) {}

  // False when a read or standard output fails.
  bool Run(unsigned threads) {
    std::vector<std::thread> workers;
    for (unsigned i = 1; i < threads && i < blocks_; ++i) workers.emplace_back([this] { Drain(); });
    Drain();
    for (std::thread& t : workers) t.join();
    return ok_;
  }

 private:
  static constexpr size_t kBlock = 128 << 10;
  static constexpr size_t kWindow = 64;
  static constexpr size_t kSlack = 8 << 10;  // read past the block: most lines end within it

  // A thread's read buffer: bytes [0, used) hold the text from position `from`.
  struct Buffer {
    std::unique_ptr<char[]> data;
    size_t capacity = 0, used = 0, from = 0;
  };

  // Appends up to `want` bytes of the text at buf.from + buf.used; false on
  // a read error. Stops at the end of the text.
  bool ReadMore(Buffer& buf, size_t want) const {
    want = std::min(want, size_ - (buf.from + buf.used));
    if (buf.used + want > buf.capacity) {
      size_t capacity = std::max(buf.used + want, 2 * buf.capacity);
      std::unique_ptr<char[]> grown(new char[capacity]);
      std::copy(buf.data.get(), buf.data.get() + buf.used, grown.get());
      buf.data = std::move(grown);
      buf.capacity = capacity;
    }
    while (want > 0) {
      ssize_t n = ::pread(fd_, buf.data.get() + buf.used, want, offset_ + static_cast<off_t>(buf.from + buf.used));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;  // an error, or the file shrank under us
      buf.used += static_cast<size_t>(n);
      want -= static_cast<size_t>(n);
    }
    return true;
  }

  // Reads block k's whole lines into `buf` and views them in `text`.
  bool ReadBlock(size_t k, Buffer& buf, std::string_view& text) const {
    buf.from = k == 0 ? 0 : k * kBlock - 1;
    buf.used = 0;
    size_t stop = (k + 1) * kBlock - 1 - buf.from;  // where the end's newline search starts
    if (!ReadMore(buf, stop + kSlack)) return false;
    std::string_view read(buf.data.get(), buf.used);
    size_t begin = 0;
    if (k > 0) {
      begin = read.substr(0, stop).find('\n');
      if (begin == std::string_view::npos) {  // the block is inside a longer line
        text = {};
        return true;
      }
      ++begin;
    }
    size_t end;
    while ((end = read.find('\n', stop)) == std::string_view::npos && buf.from + buf.used < size_) {
      stop = std::max(stop, buf.used);
      if (!ReadMore(buf, buf.used)) return false;  // doubles: a long line costs a few reads
      read = std::string_view(buf.data.get(), buf.used);
    }
    end = end == std::string_view::npos ? buf.used : end + 1;
    text = read.substr(begin, end - begin);
    return true;
  }

  void Drain() {
    Buffer buf;
    std::vector<std::string_view> lines;
    std::string answer;
    for (;;) {
      size_t k = next_.fetch_add(1);
      if (k >= blocks_) return;
      {
        std::unique_lock<std::mutex> lock(mu_);
        room_.wait(lock, [&] { return k < written_ + kWindow || !ok_; });
        if (!ok_) return;
      }
      std::string_view text;
      if (!ReadBlock(k, buf, text)) {
        std::lock_guard<std::mutex> lock(mu_);
        ok_ = false;
        room_.notify_all();
        return;
      }
      SplitLines(text, lines);
      std::string& out = outputs_[k];
      for (std::string_view line : lines) {
        policy::EvaluateCaseLine(line, answer);
        out += answer;
        out += '\n';
      }
      Complete(k);
    }
  }

  // Marks block k answered and writes every answered block the output has
  // reached. One writer at a time, so the order holds.
  void Complete(size_t k) {
    std::lock_guard<std::mutex> lock(mu_);
    done_[k] = true;
    while (written_ < blocks_ && done_[written_] && ok_) {
      ok_ = WriteAll(outputs_[written_]);
      std::string().swap(outputs_[written_]);
      ++written_;
    }
    room_.notify_all();
  }

  int fd_;
  off_t offset_;
  size_t size_;
  size_t blocks_;
  std::vector<std::string> outputs_;
  std::vector<bool> done_;
  std::atomic<size_t> next_{0};
  std::mutex mu_;
  std::condition_variable room_;
  size_t written_ = 0;  // blocks written, in order
  bool ok_ = true;
};

// Answers standard input block by block when it is a regular file: sets
// `handled` and returns the exit code; else leaves `handled` false.
int EvalFileInput(unsigned threads, bool& handled) {
  handled = false;
  struct stat st;
  if (::fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  off_t offset = ::lseek(STDIN_FILENO, 0, SEEK_CUR);  // a caller may have read part of it
  if (offset < 0 || offset > st.st_size) return 0;
  handled = true;
  bool ok = FileAnswers(STDIN_FILENO, offset, static_cast<size_t>(st.st_size - offset)).Run(threads);
  if (!ok) std::cerr << "iamd eval: cannot read standard input or write standard output\n";
  ::lseek(STDIN_FILENO, st.st_size, SEEK_SET);  // consumed, as reading to the end would leave it
  return ok ? 0 : 1;
}

unsigned ThreadCount(int argc, char** argv, bool& ok) {
  ok = true;
  unsigned threads = std::max(1u, std::min(std::thread::hardware_concurrency(), 16u));
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
    std::cerr << "usage: iamd eval [--threads N] < cases.jsonl > results.jsonl\n";
    return 2;
  }
  bool file;
  int code = EvalFileInput(threads, file);
  if (file) return code;
  ParallelAnswers pool(threads);
  constexpr size_t kRead = 4 << 20;
  // input[0, used): unanswered, at most one partial line between reads.
  // Grown by hand: a vector would zero megabytes it is about to read into.
  std::unique_ptr<char[]> input(new char[kRead]);
  size_t capacity = kRead, used = 0;
  std::string output;
  std::vector<std::string_view> lines;
  std::vector<std::string> answers;
  bool eof = false;
  while (!eof) {
    // Grown only for a line longer than half the buffer: a fresh buffer per
    // read would fault in its pages each time (a quarter of the CPU time).
    if (capacity - used < kRead / 2) {
      std::unique_ptr<char[]> grown(new char[used + kRead]);
      std::copy(input.get(), input.get() + used, grown.get());
      input = std::move(grown);
      capacity = used + kRead;
    }
    ssize_t n = ::read(STDIN_FILENO, input.get() + used, capacity - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::cerr << "iamd eval: cannot read standard input\n";
      return 1;
    }
    used += static_cast<size_t>(n);
    eof = n == 0;
    // Answer every complete line; at the end, the last line too.
    std::string_view text(input.get(), used);
    size_t end = eof ? used : text.rfind('\n') + 1;  // npos + 1 == 0: no complete line yet
    if (end == 0) continue;
    SplitLines(text.substr(0, end), lines);
    if (answers.size() < lines.size()) answers.resize(lines.size());
    pool.Run(lines, answers);
    output.clear();
    for (size_t i = 0; i < lines.size(); ++i) {
      output += answers[i];
      output += '\n';
    }
    if (!WriteAll(output)) return 1;
    std::copy(input.get() + end, input.get() + used, input.get());
    used -= end;
  }
  return 0;
}

}  // namespace iam::cli
