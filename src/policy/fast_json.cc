#include "policy/fast_json.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "policy/wildcard.h"

namespace iam::policy {
namespace {

using Type = JsonNode::Type;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Validates one multi-byte UTF-8 sequence at p (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF): the position after it, or
// nullptr. (Taking p by reference would keep the reader's position in
// memory instead of a register.)
const char* SkipUtf8(const char* p, const char* end) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(p[i]); };
  unsigned char c = b(0);
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return nullptr;
  }
  if (static_cast<size_t>(end - p) <= n) return nullptr;
  if (b(1) < lo || b(1) > hi) return nullptr;
  for (size_t i = 2; i <= n; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return nullptr;
  }
  return p + n + 1;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool ReadHex4(const char*& p, const char* end, uint32_t& out) {
  if (end - p < 4) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    int v = HexValue(p[i]);
    if (v < 0) return false;
    out = out * 16 + static_cast<uint32_t>(v);
  }
  p += 4;
  return true;
}

}  // namespace

namespace {

// Zero bytes after the copied text (see JsonDoc::input_): at least one
// 16-byte load, or a literal's 5 bytes, past the last byte of the text.
constexpr size_t kPadding = 32;

uint64_t Load8(const char* s) {
  uint64_t v;
  std::memcpy(&v, s, 8);
  return v;
}

// A fingerprint of an object key: equal keys have equal fingerprints. Keys
// viewing the padded input may be read 8 bytes at a time from their start;
// decoded ones (in buffer_) only within their bytes.
uint32_t KeyPrint(std::string_view k, bool in_input) {
  static_assert(std::endian::native == std::endian::little, "the byte loop below mirrors a little-endian load");
  size_t n = k.size();
  uint64_t head;
  if (n >= 8) {
    head = Load8(k.data()) * 0x9E3779B97F4A7C15ull ^ Load8(k.data() + n - 8);
  } else if (in_input) {
    head = n == 0 ? 0 : Load8(k.data()) & (~0ull >> (64 - 8 * n));
  } else {
    // The value the masked load above gives (little-endian), byte by byte.
    head = 0;
    for (size_t i = 0; i < n; ++i) head |= uint64_t{static_cast<uint8_t>(k[i])} << (8 * i);
  }
  return static_cast<uint32_t>(((head + n) * 0x9E3779B97F4A7C15ull) >> 32);
}

// Objects up to this many members have their keys checked as they are
// read, one bit of a 64-bit set per key's fingerprint; larger ones are
// sorted when they close.
constexpr uint32_t kSeenKeys = 64;

}  // namespace

// Inlined into Parse's loop: a call per string cost more than its scan.
__attribute__((always_inline)) inline const char* JsonDoc::ParseString(const char* p, JsonNode& node) {
  const char* start = ++p;  // past the opening quote
  // Most strings have no escapes: view them in place.
  for (;;) {
#ifdef __SSE2__
    // 16 bytes at a time to the next quote, backslash, control or non-ASCII
    // byte (signed compare: bytes >= 0x80 are negative, so below 0x20 too).
    // The zero byte after the text stops it: p never passes the end.
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask == 0) {
      p += 16;
      continue;
    }
    p += __builtin_ctz(mask);
#else
    while (*p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20 && static_cast<unsigned char>(*p) < 0x80) ++p;
#endif
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"') {
      node.text = std::string_view(start, static_cast<size_t>(p - start));
      return p + 1;
    }
    if (c == '\\') return ParseEscapedString(p, start, node);
    if (c < 0x20) return nullptr;  // a control byte, or the end of the text
    p = SkipUtf8(p, end_);
    if (p == nullptr) return nullptr;
  }
}

