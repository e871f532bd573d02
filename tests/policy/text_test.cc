// The word-at-a-time text helpers of the hot path against their plain
// definitions: lower-casing (ASCII only, other bytes kept), byte search,
// IPv4 reading (inet_pton's), the key hash (equal keys, equal hashes;
// lengths and tails count) and the memo of recent texts.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "iamd/policy.h"
#include "policy/document.h"
#include "policy/text_memo.h"
#include "policy/values.h"
#include "policy/wildcard.h"

namespace iam::policy {
namespace {

std::string LowerByteAtATime(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return out;
}

TEST(TextTest, AsciiLowerIntoMatchesTheByteRule) {
  // Every byte value, at every position of words and tails.
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  // Letters around every place a word or the overlapping last word falls.
  std::string letters = "Az[@`{ZaQ\xC3\x89\x7F\x80" "AWS:PrincipalTag/TEAM-x";
  letters += letters;
  std::vector<size_t> sizes = {64, 240};
  for (size_t n = 0; n <= 24; ++n) sizes.push_back(n);
  for (const std::string* source : {&all, &letters}) {
    for (size_t start = 0; start < 16; ++start) {
      for (size_t n : sizes) {
        if (start + n > source->size()) continue;
        std::string s = source->substr(start, n);
        std::string out(s.size(), '\0');
        AsciiLowerInto(s, out.data());
        EXPECT_EQ(out, LowerByteAtATime(s)) << "start " << start << " size " << n;
        AsciiLowerInto(s, s.data());  // in place
        EXPECT_EQ(s, out) << "in place, start " << start << " size " << n;
      }
    }
  }
  std::string mixed = "AWS:PrincipalTag/Team-\xC3\x89QUIPE@[`{Z";
  std::string out(mixed.size(), '\0');
  AsciiLowerInto(mixed, out.data());
  EXPECT_EQ(out, "aws:principaltag/team-\xC3\x89quipe@[`{z");
  // In place, as the compiler lower-cases the texts it keeps.
  AsciiLowerInto(mixed, mixed.data());
  EXPECT_EQ(mixed, out);
}

// Blocks of 16 and 8 bytes, 4-byte halves and single bytes, each ending on
// an overlapping last block: every size, the byte at every place.
TEST(TextTest, HasAnyOfFindsAByteWhereverItIs) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string plain(n, 'a');
    for (size_t i = 0; i < n; ++i) plain[i] = static_cast<char>('a' + i % 26);  // no '$', '*', '?'
    EXPECT_FALSE(HasAnyOf(plain, '$', '*', '?')) << "size " << n;
    EXPECT_FALSE(HasWildcard(plain)) << "size " << n;
    for (size_t at = 0; at < n; ++at) {
      for (char c : {'$', '*', '?', kLiteralEscape}) {
        std::string s = plain;
        s[at] = c;
        EXPECT_EQ(HasAnyOf(s, '$', '$', '$'), c == '$') << "size " << n << " at " << at;
        EXPECT_EQ(HasWildcard(s), c != '$') << "size " << n << " at " << at;
      }
    }
  }
  // Bytes next to the ones looked for (the word test must not borrow).
  EXPECT_FALSE(HasAnyOf(std::string_view("\x7f\x80\xff\x00#%)+@>", 10), '$', '*', '?'));
}

// ParseIpRange reads IPv4 addresses itself: it must take exactly what
// inet_pton(AF_INET) takes, with the same bytes. Every string of up to 5
// characters over digits and dots, and seeded random longer ones.
TEST(TextTest, Ipv4AddressesReadAsInetPtonReadsThem) {
  auto expect_same = [](const std::string& s) {
    uint8_t want[4];
    bool ok = inet_pton(AF_INET, s.c_str(), want) == 1;
    std::optional<IpRange> got = ParseIpRange(s);
    bool got_v4 = got && !got->v6;
    ASSERT_EQ(got_v4, ok) << "\"" << s << "\"";
    if (ok) {
      EXPECT_EQ(std::memcmp(got->bytes.data(), want, 4), 0) << s;
      EXPECT_EQ(got->prefix, 32) << s;
    }
  };
  const std::string alphabet = "0123456789.";
  std::vector<std::string> level = {""};
  for (int len = 1; len <= 5; ++len) {
    std::vector<std::string> next;
    for (const std::string& prefix : level) {
      for (char c : alphabet) next.push_back(prefix + c);
    }
    for (const std::string& s : next) expect_same(s);
    level = std::move(next);
  }
  std::mt19937 rng(7);
  const std::string parts[] = {"0", "00", "1", "01", "9", "10", "99", "100", "199", "255", "256", "260", "999", "1000", ""};
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    int n = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) {
      if (k > 0) s += rng() % 20 == 0 ? ".." : ".";
      s += parts[rng() % std::size(parts)];
    }
    if (rng() % 25 == 0) s += '.';
    expect_same(s);
  }
  for (const char* s : {"1.2.3.4", "255.255.255.255", "0.0.0.0", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4a", "a.b.c.d"}) {
    expect_same(s);
  }
}

