// A deliberately dumb HTTP client over raw sockets (optionally TLS through
// OpenSSL) for driving the server byte by byte in tests, plus a generator
// of self-signed certificates.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

namespace iam::http::testing {

using std::chrono::milliseconds;

struct RawResponse {
  int status = 0;
  std::string head;  // Status line and headers, as received.
  std::string body;
  // First header named `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

class RawConn {
 public:
  // Connects to 127.0.0.1:port; null if refused. With `tls_ca` set, runs
  // a TLS handshake verifying the server against that PEM file.
  static std::unique_ptr<RawConn> Connect(uint16_t port, const std::string& tls_ca = "");
  ~RawConn();

  // Sends all bytes; false if the peer is gone.
  bool Send(std::string_view bytes);
  // Reads one response (Content-Length bodies only); nullopt on timeout,
  // close or garbage. `has_body` false: the answer to HEAD.
  std::optional<RawResponse> Read(milliseconds timeout = milliseconds(5000),
                                  bool has_body = true);
  // True if the server closes (EOF or reset) within `timeout`; any bytes
  // received meanwhile are discarded.
  bool WaitClosed(milliseconds timeout);
  void Close();

 private:
  RawConn() = default;
  // Receives into buffer_; <0 error/timeout, 0 EOF, >0 bytes.
  long RecvSome(milliseconds timeout);

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

// Sends `request` on a fresh connection and reads one response.
std::optional<RawResponse> RoundTrip(uint16_t port, std::string_view request);

// Writes a self-signed EC certificate for "localhost"/127.0.0.1 and its
// key as PEM files into `dir`; returns false on failure.
bool WriteSelfSignedCert(const std::string& cert_path, const std::string& key_path);

}  // namespace iam::http::testing
