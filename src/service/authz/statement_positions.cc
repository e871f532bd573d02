#include "service/authz/statement_positions.h"

#include <cstddef>

namespace iam::service {
namespace {

// A cursor over JSON text that knows its line and column.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  TextPosition position() const { return {line_, column_}; }

  void Advance() {
    if (done()) return;
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  void SkipSpace() {
    while (!done() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) Advance();
  }
  // Reads a string literal (cursor on its opening quote) and returns its raw
  // contents; escapes are kept as written, which is enough to compare keys.
  std::string_view ReadString() {
    Advance();  // opening quote
    size_t begin = pos_;
    while (!done() && peek() != '"') {
      if (peek() == '\\') Advance();
      Advance();
    }
    std::string_view s = text_.substr(begin, pos_ - begin);
    Advance();  // closing quote
    return s;
  }
  // Skips one value of any kind.
  void SkipValue() {
    SkipSpace();
    char c = peek();
    if (c == '"') {
      ReadString();
    } else if (c == '{' || c == '[') {
      SkipBracketed();
    } else {
      while (!done() && peek() != ',' && peek() != '}' && peek() != ']') Advance();
    }
  }
  // Skips an object (cursor on '{') and returns where it began and ended.
  StatementSpan SpanOfObject() {
    TextPosition start = position();
    return {start, SkipBracketed()};
  }

 private:
  // Skips an object or array (cursor on its opening bracket) and returns the
  // position of its closing bracket (or of the end of a truncated text).
  TextPosition SkipBracketed() {
    int depth = 0;
    while (!done()) {
      char d = peek();
      if (d == '"') {
        ReadString();
        continue;
      }
      if (d == '{' || d == '[') ++depth;
      if (d == '}' || d == ']') --depth;
      if (depth == 0) {
        TextPosition end = position();
        Advance();
        return end;
      }
      Advance();
    }
    return position();
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::vector<StatementSpan> StatementSpans(std::string_view document) {
  std::vector<StatementSpan> spans;
  Cursor c(document);
  c.SkipSpace();
  if (c.peek() != '{') return spans;
  c.Advance();
  while (!c.done()) {
    c.SkipSpace();
    if (c.peek() != '"') return spans;
    std::string_view key = c.ReadString();
    c.SkipSpace();
    if (c.peek() != ':') return spans;
    c.Advance();
    c.SkipSpace();
    if (key != "Statement") {
      c.SkipValue();
    } else if (c.peek() == '{') {
      spans.push_back(c.SpanOfObject());
    } else if (c.peek() == '[') {
      c.Advance();
      for (;;) {
        c.SkipSpace();
        if (c.peek() == '{') {
          spans.push_back(c.SpanOfObject());
        } else if (c.peek() == ',') {
          c.Advance();
        } else {
          break;
        }
      }
      if (c.peek() == ']') c.Advance();
    } else {
      c.SkipValue();
    }
    c.SkipSpace();
    if (c.peek() != ',') return spans;
    c.Advance();
  }
  return spans;
}

}  // namespace iam::service
