#include "api/server/session_clock.h"

#include <chrono>
#include <cstdlib>
#include <fstream>

namespace iam::api {

int64_t SessionClock::Now() const {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  if (offset_file_.empty()) return now;
  std::ifstream in(offset_file_);
  long long offset = 0;
  if (in >> offset) now += offset;
  return now;
}

}  // namespace iam::api
