#include "api/http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace iam::http::testing {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string RawResponse::Header(std::string_view name) const {
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos + 2 < head.size()) {
    size_t start = pos + 2;
    size_t end = head.find("\r\n", start);
    if (end == std::string::npos) end = head.size();
    std::string_view line(head.data() + start, end - start);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && IEquals(line.substr(0, colon), name)) {
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      return std::string(v);
    }
    pos = end;
  }
  return "";
}

std::unique_ptr<RawConn> RawConn::Connect(uint16_t port, const std::string& tls_ca) {
  std::unique_ptr<RawConn> c(new RawConn());
  c->fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (c->fd_ < 0) return nullptr;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(c->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return nullptr;
  int one = 1;
  ::setsockopt(c->fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (tls_ca.empty()) return c;
  c->ctx_ = SSL_CTX_new(TLS_client_method());
  if (SSL_CTX_load_verify_locations(c->ctx_, tls_ca.c_str(), nullptr) != 1) return nullptr;
  SSL_CTX_set_verify(c->ctx_, SSL_VERIFY_PEER, nullptr);
  c->ssl_ = SSL_new(c->ctx_);
  SSL_set_fd(c->ssl_, c->fd_);
  SSL_set_tlsext_host_name(c->ssl_, "localhost");
  SSL_set1_host(c->ssl_, "localhost");
  timeval tv{5, 0};
  ::setsockopt(c->fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (SSL_connect(c->ssl_) != 1) return nullptr;
  return c;
}

RawConn::~RawConn() { Close(); }

void RawConn::Close() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
  ssl_ = nullptr;
  ctx_ = nullptr;
  fd_ = -1;
}

bool RawConn::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    long n = ssl_ != nullptr ? SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()))
                             : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

long RawConn::RecvSome(milliseconds timeout) {
  if (fd_ < 0) return -1;
  if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return -1;
  }
  char chunk[16384];
  long n = ssl_ != nullptr ? SSL_read(ssl_, chunk, sizeof chunk)
                           : ::recv(fd_, chunk, sizeof chunk, 0);
  if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
  if (n < 0 && ssl_ == nullptr) return errno == ECONNRESET ? 0 : -1;
  if (n < 0) return 0;  // TLS: a failed read means the session is over.
  return n;
}

std::optional<RawResponse> RawConn::Read(milliseconds timeout, bool has_body) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
  };
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (left().count() <= 0 || RecvSome(left()) <= 0) return std::nullopt;
  }
  RawResponse r;
  r.head = buffer_.substr(0, end);
  if (r.head.rfind("HTTP/1.", 0) != 0 || r.head.size() < 12) return std::nullopt;
  r.status = std::atoi(r.head.c_str() + 9);
  buffer_.erase(0, end + 4);
  std::string cl = r.Header("Content-Length");
  size_t length = cl.empty() ? 0 : std::strtoul(cl.c_str(), nullptr, 10);
  bool head_only = r.status == 100 || r.status == 204 || r.status == 304;
  if (head_only || !has_body) length = 0;
  while (buffer_.size() < length) {
    if (left().count() <= 0 || RecvSome(left()) <= 0) return std::nullopt;
  }
  r.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return r;
}

bool RawConn::WaitClosed(milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    buffer_.clear();
    long n = RecvSome(left);
    if (n == 0) return true;
    if (n < 0 && std::chrono::steady_clock::now() >= deadline) return false;
  }
}

std::optional<RawResponse> RoundTrip(uint16_t port, std::string_view request) {
  auto c = RawConn::Connect(port);
  if (!c || !c->Send(request)) return std::nullopt;
  return c->Read();
}

bool WriteSelfSignedCert(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  bool ok = key != nullptr && x != nullptr;
  if (ok) {
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    ok = san != nullptr && X509_add_ext(x, san, -1) == 1;
    X509_EXTENSION_free(san);
    ok = ok && X509_sign(x, key, EVP_sha256()) > 0;
  }
  if (ok) {
    FILE* cf = std::fopen(cert_path.c_str(), "w");
    FILE* kf = std::fopen(key_path.c_str(), "w");
    ok = cf != nullptr && kf != nullptr && PEM_write_X509(cf, x) == 1 &&
         PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (cf != nullptr) std::fclose(cf);
    if (kf != nullptr) std::fclose(kf);
  }
  X509_free(x);
  EVP_PKEY_free(key);
  return ok;
}

}  // namespace iam::http::testing
