// A server on an ephemeral port with a scriptable test handler:
//   /echo     answers "METHOD TARGET|BODY" and X-Remote/X-Tls headers
//   /slow     sleeps slow_ms (and signals `entered`) before answering
//   /throw    throws std::runtime_error
// Every call that reaches the handler is counted.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "api/http/http_server.h"
#include "api/http/test_client.h"

namespace iam::http::testing {

class ServerTest : public ::testing::Test {
 protected:
  HttpServerOptions Options() {
    HttpServerOptions o;
    o.endpoint = {"127.0.0.1", 0};
    o.threads = 2;
    o.read_timeout = milliseconds(2000);
    o.idle_timeout = milliseconds(2000);
    o.shutdown_grace = milliseconds(3000);
    o.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_.emplace_back(line);
    };
    return o;
  }

  void StartServer(HttpServerOptions o) {
    auto started =
        HttpServer::Start(std::move(o), [this](const HttpRequest& r) { return Handle(r); });
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).value();
    port_ = server_->port();
  }
  void StartServer() { StartServer(Options()); }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  HttpResponse Handle(const HttpRequest& r) {
    calls_.fetch_add(1);
    if (r.Path() == "/slow") {
      entered_.store(true);
      std::this_thread::sleep_for(milliseconds(slow_ms_.load()));
    }
    if (r.Path() == "/throw") throw std::runtime_error("secret detail");
    HttpResponse res = TextResponse(200, r.method + " " + r.target + "|" + r.body);
    res.headers.emplace_back("X-Remote", r.remote_address);
    res.headers.emplace_back("X-Tls", r.tls ? "yes" : "no");
    res.headers.emplace_back("Content-Length", "999");  // Must be ignored.
    return res;
  }

  // Polls `pred` for up to `timeout`.
  template <typename Pred>
  static bool Eventually(Pred pred, milliseconds timeout = milliseconds(3000)) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (pred()) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return pred();
  }

  std::string Log() {
    std::lock_guard lock(log_mu_);
    std::string all;
    for (const auto& l : log_) all += l + "\n";
    return all;
  }

  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::atomic<int> calls_{0};
  std::atomic<bool> entered_{false};
  std::atomic<int> slow_ms_{500};
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

inline std::string Get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

inline std::string Post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) + " HTTP/1.1\r\nHost: t\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace iam::http::testing
