#include "api/server/live_key_ring.h"

#include "common/status_macros.h"

namespace iam::api {

LiveKeyRing::LiveKeyRing(store::Store& store, crypto::KeyRing initial)
    : store_(store), ring_(std::make_shared<const crypto::KeyRing>(std::move(initial))) {
  loaded_generation_ = store_.Generation();
}

Status LiveKeyRing::Reload() {
  std::lock_guard<std::mutex> lock(reload_mu_);
  int64_t generation = store_.Generation();
  IAM_ASSIGN_OR_RETURN(crypto::KeyRing fresh, store_.LoadKeyRing());
  ring_.store(std::make_shared<const crypto::KeyRing>(std::move(fresh)), std::memory_order_release);
  loaded_generation_ = generation;
  return Status();
}

bool LiveKeyRing::ReloadFor(uint32_t key_id) {
  if (Get()->Has(key_id)) return true;
  {
    std::lock_guard<std::mutex> lock(reload_mu_);
    auto now = std::chrono::steady_clock::now();
    if (now - last_forced_ < std::chrono::seconds(1)) return false;
    last_forced_ = now;
  }
  if (!Reload().ok()) return false;
  return Get()->Has(key_id);
}

Status LiveKeyRing::ReloadIfChanged() {
  const int64_t generation = store_.Generation();
  {
    std::lock_guard<std::mutex> lock(reload_mu_);
    if (generation == loaded_generation_) return Status();
  }
  return Reload();
}

Result<uint32_t> LiveKeyRing::Rotate() {
  IAM_ASSIGN_OR_RETURN(uint32_t id, store_.RotateKey());
  IAM_RETURN_IF_ERROR(Reload());
  return id;
}

}  // namespace iam::api
