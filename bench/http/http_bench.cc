// http_bench: the HTTP server with a trivial handler (200, "ok\n"), for
// load generators such as wrk. Prints "listening on PORT" once it accepts,
// then serves until SIGTERM/SIGINT.
//
//   http_bench [--listen 127.0.0.1:0] [--threads 2] [--tls-cert F --tls-key F]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/http/http_server.h"

int main(int argc, char** argv) {
  iam::http::HttpServerOptions options;
  options.endpoint = {"127.0.0.1", 0};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--listen") {
      auto at = iam::http::ParseListenAddress(argv[i + 1]);
      if (!at.ok()) {
        std::fprintf(stderr, "%s\n", at.status().ToString().c_str());
        return 2;
      }
      options.endpoint = *at;
    } else if (flag == "--threads") {
      options.threads = std::atoi(argv[i + 1]);
    } else if (flag == "--tls-cert") {
      options.tls_cert_file = argv[i + 1];
    } else if (flag == "--tls-key") {
      options.tls_key_file = argv[i + 1];
    } else {
      std::fprintf(stderr,
                   "usage: http_bench [--listen HOST:PORT] [--threads N]"
                   " [--tls-cert F --tls-key F]\n");
      return 2;
    }
  }
  iam::http::TerminationSignals signals;
  auto server = iam::http::HttpServer::Start(options, [](const iam::http::HttpRequest&) {
    iam::http::HttpResponse r;
    r.headers.emplace_back("Content-Type", "text/plain");
    r.body = "ok\n";
    return r;
  });
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  std::printf("listening on %u\n", static_cast<unsigned>((*server)->port()));
  std::fflush(stdout);
  signals.Wait();
  (*server)->Stop();
  return 0;
}