TEST(TextTest, KeyHashSeparatesLengthsAndTails) {
  EXPECT_EQ(RequestContext::KeyHash("aws:username"), RequestContext::KeyHash(std::string("aws:username")));
  EXPECT_NE(RequestContext::KeyHash("aws:username"), RequestContext::KeyHash("aws:usernamf"));
  EXPECT_NE(RequestContext::KeyHash("aws:principaltag/a"), RequestContext::KeyHash("aws:principaltag/b"));
  // A zero byte at the end is not the same key as none.
  EXPECT_NE(RequestContext::KeyHash(std::string_view("abcdefgh\0", 9)), RequestContext::KeyHash("abcdefgh"));
  EXPECT_NE(RequestContext::KeyHash(""), RequestContext::KeyHash(std::string_view("\0", 1)));
}

// The hash reads a key's last bytes with overlapping loads; it must equal
// the plain definition: 8-byte words, then the rest copied into a zeroed one.
TEST(TextTest, KeyHashIsItsPlainDefinition) {
  auto plain = [](std::string_view key) {
    uint64_t h = key.size() * 0x9E3779B97F4A7C15ull;
    auto mix = [&h](uint64_t w) {
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 31;
    };
    size_t i = 0;
    for (; i + 8 <= key.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, key.data() + i, 8);
      mix(w);
    }
    if (i < key.size()) {
      uint64_t w = 0;
      std::memcpy(&w, key.data() + i, key.size() - i);
      mix(w);
    }
    return static_cast<uint32_t>(h ^ (h >> 32));
  };
  std::string text;
  for (int i = 0; i < 48; ++i) text.push_back(static_cast<char>(i * 37 + 1));
  for (size_t start = 0; start < 8; ++start) {
    for (size_t n = 0; start + n <= text.size(); ++n) {
      std::string_view key(text.data() + start, n);
      EXPECT_EQ(RequestContext::KeyHash(key), plain(key)) << "start " << start << " size " << n;
    }
  }
}

TEST(TextTest, TextMemoRecallsOnlyTheSameText) {
  int calls = 0;
  auto size_of = [&calls](std::string_view t) {
    ++calls;
    return t.size();
  };
  // A fresh slot holds no text, not even the empty one (whose hash is 0).
  TextMemo<size_t, 1> fresh;
  EXPECT_EQ(fresh.Recall("", [&calls](std::string_view) {
    ++calls;
    return size_t{7};
  }), 7u);
  EXPECT_EQ(calls, 1);
  calls = 0;
  // One slot: every text evicts the one before it.
  TextMemo<size_t, 1> memo;
  EXPECT_EQ(memo.Recall("arn:aws:s3:::a", size_of), 14u);
  EXPECT_EQ(memo.Recall("arn:aws:s3:::a", size_of), 14u);
  EXPECT_EQ(calls, 1);
  // Same length, same first and last bytes: still another text.
  EXPECT_EQ(memo.Recall("arn:aws:s3:::b", size_of), 14u);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(memo.Recall("arn:aws:s3:::a", size_of), 14u);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(memo.Recall("", size_of), 0u);
  EXPECT_EQ(memo.Recall("", size_of), 0u);
  EXPECT_EQ(calls, 4);
  // Long texts are not kept.
  std::string long_text(TextMemo<size_t, 1>::kMaxText + 1, 'x');
  EXPECT_EQ(memo.Recall(long_text, size_of), long_text.size());
  EXPECT_EQ(memo.Recall(long_text, size_of), long_text.size());
  EXPECT_EQ(calls, 6);
}

TEST(TextTest, TextMemoTellsTextsWithTheSameHashApart) {
  // Two texts whose 32-bit hashes collide (found by counting up; the
  // birthday bound makes that a few ten thousand tries).
  std::unordered_map<uint32_t, std::string> seen;
  std::string a, b;
  for (int i = 0; a.empty(); ++i) {
    std::string t = "arn:aws:s3:::bucket-" + std::to_string(i);
    auto [it, added] = seen.emplace(RequestContext::KeyHash(t), t);
    if (!added) a = it->second, b = t;
  }
  ASSERT_NE(a, b);
  ASSERT_EQ(RequestContext::KeyHash(a), RequestContext::KeyHash(b));
  TextMemo<std::string, 256> memo;
  auto same = [](std::string_view t) { return std::string(t); };
  EXPECT_EQ(memo.Recall(a, same), a);
  EXPECT_EQ(memo.Recall(b, same), b);
  EXPECT_EQ(memo.Recall(a, same), a);
}

