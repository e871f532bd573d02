// Internal to the HTTP server: the state shared by the acceptor and every
// connection. Not for use outside src/api/http/.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "api/http/http_server.h"

namespace iam::http::internal {

// One open connection, as the server sees it for shutdown and timeouts.
//
// Deadlines are not per-operation timers (each would cost a timer arm, a
// cancel and an extra completion per read or write): a connection stores
// its current deadline and the server's sweeper, a few times per shortest
// timeout, closes those past it.
class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~Connection() = default;
  // Server is stopping: close now if idle, else finish the current
  // request and close. Callable from any thread.
  virtual void OnServerStop() = 0;
  // Grace period is over: close now. Callable from any thread.
  virtual void ForceClose() = 0;
  // The sweeper saw the deadline pass: close if it still has. Callable
  // from any thread.
  virtual void OnDeadline() = 0;

  bool Expired(Clock::time_point now) const {
    return deadline_.load(std::memory_order_relaxed) <= now.time_since_epoch().count();
  }

 protected:
  void SetDeadline(Clock::time_point t) {
    deadline_.store(t.time_since_epoch().count(), std::memory_order_relaxed);
  }
  void ClearDeadline() { deadline_.store(kNever, std::memory_order_relaxed); }

 private:
  static constexpr Clock::rep kNever = std::numeric_limits<Clock::rep>::max();
  std::atomic<Clock::rep> deadline_{kNever};
};

// Shared by the server and its connections; outlives all connections.
// Thread-safe.
class ServerCore {
 public:
  ServerCore(HttpServerOptions options, HttpHandler handler,
             std::unique_ptr<boost::asio::ssl::context> ssl);

  const HttpServerOptions& options() const { return options_; }
  const HttpHandler& handler() const { return handler_; }
  // Null when serving plain HTTP.
  boost::asio::ssl::context* ssl() const { return ssl_.get(); }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  void set_stopping() { stopping_.store(true, std::memory_order_release); }

  // Registry of open connections. Add returns the id to Remove with; a
  // connection calls Remove first thing in its destructor.
  uint64_t Add(Connection* raw, std::weak_ptr<Connection> c);
  void Remove(uint64_t id);
  size_t open() const;
  std::vector<std::shared_ptr<Connection>> Snapshot() const;
  // True once no connection is open, false if `deadline` came first.
  bool WaitUntilNone(std::chrono::steady_clock::time_point deadline) const;
  // Tells every connection past its deadline.
  void Sweep(std::chrono::steady_clock::time_point now) const;

  // One line to the configured log (never pass secrets).
  void Log(std::string_view line) const;

 private:
  const HttpServerOptions options_;
  const HttpHandler handler_;
  const std::unique_ptr<boost::asio::ssl::context> ssl_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  mutable std::condition_variable none_open_;
  uint64_t next_id_ = 1;
  struct Entry {
    Connection* raw;  // Valid while registered: Remove runs before ~Connection ends.
    std::weak_ptr<Connection> weak;
  };
  std::unordered_map<uint64_t, Entry> open_;
};

// Serves one accepted socket (whose executor is one thread's io_context) until it
// closes. Registers itself with `core`.
void StartConnection(std::shared_ptr<ServerCore> core, boost::asio::ip::tcp::socket socket);

}  // namespace iam::http::internal
