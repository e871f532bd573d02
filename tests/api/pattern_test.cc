// The Java-regex matcher against the constructs of the IAM/STS models.
#include "api/model/pattern.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "api/model/model.h"

namespace iam::api::model {
namespace {

bool M(std::string_view re, std::string_view s) {
  Result<Pattern> p = Pattern::Compile(re);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() && p->Matches(s);
}

TEST(PatternTest, UserNamePattern) {
  const char* re = "[\\w+=,.@-]+";
  EXPECT_TRUE(M(re, "alice"));
  EXPECT_TRUE(M(re, "bob.smith+tag=x,y@example-corp_1"));
  EXPECT_FALSE(M(re, ""));
  EXPECT_FALSE(M(re, "a b"));
  EXPECT_FALSE(M(re, "a/b"));
  EXPECT_FALSE(M(re, "caf\xc3\xa9"));  // Java's \w is ASCII only
}

TEST(PatternTest, UnicodeEscapesAndRanges) {
  const char* re = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";
  EXPECT_TRUE(M(re, "{\"Version\": \"2012-10-17\"}\n\t\r"));
  EXPECT_TRUE(M(re, "caf\xc3\xa9"));            // U+00E9
  EXPECT_FALSE(M(re, "\xe6\x97\xa5"));           // U+65E5
  EXPECT_FALSE(M(re, std::string("a\x01b", 3)));
  EXPECT_FALSE(M(re, "\xff"));                   // invalid UTF-8 reads as U+FFFD
}

TEST(PatternTest, PathPatterns) {
  const char* re = "(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)";
  EXPECT_TRUE(M(re, "/"));
  EXPECT_TRUE(M(re, "/engineering/dev/"));
  EXPECT_FALSE(M(re, "engineering/"));
  EXPECT_FALSE(M(re, "/a b/"));
  EXPECT_FALSE(M(re, "//"));
  const char* prefix = "\\u002F[\\u0021-\\u007F]*";
  EXPECT_TRUE(M(prefix, "/"));
  EXPECT_TRUE(M(prefix, "/a/b"));
  EXPECT_FALSE(M(prefix, ""));
}

TEST(PatternTest, UnicodeCategories) {
  const char* re = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";
  EXPECT_TRUE(M(re, "team"));
  EXPECT_TRUE(M(re, "\xe6\x97\xa5\xe6\x9c\xac 12 a-b:c/d=e+f@g_h."));
  EXPECT_FALSE(M(re, "a!b"));
  EXPECT_FALSE(M(re, "a\tb"));  // a tab is Cc, not Z
  const char* any = "[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*";
  EXPECT_TRUE(M(any, ""));
  EXPECT_TRUE(M(any, "Hello, world! \xe2\x82\xac 5 \xf0\x9f\x98\x80"));  // euro sign (Sc), emoji (So)
  EXPECT_FALSE(M(any, "line\nbreak"));
  EXPECT_FALSE(M("\\P{L}+", "abc"));
  EXPECT_TRUE(M("\\P{L}+", "123"));
}

TEST(PatternTest, AnchorsLookaheadAndCounts) {
  const char* alias = "^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$";
  EXPECT_TRUE(M(alias, "my-company"));
  EXPECT_TRUE(M(alias, "a"));
  EXPECT_FALSE(M(alias, "my--company"));
  EXPECT_FALSE(M(alias, "-abc"));
  EXPECT_FALSE(M(alias, "abc-"));
  EXPECT_FALSE(M(alias, "ABC"));
  const char* org = "^p-[0-9a-zA-Z_]{8,128}$";
  EXPECT_TRUE(M(org, "p-12345678"));
  EXPECT_FALSE(M(org, "p-1234567"));
  EXPECT_TRUE(M("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?", "v12.beta-1"));
  EXPECT_FALSE(M("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?", "v0"));
  EXPECT_TRUE(M("a{2}b{1,}c{0,1}", "aabbb"));
  EXPECT_FALSE(M("a{2}", "aaa"));
  EXPECT_TRUE(M("(?=ab)a.", "ab"));
  EXPECT_TRUE(M("[^a-c]x", "dx"));
  EXPECT_TRUE(M("a.c", "a\xc3\xa9" "c"));
  EXPECT_FALSE(M("a.c", "a\nc"));
  EXPECT_FALSE(M("a.c", "a\xe2\x80\xa8" "c"));  // U+2028
  EXPECT_FALSE(M("[^a-c]x", "bx"));
}

TEST(PatternTest, RejectsWhatItDoesNotSupport) {
  EXPECT_FALSE(Pattern::Compile("[a-z&&[^e]]").ok());
  EXPECT_FALSE(Pattern::Compile("(?<name>a)").ok());
  EXPECT_FALSE(Pattern::Compile("\\p{Nope}").ok());
  EXPECT_FALSE(Pattern::Compile("(a").ok());
  EXPECT_FALSE(Pattern::Compile("a)").ok());
  EXPECT_FALSE(Pattern::Compile("*a").ok());
  EXPECT_FALSE(Pattern::Compile("\\q").ok());
}

TEST(PatternTest, EveryModelPatternCompiles) {
  for (const Service* s : {&Iam(), &Sts()}) {
    for (std::string_view text : s->patterns) {
      Result<Pattern> p = Pattern::Compile(text);
      EXPECT_TRUE(p.ok()) << s->name << ": " << p.status().ToString();
    }
  }
}

// Java reads \u10000 as \u1000 followed by '0', so the STS arnType class
// does not reach supplementary characters. We follow Java.
TEST(PatternTest, JavaFourDigitUnicodeEscape) {
  const char* re = "[\\u0020-\\u007E\\u10000-\\u10FFFF]+";
  EXPECT_TRUE(M(re, "arn:aws:iam::1:role/x"));
  EXPECT_FALSE(M(re, "\xf0\x9f\x98\x80"));
}

// Linear time on large and adversarial inputs: a 128 KiB policy document
// (the `[class]+` fast path) and a 40 KiB near-miss for the lookahead pattern
// (the Pike VM), timed separately.
TEST(PatternTest, LinearTime) {
  Result<Pattern> doc = Pattern::Compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
  ASSERT_TRUE(doc.ok());
  std::string big(131072, 'a');
  Result<Pattern> alias = Pattern::Compile("^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$");
  ASSERT_TRUE(alias.ok());
  std::string tricky;
  for (int i = 0; i < 20000; ++i) tricky += "a-";
  tricky += "-";
  constexpr int kRounds = 10;
  auto time_ms = [&](const Pattern& p, const std::string& s, bool expect) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) EXPECT_EQ(p.Matches(s), expect);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / kRounds;
  };
  double doc_ms = time_ms(*doc, big, true);
  double vm_ms = time_ms(*alias, tricky, false);
  std::printf("pattern: 128 KiB policy document %.3f ms; 40 KiB lookahead near-miss (Pike VM) %.3f ms\n", doc_ms,
              vm_ms);
  // Generous bounds that still catch exponential behaviour, sanitizers included.
  EXPECT_LT(doc_ms, 100.0);
  EXPECT_LT(vm_ms, 500.0);
}

}  // namespace
}  // namespace iam::api::model
