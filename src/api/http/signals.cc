// TerminationSignals: SIGTERM/SIGINT through asio::signal_set, which turns
// the signal into an ordinary completion (no work in a signal handler).
#include <csignal>
#include <mutex>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "api/http/http_server.h"

namespace iam::http {

struct TerminationSignals::Impl {
  boost::asio::io_context ioc;
  boost::asio::signal_set set{ioc, SIGTERM, SIGINT};
};

TerminationSignals::TerminationSignals() : impl_(std::make_unique<Impl>()) {}

TerminationSignals::~TerminationSignals() = default;

int TerminationSignals::Wait() {
  int got = 0;
  impl_->set.async_wait([&got](const boost::system::error_code& ec, int signal) {
    if (!ec) got = signal;
  });
  impl_->ioc.restart();
  impl_->ioc.run();
  return got;
}

void TerminationSignals::Cancel() {
  boost::asio::post(impl_->ioc, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->set.cancel(ignored);
  });
}

}  // namespace iam::http
