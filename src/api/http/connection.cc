// One HTTP connection: reads requests with Beast's parser, calls the
// handler, writes responses, enforces limits and deadlines. The only
// translation unit that instantiates Beast's HTTP code (it compiles slowly).
// Timeouts come from the server's sweeper (see Connection in server_core.h).
#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "api/http/server_core.h"
#include "common/iso8601.h"

namespace iam::http::internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr size_t kReadChunk = 16 * 1024;
// After an error response, how long we keep reading (and discarding) what
// the client still sends, so that closing does not reset the connection
// before the client has read our answer.
constexpr std::chrono::milliseconds kLinger{1000};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// "Sun, 06 Nov 1994 08:49:37 GMT", recomputed once a second per thread.
const std::string& HttpDate() {
  return CachedPerSecond(std::time(nullptr), [](std::time_t now) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    return std::string(buf, std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm));
  });
}

// A handler bug must not let a CR/LF into the response (header injection)
// nor make Beast throw on an unknown status.
bool IsSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) return false;
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool IsServerManagedHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Date");
}

// The status line and header of a response, written as Beast would
// (handler headers in order, then Date, Connection, Content-Length) into a
// buffer the connection reuses: Beast's serializer cost an allocation per
// field and more time than the rest of the write.
void SerializeHead(const HttpResponse& r, bool keep_alive, bool no_body, int version, std::string& out) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char digits[4] = {static_cast<char>('0' + r.status / 100 % 10), static_cast<char>('0' + r.status / 10 % 10),
                    static_cast<char>('0' + r.status % 10), ' '};
  out.append(digits, 4);
  beast::string_view reason = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(r.status)));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& [name, value] : r.headers) {
    if (IsServerManagedHeader(name)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "Date: ";
  out += HttpDate();
  out += "\r\n";
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  if (!no_body) {
    out += "Content-Length: ";
    out += std::to_string(r.body.size());
    out += "\r\n";
  }
  out += "\r\n";
}

template <bool kTls>
class HttpConnection : public Connection,
                       public std::enable_shared_from_this<HttpConnection<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<tcp::socket>, tcp::socket>;

  HttpConnection(std::shared_ptr<ServerCore> core, tcp::socket socket)
      : core_(std::move(core)), stream_(MakeStream(std::move(socket), core_->ssl())) {}

  ~HttpConnection() override {
    if (id_ != 0) core_->Remove(id_);
  }

  void Start() {
    id_ = core_->Add(this, this->weak_from_this());
    beast::error_code ec;
    tcp::endpoint peer = Lowest().remote_endpoint(ec);
    if (!ec) {
      remote_address_ = peer.address().to_string();
      remote_port_ = peer.port();
    }
    Lowest().set_option(tcp::no_delay(true), ec);
    // A new connection gets read_timeout, handshake included, for its first
    // request: the idle allowance is for kept-alive connections only.
    deadline_ = Clock::now() + core_->options().read_timeout;
    SetDeadline(deadline_);
    if constexpr (kTls) {
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code e) {
                                if (e) return self->Close();
                                self->BeginRequest();
                              });
    } else {
      BeginRequest();
    }
  }

  void OnServerStop() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      // Idle: nothing in flight, close now. Otherwise the request finishes
      // and BeginRequest() sees stopping() and closes. Bytes that arrived
      // but are not read yet are a request in flight too.
      if (self->state_ == State::kIdle && !self->BytesWaiting()) self->Close();
    });
  }

  void ForceClose() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->Close(); });
  }

  void OnDeadline() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      // Re-checked here: the connection may have moved on since the sweep.
      if (self->Expired(Clock::now())) self->Close();
    });
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing, kClosed };

  static Stream MakeStream(tcp::socket&& socket, net::ssl::context* ssl) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *ssl);
    } else {
      (void)ssl;
      return Stream(std::move(socket));
    }
  }

  tcp::socket& Lowest() { return beast::get_lowest_layer(stream_); }

  // Waits for the next request on a kept-alive connection.
  void BeginRequest() {
    if (core_->stopping()) return CloseAfterResponse();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(core_->options().max_header_bytes));
    parser_->body_limit(core_->options().max_body_bytes);
    parser_->eager(true);
    header_checked_ = false;
    header_scan_ = 0;
    state_ = State::kIdle;
    if (!first_request_) deadline_ = Clock::now() + core_->options().idle_timeout;
    // Pipelined bytes already buffered mean the request has started.
    if (buffer_.size() > 0) StartReading();
    Parse();
  }

  bool BytesWaiting() {
    beast::error_code ec;
    size_t n = Lowest().available(ec);
    return !ec && n > 0;
  }

  // The first byte of a request is here: from now on the whole request
  // must arrive within read_timeout.
  void StartReading() {
    state_ = State::kReading;
    if (!first_request_) deadline_ = Clock::now() + core_->options().read_timeout;
  }

  // Feeds buffered bytes to the parser; reads more, dispatches, or fails.
  void Parse() {
    while (buffer_.size() > 0) {
      // The header goes to Beast whole: given part of one, Beast consumes
      // its complete lines and applies header_limit to the rest alone, so
      // the header could reach twice the limit.
      if (!parser_->is_header_done()) {
        size_t end = HeaderEnd();
        if (end == std::string_view::npos && buffer_.size() < core_->options().max_header_bytes) break;
        if (end == std::string_view::npos || end > core_->options().max_header_bytes) {
          return FailParse(bhttp::error::header_limit);
        }
      }
      beast::error_code ec;
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) break;
      if (ec) return FailParse(ec);
      if (parser_->is_header_done() && !header_checked_) {
        header_checked_ = true;
        if (int status = CheckTransferEncoding(); status != 0) {
          return Fail(status, status == 501 ? "transfer encoding not supported\n"
                                            : "bad transfer encoding\n");
        }
        if (!parser_->is_done() && WantsContinue()) return WriteContinue();
      }
      if (parser_->is_done()) return Dispatch();
      if (used == 0) break;
    }
    Read();
  }

  // Where the header ends in the buffer (just past its empty line: LF LF
  // or LF CR LF; Beast refuses the malformed ones), or npos. Scans each
  // byte once: nothing is consumed before the header is complete.
  size_t HeaderEnd() {
    std::string_view data(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    for (size_t i = std::max<size_t>(header_scan_, 1); i < data.size(); ++i) {
      if (data[i - 1] != '\n') continue;
      if (data[i] == '\n') return i + 1;
      if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    }
    header_scan_ = data.size() < 2 ? 0 : data.size() - 2;
    return std::string_view::npos;
  }

  // Only "chunked" is supported. Any other coding would leave the body
  // undecoded or, when chunked is not last, its length unknown: answering
  // anyway would let the next "request" start inside this body (request
  // smuggling), so such requests are refused (RFC 9112 6.1, 6.3).
  int CheckTransferEncoding() {
    const auto& req = parser_->get();
    auto it = req.find(bhttp::field::transfer_encoding);
    if (it == req.end()) return 0;
    beast::string_view te = it->value();
    while (!te.empty() && (te.back() == ' ' || te.back() == '\t')) te.remove_suffix(1);
    if (beast::iequals(te, "chunked")) return 0;
    return parser_->chunked() ? 501 : 400;
  }

  bool WantsContinue() {
    const auto& req = parser_->get();
    auto it = req.find(bhttp::field::expect);
    return req.version() >= 11 && it != req.end() && beast::iequals(it->value(), "100-continue");
  }

  void WriteContinue() {
    SetDeadline(deadline_);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->Parse();
                     });
  }

  void Read() {
    SetDeadline(deadline_);
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = this->shared_from_this()](beast::error_code ec, size_t n) { self->OnRead(ec, n); });
  }

  void OnRead(beast::error_code ec, size_t n) {
    if (state_ == State::kClosed) return;
    // Timeout, reset, EOF mid-request or stop: the handler never sees a
    // partial request; there is nobody to answer, so just close.
    if (ec) return Close();
    if (state_ == State::kIdle && n > 0) StartReading();
    buffer_.commit(n);
    Parse();
  }

  void FailParse(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) return Fail(431, "request header fields too large\n");
    if (ec == bhttp::error::body_limit) return Fail(413, "payload too large\n");
    Fail(400, "bad request\n");
  }

  // Answers a request we will not hand to the handler, then closes: after
  // a framing error the rest of the stream cannot be trusted.
  void Fail(int status, std::string text) {
    Write(TextResponse(status, std::move(text)), /*keep_alive=*/false, /*head=*/false, 11);
  }

  void Dispatch() {
    state_ = State::kHandling;
    ClearDeadline();  // The handler is trusted to be brief; it cannot be cut off anyway.
    first_request_ = false;
    auto& msg = parser_->get();
    // Refilled in place: its strings keep their capacity from the previous
    // request on this connection, so a request costs no allocation here.
    HttpRequest& req = req_;
    auto assign = [](std::string& to, beast::string_view from) { to.assign(from.data(), from.size()); };
    assign(req.method, msg.method_string());
    assign(req.target, msg.target());
    req.version = static_cast<int>(msg.version());
    size_t n = 0;
    for (const auto& field : msg) {
      if (n == req.headers.size()) req.headers.emplace_back();
      assign(req.headers[n].first, field.name_string());
      assign(req.headers[n].second, field.value());
      ++n;
    }
    req.headers.resize(n);
    req.body = std::move(msg.body());
    req.remote_address = remote_address_;
    req.remote_port = remote_port_;
    req.tls = kTls;
    bool keep_alive = msg.keep_alive();
    bool head = msg.method() == bhttp::verb::head;
    parser_.reset();

    HttpResponse res;
    if ((req.method == "GET" || head) && req.Path() == "/healthz") {
      res = Health();
    } else {
      res = CallHandler(req);
    }
    Write(std::move(res), keep_alive && !core_->stopping(), head, req.version);
  }

  HttpResponse Health() const {
    if (core_->stopping()) return TextResponse(503, "stopping\n");
    if (!core_->options().health) return TextResponse(200, "ok\n");
    Status s = core_->options().health();
    return s.ok() ? TextResponse(200, "ok\n") : TextResponse(503, std::string(s.message()) + "\n");
  }

  HttpResponse CallHandler(const HttpRequest& req) {
    // The handler is outside our control: nothing it throws may escape,
    // and the log line carries only the method and path (no query, which
    // can hold a presigned signature, and no exception text).
    try {
      HttpResponse res = core_->handler()(req);
      bool valid = res.status >= 200 && res.status <= 599;
      for (const auto& [name, value] : res.headers) valid = valid && IsSafeHeader(name, value);
      if (valid) return res;
      core_->Log("http: handler returned a bad status or header for " + req.method + " " +
                 std::string(req.Path()));
    } catch (const std::exception& e) {
      core_->Log("http: handler threw " + std::string(typeid(e).name()) + " for " + req.method +
                 " " + std::string(req.Path()));
    } catch (...) {
      core_->Log("http: handler threw a non-exception for " + req.method + " " +
                 std::string(req.Path()));
    }
    return TextResponse(500, "internal server error\n");
  }

  void Write(HttpResponse r, bool keep_alive, bool head, int version) {
    state_ = State::kWriting;
    keep_alive_ = keep_alive;
    // Members, not fresh allocations: one write is in flight at a time.
    bool no_body = r.status == 204 || r.status == 304;  // 1xx never gets here.
    SerializeHead(r, keep_alive, no_body, version, head_);
    body_ = head || no_body ? std::string() : std::move(r.body);
    std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(body_)};
    SetDeadline(Clock::now() + core_->options().write_timeout);
    net::async_write(stream_, buffers, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->OnWrite(ec);
    });
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return Close();
    if (!keep_alive_) return CloseAfterResponse();
    BeginRequest();
  }

  // Half-closes and drains: the client reads our last response in full
  // instead of a reset caused by unread request bytes.
  void CloseAfterResponse() {
    if (state_ == State::kClosed || state_ == State::kClosing) return;
    state_ = State::kClosing;
    SetDeadline(Clock::now() + kLinger);
    if constexpr (kTls) {
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->Close(); });
    } else {
      beast::error_code ignored;
      Lowest().shutdown(tcp::socket::shutdown_send, ignored);
      Drain();
    }
  }

  void Drain() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ignored;
    Lowest().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close(ignored);
  }

  // Declared first: the stream's TLS context lives in the core.
  const std::shared_ptr<ServerCore> core_;
  Stream stream_;
  uint64_t id_ = 0;
  State state_ = State::kIdle;
  Clock::time_point deadline_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  HttpRequest req_;    // the request being handled (reused, see Dispatch)
  std::string head_;  // status line and header of the response being written
  std::string body_;
  bool header_checked_ = false;
  size_t header_scan_ = 0;  // Where HeaderEnd() resumes.
  bool first_request_ = true;
  bool keep_alive_ = false;
  std::string remote_address_;
  uint16_t remote_port_ = 0;
};

}  // namespace

void StartConnection(std::shared_ptr<ServerCore> core, tcp::socket socket) {
  if (core->ssl() != nullptr) {
    std::make_shared<HttpConnection<true>>(std::move(core), std::move(socket))->Start();
  } else {
    std::make_shared<HttpConnection<false>>(std::move(core), std::move(socket))->Start();
  }
}

}  // namespace iam::http::internal
