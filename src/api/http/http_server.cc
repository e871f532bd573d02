// The acceptor, the threads and shutdown. Connections live in
// connection.cc; this file needs Asio but not Beast.
//
// Each thread runs its own io_context and serves the connections handed to
// it (round robin at accept), as nginx's workers do: one io_context shared
// by all threads made every completion take the scheduler's lock and wake an
// idle thread (about two futex calls and a context switch per request), and
// every connection needed a strand.
#include "api/http/http_server.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/http/server_core.h"
#include "common/status_macros.h"

namespace iam::http {
namespace internal {

ServerCore::ServerCore(HttpServerOptions options, HttpHandler handler,
                       std::unique_ptr<boost::asio::ssl::context> ssl)
    : options_(std::move(options)), handler_(std::move(handler)), ssl_(std::move(ssl)) {}

uint64_t ServerCore::Add(Connection* raw, std::weak_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  open_.emplace(id, Entry{raw, std::move(c)});
  return id;
}

void ServerCore::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  open_.erase(id);
  if (open_.empty()) none_open_.notify_all();
}

size_t ServerCore::open() const {
  std::lock_guard lock(mu_);
  return open_.size();
}

std::vector<std::shared_ptr<Connection>> ServerCore::Snapshot() const {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard lock(mu_);
  out.reserve(open_.size());
  for (const auto& [id, entry] : open_) {
    if (auto c = entry.weak.lock()) out.push_back(std::move(c));
  }
  return out;
}

void ServerCore::Sweep(std::chrono::steady_clock::time_point now) const {
  std::vector<std::shared_ptr<Connection>> expired;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, entry] : open_) {
      if (!entry.raw->Expired(now)) continue;
      if (auto c = entry.weak.lock()) expired.push_back(std::move(c));
    }
  }
  // Outside the lock: dropping the last reference runs ~Connection, which
  // takes the lock to unregister.
  for (auto& c : expired) c->OnDeadline();
}

bool ServerCore::WaitUntilNone(std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mu_);
  return none_open_.wait_until(lock, deadline, [this] { return open_.empty(); });
}

void ServerCore::Log(std::string_view line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  }
}

}  // namespace internal

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using internal::ServerCore;

// Sent, best effort, to a client that arrives when max_connections are
// open; TLS clients are just closed.
constexpr std::string_view kBusy =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
    "Connection: close\r\n\r\nbusy\n";

class BeastHttpServer final : public HttpServer {
 public:
  BeastHttpServer(std::shared_ptr<ServerCore> core)
      : core_(std::move(core)),
        iocs_(MakeContexts(core_->options().threads)),
        acceptor_(iocs_.front()->get_executor()),
        retry_timer_(acceptor_.get_executor()),
        sweep_timer_(acceptor_.get_executor()) {
    for (auto& ioc : iocs_) work_.push_back(net::make_work_guard(*ioc));
  }

  ~BeastHttpServer() override { Stop(); }

