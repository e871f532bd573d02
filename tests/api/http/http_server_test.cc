// The server's HTTP behaviour on well-formed traffic: keep-alive,
// pipelining, the request it hands over, healthz, HEAD, 100-continue,
// chunked bodies, handler failures, options and the listen address.
#include <csignal>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/http/server_fixture.h"
#include "common/status_matchers.h"

namespace iam::http::testing {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ServerTest, HealthzAnswersOkWithoutReachingTheHandler) {
  StartServer();
  auto r = RoundTrip(port_, Get("/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok\n");
  EXPECT_FALSE(r->Header("Date").empty());
  EXPECT_EQ(calls_.load(), 0);
}

// The health callback decides: 503 with its reason while it fails (a load
// balancer takes the node out), 200 again once it passes.
TEST_F(ServerTest, HealthzAnswers503WhileTheHealthCallbackFails) {
  std::atomic<bool> healthy{true};
  HttpServerOptions o = Options();
  o.health = [&healthy] { return healthy.load() ? Status() : ServiceFailure("database away"); };
  StartServer(std::move(o));
  EXPECT_EQ(RoundTrip(port_, Get("/healthz"))->status, 200);
  healthy = false;
  auto r = RoundTrip(port_, Get("/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "database away\n");
  // The API itself is still served: refusing requests is the handler's call.
  EXPECT_EQ(RoundTrip(port_, Get("/echo"))->status, 200);
  healthy = true;
  r = RoundTrip(port_, Get("/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok\n");
  EXPECT_EQ(calls_.load(), 1);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  for (int i = 0; i < 5; ++i) {
    std::string body = "n=" + std::to_string(i);
    ASSERT_TRUE(c->Send(Post("/echo?i=" + std::to_string(i), body)));
    auto r = c->Read();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "POST /echo?i=" + std::to_string(i) + "|" + body);
    EXPECT_EQ(r->Header("X-Remote"), "127.0.0.1");
    EXPECT_EQ(r->Header("X-Tls"), "no");
    EXPECT_EQ(r->Header("Content-Length"), std::to_string(r->body.size()));
  }
  EXPECT_EQ(calls_.load(), 5);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/echo?a") + Post("/echo?b", "bee") + Get("/echo?c")));
  for (const char* want : {"GET /echo?a|", "POST /echo?b|bee", "GET /echo?c|"}) {
    auto r = c->Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, want);
  }
}

TEST_F(ServerTest, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("GET /echo HTTP/1.0\r\n\r\n"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(c->WaitClosed(milliseconds(2000)));
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/echo", "Connection: close\r\n")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c->WaitClosed(milliseconds(2000)));
}

TEST_F(ServerTest, HeadersReachTheHandlerInOrder) {
  std::vector<std::pair<std::string, std::string>> seen;
  std::mutex mu;
  auto started = HttpServer::Start(Options(), [&](const HttpRequest& r) {
    std::lock_guard lock(mu);
    seen = r.headers;
    return TextResponse(200, std::string(r.Header("x-one").value_or("?")));
  });
  ASSERT_THAT(started, IsOk());
  auto r = RoundTrip((*started)->port(), Get("/", "X-One: 1\r\nx-two: two words \r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "1");
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].first, "Host");
  EXPECT_EQ(seen[1], std::make_pair(std::string("X-One"), std::string("1")));
  EXPECT_EQ(seen[2], std::make_pair(std::string("x-two"), std::string("two words")));
}

TEST_F(ServerTest, HeadSendsLengthButNoBody) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("HEAD /echo HTTP/1.1\r\nHost: t\r\n\r\n" + Get("/echo?after")));
  auto head = c->Read(milliseconds(5000), /*has_body=*/false);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->Header("Content-Length"), std::to_string(std::string("HEAD /echo|").size()));
  // Had the server sent a body, this would start inside it.
  auto next = c->Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "GET /echo?after|");
}

TEST_F(ServerTest, ExpectContinueGetsA100BeforeTheBody) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                      "Content-Length: 5\r\n\r\n"));
  auto cont = c->Read();
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100);
  ASSERT_TRUE(c->Send("hello"));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /echo|hello");
}

