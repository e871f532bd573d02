#include "service/sts/oidc_keys.h"

#include <fstream>

namespace iam::service::sts {
namespace {

constexpr size_t kMaxJwksFile = 1 << 20;

Status Unreachable(std::string_view why) {
  return Status(StatusCode::kIdpCommunicationError,
                "Couldn't retrieve verification key from your identity provider: " + std::string(why));
}

}  // namespace

Result<std::string> JwksPath(std::string_view dir, std::string_view provider_url) {
  if (dir.empty()) return Unreachable("no --oidc-jwks-dir is configured.");
  std::string_view rest = provider_url.starts_with("https://") ? provider_url.substr(8) : provider_url;
  while (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty()) return Unreachable("the provider URL has no host.");
  // Each segment must be a plain name, so that the path stays inside `dir`.
  size_t start = 0;
  while (start <= rest.size()) {
    size_t slash = rest.find('/', start);
    std::string_view seg = rest.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == ".." || seg.find('\\') != std::string_view::npos ||
        seg.find('\0') != std::string_view::npos) {
      return Unreachable("the provider URL has an unusable path.");
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return std::string(dir) + "/" + std::string(rest) + "/jwks.json";
}

Result<auth::JsonWebKeySet> LoadProviderKeys(std::string_view dir, std::string_view provider_url) {
  Result<std::string> path = JwksPath(dir, provider_url);
  if (!path.ok()) return path.status();
  std::ifstream file(*path, std::ios::binary);
  if (!file) return Unreachable("no JWKS file for " + std::string(provider_url) + ".");
  std::string text(kMaxJwksFile + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  if (text.size() > kMaxJwksFile) return Unreachable("the JWKS file is too large.");
  Result<auth::JsonWebKeySet> keys = auth::JsonWebKeySet::Parse(text);
  if (!keys.ok()) return Unreachable(keys.status().message());
  return keys;
}

}  // namespace iam::service::sts
