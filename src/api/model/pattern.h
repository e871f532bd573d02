// A matcher for the Java-style regular expressions of the AWS service models
// (`[\w+=,.@-]+`, `[\u0009\u000A\u000D\u0020-\u00FF]+`, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`,
// `^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$`, ...), with Java's semantics:
// whole-string match (String.matches), code points, \w = [a-zA-Z_0-9],
// \uXXXX with exactly four hex digits, \p{X} over Unicode general categories.
//
// Compiled once to a Thompson NFA and run as a Pike VM: time is linear in
// the input times the program size, never exponential, whatever the input.
//
//   iam::Result<Pattern> p = Pattern::Compile("[\\w+=,.@-]+");
//   bool ok = p->Matches("alice@example.com");
//
// Supported: literals and escapes, classes with ranges and negation, \w \d \s
// (and negations), \p{L} \p{M} \p{N} \p{P} \p{S} \p{Z} \p{C} (also \P{..}),
// `.`, groups (capturing, (?:..)), alternation, * + ? {n} {n,} {n,m}, lazy
// and possessive suffixes (ignored), ^ and $, lookahead (?=..) and (?!..).
// Thread-safety: a compiled Pattern is immutable and shareable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/utf8.h"
#include "iamd/status.h"

namespace iam::api::model {

struct CodePointRange {
  char32_t lo;
  char32_t hi;  // inclusive
};

class Pattern {
 public:
  // Compiles `java_regex`. Returns kInternal naming the position of any
  // syntax this matcher does not support.
  static Result<Pattern> Compile(std::string_view java_regex);

  // True if the whole of `utf8` matches. Bytes that are not valid UTF-8 are
  // read as U+FFFD, as Java decodes them.
  bool Matches(std::string_view utf8) const;
  bool Matches(const std::u32string& code_points) const;

  const std::string& source() const { return source_; }

  // Internal program representation (public for the compiler in pattern.cc).
  enum class Op : std::uint8_t { kClass, kAny, kSplit, kJmp, kBol, kEol, kLook, kMatch };
  struct Inst {
    Op op;
    bool negate = false;  // kLook: negative lookahead
    int x = 0;            // kClass: class index; kSplit/kJmp: target; kLook: sub-program
    int y = 0;            // kSplit: second target
  };

 private:
  friend class PatternCompiler;
  bool Run(const std::u32string& in, std::size_t start, int pc, bool anchored_end) const;
  bool InClass(int cls, char32_t c) const;

  std::string source_;
  std::vector<Inst> prog_;
  std::vector<std::vector<CodePointRange>> classes_;  // sorted, merged
  // Fast path for the commonest model shape, `[class]*` or `[class]+`:
  // fast_class_ >= 0 is the class, fast_min_ the least count (0 or 1).
  int fast_class_ = -1;
  int fast_min_ = 0;
  std::uint64_t fast_ascii_[2] = {0, 0};  // ASCII membership bitmap of fast_class_
};

// Sorted ranges of a Unicode general category ("L", "M", "N", "P", "S",
// "Z", "C"); empty for unknown names. Generated from Python's unicodedata.
std::vector<CodePointRange> UnicodeCategory(std::string_view name);

}  // namespace iam::api::model
