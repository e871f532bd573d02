#include "policy/fast_json.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

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
// forms, no surrogates, nothing above U+10FFFF) and advances past it.
bool SkipUtf8(const char*& p, const char* end) {
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
    return false;
  }
  if (static_cast<size_t>(end - p) <= n) return false;
  if (b(1) < lo || b(1) > hi) return false;
  for (size_t i = 2; i <= n; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return false;
  }
  p += n + 1;
  return true;
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

bool JsonDoc::ParseString(std::string_view& out) {
  ++p_;  // the opening quote
  const char* start = p_;
  // Most strings have no escapes: view them in place.
  while (p_ < end_) {
#ifdef __SSE2__
    // 16 bytes at a time to the next quote, backslash, control or non-ASCII
    // byte (signed compare: bytes >= 0x80 are negative, so below 0x20 too).
    while (end_ - p_ >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      __m128i special = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
          _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
      int mask = _mm_movemask_epi8(special);
      if (mask == 0) {
        p_ += 16;
        continue;
      }
      p_ += __builtin_ctz(static_cast<unsigned>(mask));
      break;
    }
    if (p_ == end_) break;
#endif
    unsigned char c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      out = std::string_view(start, static_cast<size_t>(p_ - start));
      ++p_;
      return true;
    }
    if (c == '\\') break;
    if (c < 0x20) return false;
    if (c < 0x80) {
      ++p_;
    } else if (!SkipUtf8(p_, end_)) {
      return false;
    }
  }
  if (p_ >= end_) return false;
  nodes_[count_ - 1].escaped = true;
  compact_ = false;
  // Decoded text is never longer than its source, and the buffer was
  // reserved to the input's size, so earlier views stay valid.
  size_t begin = buffer_.size();
  buffer_.append(start, static_cast<size_t>(p_ - start));
  while (p_ < end_) {
    unsigned char c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      out = std::string_view(buffer_.data() + begin, buffer_.size() - begin);
      ++p_;
      return true;
    }
    if (c < 0x20) return false;
    if (c >= 0x80) {
      const char* s = p_;
      if (!SkipUtf8(p_, end_)) return false;
      buffer_.append(s, static_cast<size_t>(p_ - s));
      continue;
    }
    ++p_;
    if (c != '\\') {
      buffer_.push_back(static_cast<char>(c));
      continue;
    }
    if (p_ >= end_) return false;
    char e = *p_++;
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
        if (!ReadHex4(p_, end_, cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t low;
          if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          if (!ReadHex4(p_, end_, low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        AppendUtf8(cp, buffer_);
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

bool JsonDoc::ParseNumber() {
  const char* s = p_;
  if (p_ < end_ && *p_ == '-') ++p_;
  if (p_ == end_) return false;
  if (*p_ == '0') {
    ++p_;
  } else if (*p_ >= '1' && *p_ <= '9') {
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  } else {
    return false;
  }
  bool exponent = false;
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    if (p_ == end_ || !IsDigit(*p_)) return false;
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    exponent = true;
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ == end_ || !IsDigit(*p_)) return false;
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  }
  size_t n = static_cast<size_t>(p_ - s);
  // nlohmann refuses numbers that overflow a double; up to 300 characters
  // without an exponent cannot, others are checked (or left to it).
  if (n > 300) return false;
  if (exponent) {
    char buf[304];
    std::copy(s, p_, buf);
    buf[n] = '\0';
    if (!std::isfinite(std::strtod(buf, nullptr))) return false;
  }
  nodes_[count_ - 1].text = std::string_view(s, n);
  compact_ = false;
  return true;
}

bool JsonDoc::CheckUniqueKeys(uint32_t obj) {
  const JsonNode& o = nodes_[obj];
  if (o.size < 2) return true;
  uint32_t key, value;
  JsonChildren it(*this, obj);
  if (o.size <= 8) {
    // Small objects (nearly all): compare pairwise, no copies.
    uint32_t keys[8];
    size_t n = 0;
    while (it.NextMember(key, value)) {
      std::string_view k = nodes_[key].text;
      for (size_t j = 0; j < n; ++j) {
        if (BytesEqual(nodes_[keys[j]].text, k)) return false;
      }
      keys[n++] = key;
    }
    return true;
  }
  if (o.size <= 64) {
    // Pairwise on a fingerprint (length, first and last bytes); only equal
    // fingerprints compare the texts. Cheaper than sorting for case lines.
    uint32_t keys[64];
    uint64_t prints[64];
    size_t n = 0;
    while (it.NextMember(key, value)) {
      std::string_view k = nodes_[key].text;
      uint64_t print = k.size();
      if (!k.empty()) print |= uint64_t(uint8_t(k[0])) << 32 | uint64_t(uint8_t(k.back())) << 40;
      if (k.size() > 2) print |= uint64_t(uint8_t(k[k.size() / 2])) << 48;
      for (size_t j = 0; j < n; ++j) {
        if (prints[j] == print && BytesEqual(nodes_[keys[j]].text, k)) return false;
      }
      keys[n] = key;
      prints[n++] = print;
    }
    return true;
  }
  keys_.clear();
  while (it.NextMember(key, value)) keys_.push_back(nodes_[key].text);
  std::sort(keys_.begin(), keys_.end());
  return std::adjacent_find(keys_.begin(), keys_.end()) == keys_.end();
}

bool JsonDoc::Parse(std::string_view text, size_t max_depth, size_t max_bytes) {
  if (text.size() > max_bytes || text.size() >= 0xFFFFFFFFu / 2) return false;
  count_ = 0;
  compact_ = true;
  stack_.clear();
  buffer_.clear();
  buffer_.reserve(text.size());
  p_ = text.data();
  end_ = p_ + text.size();
  auto skip_ws = [this] {
    // Most tokens follow one another directly: one compare settles it.
    while (p_ < end_ && static_cast<unsigned char>(*p_) <= ' ' &&
           (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
      ++p_;
      compact_ = false;
    }
  };
  // Each turn reads one value; containers push themselves and the loop
  // below the switch closes them and reads separators.
  for (;;) {
    skip_ws();
    if (p_ == end_) return false;
    uint32_t idx = Push();
    char c = *p_;
    bool opened = false;
    switch (c) {
      case '{':
      case '[': {
        if (stack_.size() >= max_depth) return false;
        nodes_[idx].type = c == '{' ? Type::kObject : Type::kArray;
        const char* open = p_++;
        skip_ws();
        if (p_ < end_ && *p_ == (c == '{' ? '}' : ']')) {
          ++p_;
          nodes_[idx].end = idx + 1;
          nodes_[idx].text = std::string_view(open, static_cast<size_t>(p_ - open));
          break;
        }
        nodes_[idx].text = std::string_view(open, 0);  // completed when it closes
        stack_.push_back(idx);
        opened = true;
        break;
      }
      case '"':
        nodes_[idx].type = Type::kString;
        if (!ParseString(nodes_[idx].text)) return false;
        nodes_[idx].end = idx + 1;
        break;
      case 't':
      case 'f':
      case 'n': {
        std::string_view word = c == 't' ? "true" : c == 'f' ? "false" : "null";
        if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
        p_ += word.size();
        nodes_[idx].type = c == 't' ? Type::kTrue : c == 'f' ? Type::kFalse : Type::kNull;
        nodes_[idx].end = idx + 1;
        break;
      }
      default:
        nodes_[idx].type = Type::kNumber;
        if (!ParseNumber()) return false;
        nodes_[idx].end = idx + 1;
        break;
    }
    if (!opened) {
      // A value is complete: count it, then read a separator or close
      // containers (each closed one completes a value of its parent).
      for (;;) {
        if (stack_.empty()) {
          skip_ws();
          return p_ == end_;
        }
        uint32_t top = stack_.back();
        ++nodes_[top].size;
        skip_ws();
        if (p_ == end_) return false;
        bool object = nodes_[top].type == Type::kObject;
        if (*p_ == ',') {
          ++p_;
          break;
        }
        if (*p_ != (object ? '}' : ']')) return false;
        ++p_;
        nodes_[top].end = count_;
        const char* open = nodes_[top].text.data();
        nodes_[top].text = std::string_view(open, static_cast<size_t>(p_ - open));
        stack_.pop_back();
        if (object && !CheckUniqueKeys(top)) return false;
      }
    }
    // The next value; in an object it follows its key.
    if (nodes_[stack_.back()].type == Type::kObject) {
      skip_ws();
      if (p_ == end_ || *p_ != '"') return false;
      uint32_t key = Push();
      nodes_[key].type = Type::kString;
      if (!ParseString(nodes_[key].text)) return false;
      nodes_[key].end = key + 1;
      skip_ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
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