TEST_F(ServerTest, ChunkedBodyArrivesDecoded) {
  StartServer();
  auto r = RoundTrip(port_,
                     "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /echo|hello world");
}

TEST_F(ServerTest, HandlerThrowingGets500AndTheServerKeepsServing) {
  StartServer();
  auto c = RawConn::Connect(port_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(Get("/throw?X-Amz-Signature=abcdef")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, "internal server error\n");
  // Same connection, then a new one.
  ASSERT_TRUE(c->Send(Get("/echo")));
  auto again = c->Read();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  auto fresh = RoundTrip(port_, Get("/echo"));
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 200);
  // The log names the path but neither the query nor the exception text.
  EXPECT_THAT(Log(), HasSubstr("GET /throw"));
  EXPECT_THAT(Log(), Not(HasSubstr("abcdef")));
  EXPECT_THAT(Log(), Not(HasSubstr("secret")));
}

TEST_F(ServerTest, BadResponsesFromTheHandlerBecome500) {
  HttpResponse bad;
  auto started = HttpServer::Start(Options(), [&](const HttpRequest&) { return bad; });
  ASSERT_THAT(started, IsOk());
  uint16_t port = (*started)->port();
  bad.status = 1234;
  auto r = RoundTrip(port, Get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  bad.status = 200;
  bad.headers = {{"X-Ok", "fine\r\nSet-Cookie: injected"}};
  r = RoundTrip(port, Get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->Header("Set-Cookie"), "");
  bad.headers = {{"Bad Name", "v"}};
  r = RoundTrip(port, Get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
}

TEST_F(ServerTest, StartRejectsBadOptions) {
  HttpServerOptions o = Options();
  o.threads = 0;
  EXPECT_THAT(HttpServer::Start(o, [](const HttpRequest&) { return HttpResponse(); }),
              StatusIs(StatusCode::kInvalidInput));
  o = Options();
  o.tls_cert_file = "/nonexistent.pem";
  EXPECT_THAT(HttpServer::Start(o, [](const HttpRequest&) { return HttpResponse(); }),
              StatusIs(StatusCode::kInvalidInput, "both"));
  o.tls_key_file = "/nonexistent.key";
  EXPECT_THAT(HttpServer::Start(o, [](const HttpRequest&) { return HttpResponse(); }),
              StatusIs(StatusCode::kServiceFailure, "/nonexistent.pem"));
}

TEST_F(ServerTest, StartFailsWhenThePortIsTaken) {
  StartServer();
  HttpServerOptions o = Options();
  o.endpoint.port = port_;
  EXPECT_THAT(HttpServer::Start(o, [](const HttpRequest&) { return HttpResponse(); }),
              StatusIs(StatusCode::kServiceFailure, "bind"));
}

TEST(ParseListenAddressTest, AcceptsHostPortForms) {
  auto a = ParseListenAddress("127.0.0.1:9300");
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9300);
  auto b = ParseListenAddress("[::1]:0");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->host, "::1");
  auto c = ParseListenAddress(":8080");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->host, "0.0.0.0");
}

TEST(ParseListenAddressTest, RejectsBadForms) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:8x",
                          "::1:80", "localhost:80", "1.2.3:80"}) {
    EXPECT_THAT(ParseListenAddress(bad), StatusIs(StatusCode::kInvalidInput)) << bad;
  }
}

TEST(TerminationSignalsTest, WaitReturnsTheSignal) {
  TerminationSignals signals;
  std::thread raiser([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::raise(SIGTERM);
  });
  EXPECT_EQ(signals.Wait(), SIGTERM);
  raiser.join();
}

TEST(TerminationSignalsTest, SignalBeforeWaitIsNotLost) {
  TerminationSignals signals;
  std::raise(SIGINT);
  EXPECT_EQ(signals.Wait(), SIGINT);
}

TEST(TerminationSignalsTest, CancelEndsWait) {
  TerminationSignals signals;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    signals.Cancel();
  });
  EXPECT_EQ(signals.Wait(), 0);
  canceller.join();
}

}  // namespace
}  // namespace iam::http::testing
