// The server under bad input and load: size limits, garbage, truncated
// requests, slow clients, many connections, the connection cap, graceful
// stop, and TLS. Timeouts are shortened so the suite stays fast.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/http/server_fixture.h"

namespace iam::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

TEST_F(ServerTest, BodyOverTheLimitGets413AndClose) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  // Announced size alone is enough: the body is never read.
  ASSERT_TRUE(c->Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\nabc"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c->WaitClosed(milliseconds(3000)));
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitGets413) {
  HttpServerOptions o = Options();
  o.max_body_bytes = 10;
  StartServer(o);
  auto r = RoundTrip(port_,
                     "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, BodyAtTheLimitIsServed) {
  StartServer();
  std::string body(1024 * 1024, 'x');
  auto r = RoundTrip(port_, Post("/echo", body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.size(), std::string("POST /echo|").size() + body.size());
}

TEST_F(ServerTest, HugeHeadersGet431AndClose) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/echo", "X-Big: " + std::string(20 * 1024, 'h') + "\r\n")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(c->WaitClosed(milliseconds(3000)));
  // A long request line counts too; a header under the limit is fine.
  auto line = RoundTrip(port_, Get("/" + std::string(20 * 1024, 'p')));
  ASSERT_TRUE(line);
  EXPECT_EQ(line->status, 431);
  auto ok = RoundTrip(port_, Get("/echo", "X-Big: " + std::string(8 * 1024, 'h') + "\r\n"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(calls_.load(), 1);
}

TEST_F(ServerTest, GarbageGets400AndClose) {
  StartServer();
  const std::pair<std::string, int> cases[] = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400},
      {"GET / HTTP/9\r\n\r\n", 400},
      {"GET / HTTP/1.1\nHost: bare-lf\n\n", 400},
      {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15), 400},  // TLS
      {"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400},
      {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      // Smuggling shapes: both framings, or chunked not last.
      {"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nGET /echo HTTP/1.1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
  };
  for (const auto& [request, status] : cases) {
    auto c = RawConn::Connect(port_);
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->Send(request));
    auto r = c->Read();
    ASSERT_TRUE(r) << request;
    EXPECT_EQ(r->status, status) << request;
    EXPECT_TRUE(c->WaitClosed(milliseconds(3000))) << request;
  }
  EXPECT_EQ(calls_.load(), 0);
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(ServerTest, DisconnectMidRequestNeverReachesTheHandler) {
  StartServer();
  for (const std::string partial :
       {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part of it",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        "GET /echo HTTP/1.1\r\nHost: t\r\nX-Half"}) {
    auto c = RawConn::Connect(port_);
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->Send(partial));
    c->Close();
  }
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
  EXPECT_EQ(calls_.load(), 0);
  auto r = RoundTrip(port_, Get("/echo"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, SlowlorisIsCutOffAfterTheReadTimeout) {
  HttpServerOptions o = Options();
  o.read_timeout = milliseconds(400);
  o.idle_timeout = milliseconds(5000);
  StartServer(o);
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  std::string request = Get("/echo", "X-Slow: " + std::string(200, 's') + "\r\n");
  auto start = Clock::now();
  bool cut = false;
  // One byte every 20 ms: each arrives well within any per-read timeout,
  // but the whole request would take 5 s.
  for (char ch : request) {
    if (!c->Send(std::string_view(&ch, 1))) {
      cut = true;
      break;
    }
    if (c->WaitClosed(milliseconds(20))) {
      cut = true;
      break;
    }
  }
  auto took = Clock::now() - start;
  EXPECT_TRUE(cut);
  EXPECT_GE(took, milliseconds(350));
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  HttpServerOptions o = Options();
  o.idle_timeout = milliseconds(300);
  o.read_timeout = milliseconds(300);
  StartServer(o);
  // Never sends a byte: closed after the first request's read timeout.
  auto silent = RawConn::Connect(port_);
  ASSERT_TRUE(silent);
  // Served once, then idle.
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/echo")));
  ASSERT_TRUE(c->Read());
  auto start = Clock::now();
  EXPECT_TRUE(c->WaitClosed(milliseconds(2000)));
  EXPECT_GE(Clock::now() - start, milliseconds(250));
  EXPECT_TRUE(silent->WaitClosed(milliseconds(2000)));
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(ServerTest, ManyConcurrentConnections) {
  StartServer();
  constexpr int kConns = 200;
  std::vector<std::unique_ptr<RawConn>> conns;
  for (int i = 0; i < kConns; ++i) {
    conns.push_back(RawConn::Connect(port_));
    ASSERT_TRUE(conns.back()) << i;
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kConns; ++i) {
      ASSERT_TRUE(conns[i]->Send(Post("/echo", std::to_string(i))));
    }
    for (int i = 0; i < kConns; ++i) {
      auto r = conns[i]->Read();
      ASSERT_TRUE(r) << i;
      EXPECT_EQ(r->body, "POST /echo|" + std::to_string(i));
    }
  }
  EXPECT_EQ(calls_.load(), 2 * kConns);
  EXPECT_EQ(server_->open_connections(), static_cast<size_t>(kConns));
  conns.clear();
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(ServerTest, ConnectionsOverTheCapAreTurnedAway) {
  HttpServerOptions o = Options();
  o.max_connections = 3;
  StartServer(o);
  std::vector<std::unique_ptr<RawConn>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(RawConn::Connect(port_));
    ASSERT_TRUE(held.back()->Send(Get("/echo")));
    ASSERT_TRUE(held.back()->Read());
  }
  auto extra = RawConn::Connect(port_);
  ASSERT_TRUE(extra);
  auto busy = extra->Read();
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_TRUE(extra->WaitClosed(milliseconds(2000)));
  held.pop_back();
  ASSERT_TRUE(Eventually([&] { return server_->open_connections() == 2; }));
  auto r = RoundTrip(port_, Get("/echo"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, StopFinishesInFlightRequestsAndRefusesNewOnes) {
  StartServer();
  slow_ms_ = 800;
  auto idle = RawConn::Connect(port_);
  ASSERT_TRUE(idle->Send(Get("/echo")));
  ASSERT_TRUE(idle->Read());
  auto busy = RawConn::Connect(port_);
  ASSERT_TRUE(busy->Send(Get("/slow")));
  ASSERT_TRUE(Eventually([&] { return entered_.load(); }));

  auto start = Clock::now();
  auto stopped = std::async(std::launch::async, [&] { server_->Stop(); });
  // New connects are refused while the slow request is still running.
  EXPECT_TRUE(Eventually([&] { return RawConn::Connect(port_) == nullptr; }, milliseconds(500)));
  EXPECT_TRUE(idle->WaitClosed(milliseconds(500)));
  EXPECT_LT(Clock::now() - start, milliseconds(700));
  auto r = busy->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "GET /slow|");
  EXPECT_TRUE(busy->WaitClosed(milliseconds(2000)));
  busy->Close();  // The server lingers until the client has gone.
  EXPECT_EQ(stopped.wait_for(std::chrono::seconds(3)), std::future_status::ready);
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(ServerTest, StopIsBoundedByTheGracePeriod) {
  HttpServerOptions o = Options();
  o.read_timeout = milliseconds(10000);
  o.shutdown_grace = milliseconds(300);
  StartServer(o);
  auto stuck = RawConn::Connect(port_);
  ASSERT_TRUE(stuck->Send("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
  ASSERT_TRUE(Eventually([&] { return server_->open_connections() == 1; }));
  auto start = Clock::now();
  server_->Stop();
  auto took = Clock::now() - start;
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_TRUE(stuck->WaitClosed(milliseconds(1000)));
  EXPECT_EQ(calls_.load(), 0);
  EXPECT_THAT(Log(), ::testing::HasSubstr("grace"));
}

size_t CountEntries(const char* dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST_F(ServerTest, StopLeavesNoThreadsOrDescriptorsBehind) {
  size_t threads = CountEntries("/proc/self/task");
  size_t fds = CountEntries("/proc/self/fd");
  HttpServerOptions o = Options();
  o.shutdown_grace = milliseconds(200);  // The half-sent POSTs are cut at this point.
  StartServer(o);
  std::vector<std::unique_ptr<RawConn>> conns;
  for (int i = 0; i < 10; ++i) {
    conns.push_back(RawConn::Connect(port_));
    ASSERT_TRUE(conns.back()->Send(i % 2 == 0 ? Get("/echo") : "POST /echo HTTP/1.1\r\n"));
  }
  ASSERT_TRUE(conns[0]->Read());
  ASSERT_TRUE(Eventually([&] { return server_->open_connections() == 10; }));
  server_->Stop();
  EXPECT_EQ(server_->open_connections(), 0u);
  conns.clear();
  server_.reset();
  EXPECT_EQ(CountEntries("/proc/self/task"), threads);
  EXPECT_EQ(CountEntries("/proc/self/fd"), fds);
}

class TlsServerTest : public ServerTest {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/iamd_http_tls_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    cert_ = dir_ + "/cert.pem";
    key_ = dir_ + "/key.pem";
    ASSERT_TRUE(WriteSelfSignedCert(cert_, key_));
    HttpServerOptions o = Options();
    o.tls_cert_file = cert_;
    o.tls_key_file = key_;
    StartServer(o);
  }
  void TearDown() override {
    ServerTest::TearDown();
    std::remove(cert_.c_str());
    std::remove(key_.c_str());
    rmdir(dir_.c_str());
  }
  // Restarts the server with TLS and other options.
  void Restart(HttpServerOptions o) {
    server_->Stop();
    o.tls_cert_file = cert_;
    o.tls_key_file = key_;
    StartServer(o);
  }
  std::string dir_, cert_, key_;
};

TEST_F(TlsServerTest, ServesHttpsWithKeepAlive) {
  auto c = RawConn::Connect(port_, cert_);
  ASSERT_TRUE(c) << "TLS handshake failed";
  ASSERT_TRUE(c->Send(Get("/healthz")));
  auto h = c->Read();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  ASSERT_TRUE(c->Send(Post("/echo", "over tls")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /echo|over tls");
  EXPECT_EQ(r->Header("X-Tls"), "yes");
}

TEST_F(TlsServerTest, StalledHandshakesAreCutOffAfterTheReadTimeout) {
  HttpServerOptions o = Options();
  o.read_timeout = milliseconds(300);
  Restart(o);
  auto silent = RawConn::Connect(port_);
  auto half = RawConn::Connect(port_);
  ASSERT_TRUE(silent && half);
  ASSERT_TRUE(half->Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
  auto start = Clock::now();
  EXPECT_TRUE(silent->WaitClosed(milliseconds(2000)));
  EXPECT_TRUE(half->WaitClosed(milliseconds(2000)));
  EXPECT_LT(Clock::now() - start, milliseconds(1500));
  // The server is still fine for a real client.
  auto ok = RawConn::Connect(port_, cert_);
  ASSERT_TRUE(ok);
  ASSERT_TRUE(ok->Send(Get("/healthz")));
  auto r = ok->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortGetsNoHttpAnswer) {
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/healthz")));
  EXPECT_FALSE(c->Read(milliseconds(3000)));
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
  auto ok = RawConn::Connect(port_, cert_);
  ASSERT_TRUE(ok);
}

}  // namespace
}  // namespace iam::http::testing
