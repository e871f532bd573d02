// JSON text written straight into a string, for what iamd writes on every
// request (audit lines, the decision endpoint's answers): no tree of nodes,
// one buffer. Members come out in the order they are written. Strings are
// escaped for JSON; invalid UTF-8 becomes U+FFFD so a line always parses.
//
//   std::string out;
//   JsonWriter w(out);
//   w.Begin('{');
//   w.Member("decision", "Allow");
//   w.Key("statements");
//   w.Begin('[');
//   w.End(']');
//   w.End('}');   // {"decision":"Allow","statements":[]}
//
// Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/model/utf8.h"
#include "common/byte_scan.h"

namespace iam::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void String(std::string_view s) {
    size_t mark = out_.size();
    if (Escaped(s, /*ascii_only=*/true)) return;
    out_.resize(mark);  // not ASCII: invalid bytes must not break the text
    Escaped(model::SanitizeUtf8(s), /*ascii_only=*/false);
  }
  void Key(std::string_view k) {
    Separator();
    String(k);
    out_ += ':';
    first_ = true;  // the value follows without a comma
    pending_value_ = true;
  }
  // Opens an object ('{') or an array ('[').
  void Begin(char c) {
    Separator();
    out_ += c;
    first_ = true;
  }
  void End(char c) {
    out_ += c;
    first_ = false;
  }
  // A value written as is: a number, true, false, null.
  void Raw(std::string_view v) {
    Separator();
    out_ += v;
  }
  void Value(std::string_view v) {
    Separator();
    String(v);
  }
  void Member(std::string_view k, std::string_view v) {
    Key(k);
    Value(v);
  }
  void MemberBool(std::string_view k, bool v) {
    Key(k);
    Raw(v ? "true" : "false");
  }
  void MemberInt(std::string_view k, int64_t v) {
    Key(k);
    Raw(std::to_string(v));
  }

 private:
  void Separator() {
    if (pending_value_) {
      pending_value_ = false;
    } else if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }
  // Writes `s` quoted and escaped, in one pass over runs of plain bytes.
  // With `ascii_only`, stops and returns false at the first byte >= 0x80.
  bool Escaped(std::string_view s, bool ascii_only) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    size_t plain = 0;  // start of the run of bytes copied as they are
    for (size_t i = FindSpecialByte(s, "\"\\"); i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        if (ascii_only) return false;
        continue;
      }
      if (c != '"' && c != '\\' && c >= 0x20) continue;
      out_.append(s.data() + plain, i - plain);
      plain = i + 1;
      if (c == '"' || c == '\\') {
        char pair[2] = {'\\', static_cast<char>(c)};
        out_.append(pair, 2);
      } else {
        char code[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out_.append(code, 6);
      }
    }
    out_.append(s.data() + plain, s.size() - plain);
    out_ += '"';
    return true;
  }

  std::string& out_;
  bool first_ = true;
  bool pending_value_ = false;
};

}  // namespace iam::api
