// The plain values the HTTP server hands to the API layer and takes back.
// Nothing here depends on Boost: the API layer sees only these structs.
//
//   iam::http::HttpResponse Handle(const iam::http::HttpRequest& req) {
//     if (req.method != "POST") return iam::http::TextResponse(405, "...");
//     ...
//   }
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iam::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One complete HTTP request: the server builds it only once the whole body
// has arrived, so a handler never sees a partial request.
struct HttpRequest {
  std::string method;   // "GET", "POST", ... as sent (case kept).
  std::string target;   // Request target as sent: path plus "?query".
  int version = 11;     // 10 or 11.
  HeaderList headers;   // In arrival order; names as sent.
  std::string body;     // Decoded body (chunked transfer already undone).
  std::string remote_address;  // Peer IP, e.g. "127.0.0.1" or "::1".
  uint16_t remote_port = 0;
  bool tls = false;     // True when the connection is TLS.

  // Value of the first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The target up to '?': never contains the query string, so it is safe
  // to log (presigned requests carry signatures in the query).
  std::string_view Path() const;
  // The part after '?', or empty.
  std::string_view Query() const;
};

// What the handler answers. The server adds Content-Length, Connection and
// Date itself and ignores those three if the handler sets them.
struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
};

// Called once per complete request on one of the server's pool threads.
// It may block briefly (a store read); a long block holds a pool thread.
// Exceptions are caught by the server and answered with a generic 500, but
// a handler should answer its own errors.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// A response with a text/plain body, for quick answers and errors.
HttpResponse TextResponse(int status, std::string body);

// True if `a` and `b` are equal ignoring ASCII case (header names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace iam::http
