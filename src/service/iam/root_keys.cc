#include "service/iam/root_keys.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/hash.h"

namespace iam::service {
namespace {

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

Status RootKeys::LoadLocked() {
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) return Status();
    return ServiceFailure("cannot read " + path_ + ": " + std::strerror(errno));
  }
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    RootKey k;
    std::string status, hex;
    if (!(fields >> k.access_key_id >> k.account_id >> status >> k.create_date >> hex)) continue;
    std::optional<std::string> sealed = HexDecode(hex);
    if (!sealed) continue;
    k.active = status == "Active";
    k.sealed_secret = std::move(*sealed);
    keys_[k.access_key_id] = std::move(k);
  }
  return Status();
}

Result<RootKey> RootKeys::Find(std::string_view access_key_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = keys_.find(access_key_id);
  if (it == keys_.end()) {
    Status s = LoadLocked();
    if (!s.ok()) return s;
    it = keys_.find(access_key_id);
    if (it == keys_.end()) return NoSuchEntity("no such root access key");
  }
  return it->second;
}

Status RootKeys::Add(const RootKey& key) {
  std::string line = key.access_key_id + " " + key.account_id + " " + (key.active ? "Active" : "Inactive") +
                     " " + std::to_string(key.create_date) + " " + crypto::HexEncode(key.sealed_secret) + "\n";
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return ServiceFailure("cannot open " + path_ + ": " + std::strerror(errno));
  ssize_t n = ::write(fd, line.data(), line.size());
  int err = errno;
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size()) || !synced) {
    return ServiceFailure("cannot write " + path_ + ": " + std::strerror(err));
  }
  std::lock_guard<std::mutex> lock(mu_);
  keys_[key.access_key_id] = key;
  return Status();
}

}  // namespace iam::service
