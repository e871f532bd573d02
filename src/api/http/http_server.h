// HttpServer: a small HTTP/1.1 server (Boost.Beast) that hands complete
// requests to one HttpHandler. It owns a fixed number of threads, each
// serving the connections accepted for it; each connection is served sequentially (keep-alive and
// pipelining are safe), with limits on header and body size, a deadline for
// reading a whole request (slowloris), an idle keep-alive timeout, a cap on
// open connections, and optional TLS on the same port.
//
//   iam::http::HttpServerOptions opts;
//   IAM_ASSIGN_OR_RETURN(opts.endpoint, iam::http::ParseListenAddress("127.0.0.1:9300"));
//   iam::http::TerminationSignals signals;          // before Start: no lost SIGTERM
//   IAM_ASSIGN_OR_RETURN(auto server, iam::http::HttpServer::Start(opts, handler));
//   signals.Wait();                                 // SIGTERM or SIGINT
//   server->Stop();                                 // in-flight requests finish
//
// `GET /healthz` is answered by the server itself (200 "ok"; 503 while
// stopping or while options.health says why not) and never reaches the
// handler.
//
// Thread-safety: port(), open_connections() and Stop() may be called from
// any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http/http_types.h"
#include "iamd/status.h"

namespace iam::http {

// Where to listen: a literal IP address (no host names) and a port.
struct ListenAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: the kernel picks a free port; see HttpServer::port().
};

// Parses "HOST:PORT", "[V6]:PORT" or ":PORT" (all interfaces is then
// "0.0.0.0"). Returns kInvalidInput naming what is wrong.
Result<ListenAddress> ParseListenAddress(std::string_view text);

struct HttpServerOptions {
  ListenAddress endpoint;
  int threads = 2;                      // Threads; connections are spread over them.
  size_t max_header_bytes = 16 * 1024;  // Request line + headers; over: 431.
  size_t max_body_bytes = 1024 * 1024;  // Decoded body; over: 413.
  size_t max_connections = 1024;        // Over: 503 and close (plain) or close (TLS).
  // From a request's first byte to its last (including the TLS handshake):
  // a client that dribbles a request is cut off after this.
  std::chrono::milliseconds read_timeout{10'000};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Deadline for writing one response to a slow reader.
  std::chrono::milliseconds write_timeout{10'000};
  // Stop() waits at most this long for in-flight requests, then cuts them.
  std::chrono::milliseconds shutdown_grace{10'000};
  // PEM files; both set: the port speaks TLS only. Both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Where the server reports faults (one line each, never a secret: no
  // query strings, headers or bodies). Called from pool threads, possibly
  // at the same time. Null: standard error.
  std::function<void(std::string_view)> log;
  // Asked on each GET /healthz, from pool threads: OK, or why this node
  // should be taken out of a load balancer's rotation (answered 503 with
  // the message as the body). Must be quick and must not throw. Null:
  // healthy while serving.
  std::function<Status()> health;
};

class HttpServer {
 public:
  // Binds, listens and starts the pool; when it returns OK the server is
  // accepting and /healthz answers 200. Returns kInvalidInput for bad
  // options (threads < 1, only one TLS file), kServiceFailure when the
  // address cannot be bound or the TLS files cannot be loaded.
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                   HttpHandler handler);

  // Calls Stop().
  virtual ~HttpServer() = default;

  // The bound port (the real one when options asked for port 0).
  virtual uint16_t port() const = 0;

  // Stops accepting (new connects are refused), closes idle keep-alive
  // connections, lets requests already being read or handled finish
  // (answered with "Connection: close"), waits up to shutdown_grace, then
  // closes whatever is left and joins the pool. Idempotent; blocks. Never
  // call it from a handler (it would wait for itself).
  virtual void Stop() = 0;

  // Connections currently open (for tests and metrics).
  virtual size_t open_connections() const = 0;

 protected:
  HttpServer() = default;
};

// Blocks SIGTERM and SIGINT from killing the process and lets one thread
// wait for them. Construct it before starting the server so that a signal
// arriving early is not lost.
class TerminationSignals {
 public:
  TerminationSignals();
  ~TerminationSignals();
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;

  // Blocks until SIGTERM or SIGINT arrives (or Cancel()); returns the
  // signal number, or 0 when cancelled.
  int Wait();
  // Makes Wait() return 0; callable from any thread.
  void Cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iam::http
