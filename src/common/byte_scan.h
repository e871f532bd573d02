// Finding the first byte of a text that an escaper must look at, sixteen
// bytes at a time: JSON and XML escaping run over every audit line and
// every response, and nearly all of their bytes need nothing.
//
//   size_t i = FindSpecialByte(text, "\"\\");  // JSON: quote, backslash
//   // text[0, i) is plain printable ASCII; text[i] (if any) needs a look.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace iam {

// The index of the first byte of `text` that is a control character
// (< 0x20), DEL or non-ASCII (>= 0x7F), or one of `also` (at most a few
// ASCII characters); text.size() when there is none.
inline size_t FindSpecialByte(std::string_view text, std::string_view also) {
  auto special = [also](unsigned char c) {
    if (c < 0x20 || c >= 0x7F) return true;
    for (char a : also) {  // not find(): a call to memchr per byte costs more than the scan
      if (static_cast<char>(c) == a) return true;
    }
    return false;
  };
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7F);
  for (; i + 16 <= text.size(); i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // Signed compare: bytes >= 0x80 are negative, so "< 0x20" catches them too.
    __m128i hit = _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del));
    for (char c : also) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8(c)));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < text.size(); ++i) {
    if (special(static_cast<unsigned char>(text[i]))) return i;
  }
  return text.size();
}

}  // namespace iam