TEST(TextTest, RecentReadingsAreTheParsersOwn) {
  for (std::string_view s : {"10.0.0.0/8", "10.0.0.0/99", "2001:db8::/32", "1.2.3.4", "x", ""}) {
    for (int round = 0; round < 2; ++round) {
      std::optional<IpRange> a = ParseIpRange(s), b = RecentIpRange(s);
      ASSERT_EQ(a.has_value(), b.has_value()) << s;
      if (a) {
        EXPECT_EQ(a->v6, b->v6);
        EXPECT_EQ(a->bytes, b->bytes);
        EXPECT_EQ(a->prefix, b->prefix);
      }
    }
  }
  for (std::string_view s : {"12", "-1.5", "1e3", "abc", "2024-05-01", "2024-05-01T12:00:00Z", "1714564800"}) {
    for (int round = 0; round < 2; ++round) {
      EXPECT_EQ(ParseNumber(s), RecentNumber(s)) << s;
      EXPECT_EQ(ParseDateMillis(s), RecentDateMillis(s)) << s;
    }
  }
}

TEST(TextTest, EveryOperatorNameIsFoundAmongThoseOfItsLength) {
  // Several names share a length ("ArnEquals"/"IpAddress", "DateEquals"/
  // "StringLike"): each must find its own operator, with either prefix and
  // the suffix.
  const std::vector<std::pair<std::string, ConditionOp>> ops = {
      {"StringEquals", ConditionOp::kStringEquals}, {"StringNotEquals", ConditionOp::kStringNotEquals},
      {"StringEqualsIgnoreCase", ConditionOp::kStringEqualsIgnoreCase},
      {"StringNotEqualsIgnoreCase", ConditionOp::kStringNotEqualsIgnoreCase},
      {"StringLike", ConditionOp::kStringLike}, {"StringNotLike", ConditionOp::kStringNotLike},
      {"NumericEquals", ConditionOp::kNumericEquals}, {"NumericNotEquals", ConditionOp::kNumericNotEquals},
      {"NumericLessThan", ConditionOp::kNumericLessThan},
      {"NumericLessThanEquals", ConditionOp::kNumericLessThanEquals},
      {"NumericGreaterThan", ConditionOp::kNumericGreaterThan},
      {"NumericGreaterThanEquals", ConditionOp::kNumericGreaterThanEquals},
      {"DateEquals", ConditionOp::kDateEquals}, {"DateNotEquals", ConditionOp::kDateNotEquals},
      {"DateLessThan", ConditionOp::kDateLessThan}, {"DateLessThanEquals", ConditionOp::kDateLessThanEquals},
      {"DateGreaterThan", ConditionOp::kDateGreaterThan},
      {"DateGreaterThanEquals", ConditionOp::kDateGreaterThanEquals}, {"Bool", ConditionOp::kBool},
      {"BinaryEquals", ConditionOp::kBinaryEquals}, {"IpAddress", ConditionOp::kIpAddress},
      {"NotIpAddress", ConditionOp::kNotIpAddress}, {"ArnEquals", ConditionOp::kArnEquals},
      {"ArnLike", ConditionOp::kArnLike}, {"ArnNotEquals", ConditionOp::kArnNotEquals},
      {"ArnNotLike", ConditionOp::kArnNotLike}, {"Null", ConditionOp::kNull}};
  for (const auto& [name, op] : ops) {
    for (std::string prefix : {"", "ForAnyValue:", "ForAllValues:"}) {
      for (std::string suffix : {"", "IfExists"}) {
        ConditionClause c;
        bool known = ParseOperatorName(prefix + name + suffix, c);
        EXPECT_EQ(known, !(op == ConditionOp::kNull && !suffix.empty())) << prefix + name + suffix;
        if (!known) continue;
        EXPECT_EQ(c.op, op) << prefix + name + suffix;
        EXPECT_EQ(c.if_exists, !suffix.empty());
        EXPECT_EQ(c.qualifier, prefix.empty()           ? SetQualifier::kNone
                               : prefix == "ForAnyValue:" ? SetQualifier::kForAnyValue
                                                          : SetQualifier::kForAllValues);
      }
    }
    ConditionClause c;
    EXPECT_FALSE(ParseOperatorName(AsciiLowerCopy(name), c)) << name;
    EXPECT_FALSE(ParseOperatorName(name + "X", c)) << name;
  }
  ConditionClause c;
  EXPECT_FALSE(ParseOperatorName("", c));
  EXPECT_FALSE(ParseOperatorName(std::string(40, 'A'), c));
  EXPECT_FALSE(ParseOperatorName("StringEqualsIgnoreCaseAndMoreThan32Bytes", c));
}

}  // namespace
}  // namespace iam::policy