__attribute__((noinline)) const char* JsonDoc::ParseEscapedString(const char* p, const char* start, JsonNode& node) {
  node.escaped = true;
  compact_ = false;
  // Decoded text is never longer than its source, and the buffer was
  // reserved to the input's size, so earlier views stay valid.
  size_t begin = buffer_.size();
  buffer_.append(start, static_cast<size_t>(p - start));
  for (;;) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"') {
      node.text = std::string_view(buffer_.data() + begin, buffer_.size() - begin);
      return p + 1;
    }
    if (c < 0x20) return nullptr;  // a control byte, or the end of the text
    if (c >= 0x80) {
      const char* s = p;
      p = SkipUtf8(p, end_);
      if (p == nullptr) return nullptr;
      buffer_.append(s, static_cast<size_t>(p - s));
      continue;
    }
    ++p;
    if (c != '\\') {
      buffer_.push_back(static_cast<char>(c));
      continue;
    }
    if (p >= end_) return nullptr;
    char e = *p++;
    switch (e) {
      case '"': buffer_.push_back('"'); break;
      case '\\': buffer_.push_back('\\'); break;
      case '/': buffer_.push_back('/'); break;
      case 'b': buffer_.push_back('\b'); break;
      case 'f': buffer_.push_back('\f'); break;
      case 'n': buffer_.push_back('\n'); break;
      case 'r': buffer_.push_back('\r'); break;
      case 't': buffer_.push_back('\t'); break;
      case 'u': {
        uint32_t cp;
        if (!ReadHex4(p, end_, cp)) return nullptr;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return nullptr;  // lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t low;
          if (end_ - p < 2 || p[0] != '\\' || p[1] != 'u') return nullptr;
          p += 2;
          if (!ReadHex4(p, end_, low) || low < 0xDC00 || low > 0xDFFF) return nullptr;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        AppendUtf8(cp, buffer_);
        break;
      }
      default:
        return nullptr;
    }
  }
}

const char* JsonDoc::ParseNumber(const char* p, JsonNode& node) {
  // Digit loops stop at the zero byte after the text.
  const char* s = p;
  if (*p == '-') ++p;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    while (IsDigit(*p)) ++p;
  } else {
    return nullptr;
  }
  bool exponent = false;
  if (*p == '.') {
    ++p;
    if (!IsDigit(*p)) return nullptr;
    while (IsDigit(*p)) ++p;
  }
  if (*p == 'e' || *p == 'E') {
    exponent = true;
    ++p;
    if (*p == '+' || *p == '-') ++p;
    if (!IsDigit(*p)) return nullptr;
    while (IsDigit(*p)) ++p;
  }
  size_t n = static_cast<size_t>(p - s);
  // nlohmann refuses numbers that overflow a double; up to 300 characters
  // without an exponent cannot, others are checked (or left to it).
  if (n > 300) return nullptr;
  if (exponent) {
    char buf[304];
    std::copy(s, p, buf);
    buf[n] = '\0';
    if (!std::isfinite(std::strtod(buf, nullptr))) return nullptr;
  }
  node.text = std::string_view(s, n);
  compact_ = false;
  return p;
}

// Inlined into Parse's loop, as ParseString is.
__attribute__((always_inline)) inline bool JsonDoc::NewKey(uint32_t key) {
  Open& top = stack_.back();
  JsonNode* nodes = nodes_.data();
  if (nodes[top.node].size >= kSeenKeys) return true;  // CheckUniqueKeys, at the close
  JsonNode& k = nodes[key];
  uint32_t print = KeyPrint(k.text, !k.escaped);
  k.print = print;
  uint64_t bit = uint64_t{1} << (print >> 26);
  if (top.seen & bit) {
    // Only a key whose bit is taken is compared with the earlier ones. A
    // key's value starts right after it; the next key, where the value ends.
    for (uint32_t other = top.node + 1; other < key; other = nodes[other + 1].end) {
      if (nodes[other].print == print && BytesEqual(nodes[other].text, k.text)) return false;
    }
  }
  top.seen |= bit;
  return true;
}

bool JsonDoc::CheckUniqueKeys(uint32_t obj) {
  uint32_t key, value;
  JsonChildren it(*this, obj);
  keys_.clear();
  while (it.NextMember(key, value)) keys_.push_back(nodes_[key].text);
  std::sort(keys_.begin(), keys_.end());
  return std::adjacent_find(keys_.begin(), keys_.end()) == keys_.end();
}

JsonNode* JsonDoc::Grow(uint32_t count) {
  if (count == nodes_.size()) nodes_.resize(nodes_.size() * 2 + 256);
  return nodes_.data();
}

bool JsonDoc::Parse(std::string_view text, size_t max_depth, size_t max_bytes) {
  return Read(text, max_depth, max_bytes, true);
}

bool JsonDoc::ParseKeepingDuplicates(std::string_view text, size_t max_depth, size_t max_bytes) {
  return Read(text, max_depth, max_bytes, false);
}

