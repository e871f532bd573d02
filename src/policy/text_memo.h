// A small memo of facts about short texts, one per thread. Policies repeat
// the same few resources and condition values again and again (an
// account's policies, a batch of `iamd eval` cases), and checking or
// splitting one costs several times a lookup here.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "iamd/policy.h"
#include "policy/wildcard.h"

namespace iam::policy {

// Remembers the results of one pure function of a text. A slot holds one
// text; a text hashing to a taken slot evicts it.
template <typename T, size_t kSlots = 256>
class TextMemo {
 public:
  // Texts longer than this are not kept (rare, and costly to compare).
  static constexpr size_t kMaxText = 96;

  // make(text), recalled if this memo made it for the same text lately.
  template <typename Make>
  T Recall(std::string_view text, Make make) {
    if (text.size() > kMaxText) return make(text);
    // Made on first use: a thread that never asks pays nothing, not even
    // the zeroing of its thread-local storage.
    if (!slots_) slots_ = std::make_unique<std::array<Slot, kSlots>>();
    uint32_t hash = RequestContext::KeyHash(text);
    Slot& s = (*slots_)[hash % kSlots];
    if (!s.used || s.hash != hash || s.text.size() != text.size() || !BytesEqual(s.text, text)) {
      s.value = make(text);
      s.used = true;
      s.hash = hash;
      s.text.assign(text);
    }
    return s.value;
  }

 private:
  struct Slot {
    bool used = false;
    uint32_t hash = 0;
    std::string text;
    T value{};
  };
  std::unique_ptr<std::array<Slot, kSlots>> slots_;
};

}  // namespace iam::policy