  Status Listen() {
    const ListenAddress& at = core_->options().endpoint;
    boost::system::error_code ec;
    net::ip::address address = net::ip::make_address(at.host, ec);
    if (ec) return InvalidInput("listen address is not an IP address: " + at.host);
    tcp::endpoint endpoint(address, at.port);
    std::string where = at.host + ":" + std::to_string(at.port);
    if (acceptor_.open(endpoint.protocol(), ec)) {
      return ServiceFailure("cannot open socket for " + where + ": " + ec.message());
    }
    // Lets a restarted server bind while old connections sit in TIME_WAIT.
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (acceptor_.bind(endpoint, ec)) {
      return ServiceFailure("cannot bind " + where + ": " + ec.message());
    }
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec)) {
      return ServiceFailure("cannot listen on " + where + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();
    return Status::Ok();
  }

  void Run() {
    net::post(acceptor_.get_executor(), [this] {
      Accept();
      Sweep();
    });
    threads_.reserve(iocs_.size());
    for (auto& ioc : iocs_) threads_.emplace_back([this, ctx = ioc.get()] { RunLoop(*ctx); });
  }

  uint16_t port() const override { return port_; }
  size_t open_connections() const override { return core_->open(); }

  void Stop() override {
    std::lock_guard stop_lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    core_->set_stopping();
    if (!threads_.empty()) {
      // The acceptor belongs to the first thread: close it there, then wait, so
      // that connects are refused by the time the next step runs.
      std::promise<void> closed;
      net::post(acceptor_.get_executor(), [this, &closed] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        retry_timer_.cancel();
        closed.set_value();
      });
      closed.get_future().wait();
    }
    for (auto& c : core_->Snapshot()) c->OnServerStop();
    auto grace_end = std::chrono::steady_clock::now() + core_->options().shutdown_grace;
    if (!core_->WaitUntilNone(grace_end)) {
      core_->Log("http: shutdown grace over; closing " + std::to_string(core_->open()) +
                 " connection(s)");
      for (auto& c : core_->Snapshot()) c->ForceClose();
      (void)core_->WaitUntilNone(std::chrono::steady_clock::now() + std::chrono::seconds(2));
    }
    work_.clear();
    for (auto& ioc : iocs_) ioc->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  // One context per thread, each told it has one thread (so it never wakes
  // another one); posts from other threads (stop, deadlines) stay safe.
  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  void RunLoop(net::io_context& ioc) {
    // A throw out of a completion handler must not end a pool thread: log
    // and keep serving (the connection whose handler threw is dropped).
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        core_->Log(std::string("http: unexpected exception in pool thread: ") + e.what());
      } catch (...) {
        core_->Log("http: unexpected non-exception in pool thread");
      }
    }
  }

  // Deadlines are enforced to within this: an eighth of the shortest
  // timeout, between 5 ms and 250 ms.
  std::chrono::milliseconds SweepInterval() const {
    const HttpServerOptions& o = core_->options();
    auto shortest = std::min({o.read_timeout, o.idle_timeout, o.write_timeout});
    return std::clamp(shortest / 8, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
  }

  void Sweep() {
    core_->Sweep(std::chrono::steady_clock::now());
    sweep_timer_.expires_after(SweepInterval());
    sweep_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Sweep();
    });
  }

  void Accept() {
    net::io_context& next = *iocs_[next_ioc_++ % iocs_.size()];
    acceptor_.async_accept(next, [this](boost::system::error_code ec, tcp::socket socket) {
      if (!acceptor_.is_open()) return;
      if (ec) {
        // Typically EMFILE: back off instead of spinning on the error.
        core_->Log("http: accept failed: " + ec.message());
        retry_timer_.expires_after(std::chrono::milliseconds(50));
        retry_timer_.async_wait([this](boost::system::error_code e) {
          if (!e && acceptor_.is_open()) Accept();
        });
        return;
      }
      if (core_->open() >= core_->options().max_connections) {
        RejectBusy(std::move(socket));
      } else {
        internal::StartConnection(core_, std::move(socket));
      }
      Accept();
    });
  }

  void RejectBusy(tcp::socket socket) {
    boost::system::error_code ignored;
    if (core_->ssl() == nullptr) {
      socket.non_blocking(true, ignored);
      socket.write_some(net::buffer(kBusy.data(), kBusy.size()), ignored);
    }
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  std::shared_ptr<ServerCore> core_;
  // Declared before everything that uses them, so destroyed after them.
  std::vector<std::unique_ptr<net::io_context>> iocs_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work_;
  size_t next_ioc_ = 0;  // touched by the accepting thread only
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  net::steady_timer sweep_timer_;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

Result<std::unique_ptr<net::ssl::context>> LoadTls(const HttpServerOptions& o) {
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                   net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
  boost::system::error_code ec;
  if (ctx->use_certificate_chain_file(o.tls_cert_file, ec)) {
    return ServiceFailure("cannot load TLS certificate " + o.tls_cert_file + ": " + ec.message());
  }
  // Also checks that the key matches the certificate.
  if (ctx->use_private_key_file(o.tls_key_file, net::ssl::context::pem, ec)) {
    return ServiceFailure("cannot load TLS key " + o.tls_key_file + ": " + ec.message());
  }
  return ctx;
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return InvalidInput("listen address must be HOST:PORT, got \"" + std::string(text) + "\"");
  }
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return InvalidInput("IPv6 listen address must be in brackets: \"" + std::string(text) + "\"");
  }
  unsigned value = 0;
  auto [end, err] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || err != std::errc() || end != port.data() + port.size() || value > 65535) {
    return InvalidInput("bad port in listen address \"" + std::string(text) + "\"");
  }
  ListenAddress out;
  out.host = host.empty() ? "0.0.0.0" : std::string(host);
  out.port = static_cast<uint16_t>(value);
  boost::system::error_code ec;
  net::ip::make_address(out.host, ec);
  if (ec) return InvalidInput("listen host is not an IP address: \"" + out.host + "\"");
  return out;
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                      HttpHandler handler) {
  if (options.threads < 1) return InvalidInput("threads must be at least 1");
  if (options.max_connections < 1) return InvalidInput("max_connections must be at least 1");
  if (!handler) return InvalidInput("no handler");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return InvalidInput("TLS needs both a certificate and a key file");
  }
  std::unique_ptr<net::ssl::context> ssl;
  if (!options.tls_cert_file.empty()) {
    IAM_ASSIGN_OR_RETURN(ssl, LoadTls(options));
  }
  auto core = std::make_shared<ServerCore>(std::move(options), std::move(handler), std::move(ssl));
  auto server = std::make_unique<BeastHttpServer>(std::move(core));
  IAM_RETURN_IF_ERROR(server->Listen());
  server->Run();
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace iam::http