bool JsonDoc::Read(std::string_view text, size_t max_depth, size_t max_bytes, bool unique_keys) {
  if (text.size() > max_bytes || text.size() >= 0xFFFFFFFFu / 2) return false;
  size_t size = text.size();
  if (input_capacity_ < size + kPadding) {
    input_capacity_ = std::max(size + kPadding, 2 * input_capacity_);
    input_.reset(new char[input_capacity_]);
  }
  char* input = input_.get();
  std::memcpy(input, text.data(), size);
  std::memset(input + size, 0, kPadding);
  compact_ = true;
  stack_.clear();
  buffer_.clear();
  buffer_.reserve(size);
  end_ = input + size;
  // The position, the nodes, their count and room live in registers here
  // (the nodes' byte stores could alias members, forcing reloads); every
  // exit stores the count.
  const char* p = input;
  JsonNode* nodes = nodes_.data();
  uint32_t count = 0, capacity = static_cast<uint32_t>(nodes_.size());
  auto push = [&]() -> JsonNode& {
    if (count == capacity) {
      nodes = Grow(count);
      capacity = static_cast<uint32_t>(nodes_.size());
    }
    // Each kind sets its type, end and text; these two are the same for all.
    JsonNode& n = nodes[count++];
    n.escaped = false;
    n.size = 0;
    return n;
  };
  auto fail = [&] {
    count_ = count;
    return false;
  };
  auto skip_ws = [&p, this] {
    // Most tokens follow one another directly: one compare settles it.
    if (static_cast<unsigned char>(*p) > ' ') return;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
      ++p;
      compact_ = false;
    }
  };
  // Each turn reads one value; containers push themselves and the loop
  // below the switch closes them and reads separators. At the end of the
  // text every check meets the zero byte after it, which nothing accepts.
  for (;;) {
    skip_ws();
    uint32_t idx = count;
    JsonNode& node = push();
    char c = *p;
    bool opened = false;
    switch (c) {
      case '{':
      case '[': {
        if (stack_.size() >= max_depth) return fail();
        node.type = c == '{' ? Type::kObject : Type::kArray;
        const char* open = p++;
        skip_ws();
        if (*p == (c == '{' ? '}' : ']')) {
          ++p;
          node.end = idx + 1;
          node.text = std::string_view(open, static_cast<size_t>(p - open));
          break;
        }
        node.text = std::string_view(open, 0);  // completed when it closes
        stack_.push_back({idx, 0});
        opened = true;
        break;
      }
      case '"':
        node.type = Type::kString;
        p = ParseString(p, node);
        if (p == nullptr) return fail();
        node.end = idx + 1;
        break;
      case 't':
      case 'f':
      case 'n': {
        std::string_view word = c == 't' ? "true" : c == 'f' ? "false" : "null";
        if (std::memcmp(p, word.data(), word.size()) != 0) return fail();  // padded: safe to read
        node.text = std::string_view(p, word.size());
        p += word.size();
        node.type = c == 't' ? Type::kTrue : c == 'f' ? Type::kFalse : Type::kNull;
        node.end = idx + 1;
        break;
      }
      default:
        node.type = Type::kNumber;
        p = ParseNumber(p, node);
        if (p == nullptr) return fail();
        node.end = idx + 1;
        break;
    }
    if (!opened) {
      // A value is complete: count it, then read a separator or close
      // containers (each closed one completes a value of its parent).
      for (;;) {
        if (stack_.empty()) {
          skip_ws();
          count_ = count;
          return p == end_;
        }
        JsonNode& top = nodes[stack_.back().node];
        ++top.size;
        skip_ws();
        bool object = top.type == Type::kObject;
        if (*p == ',') {
          ++p;
          break;
        }
        if (*p != (object ? '}' : ']')) return fail();
        ++p;
        top.end = count;
        top.text = std::string_view(top.text.data(), static_cast<size_t>(p - top.text.data()));
        uint32_t closed = stack_.back().node;
        stack_.pop_back();
        if (object && top.size > kSeenKeys && unique_keys) {
          count_ = count;
          if (!CheckUniqueKeys(closed)) return false;
        }
      }
    }
    // The next value; in an object it follows its key.
    if (nodes[stack_.back().node].type == Type::kObject) {
      skip_ws();
      if (*p != '"') return fail();
      uint32_t key_idx = count;
      JsonNode& key = push();
      key.type = Type::kString;
      p = ParseString(p, key);
      if (p == nullptr) return fail();
      key.end = key_idx + 1;
      if (unique_keys && !NewKey(key_idx)) return fail();
      skip_ws();
      if (*p != ':') return fail();
      ++p;
    }
  }
}

uint32_t JsonDoc::Find(uint32_t obj, std::string_view key) const {
  uint32_t k, v;
  JsonChildren it(*this, obj);
  while (it.NextMember(k, v)) {
    if (BytesEqual(nodes_[k].text, key)) return v;
  }
  return 0;
}

}  // namespace iam::policy
