#include "common/byte_scan.h"

#include <string>

#include <gtest/gtest.h>

namespace iam {
namespace {

// The scalar definition the vector loop must agree with.
size_t Slow(std::string_view text, std::string_view also) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7F || also.find(text[i]) != std::string_view::npos) return i;
  }
  return text.size();
}

TEST(FindSpecialByte, PlainTextHasNone) {
  std::string plain(100, 'a');
  EXPECT_EQ(FindSpecialByte(plain, "\"\\"), plain.size());
  EXPECT_EQ(FindSpecialByte("", "\"\\"), 0u);
}

TEST(FindSpecialByte, FindsEachKindAtEveryPosition) {
  // Every position within and across the 16-byte blocks, and each kind of
  // special byte: listed characters, controls, DEL, non-ASCII.
  for (char special : {'"', '\\', '&', '\n', '\x1f', '\x7f', '\x80', '\xff', '\0'}) {
    for (size_t len : {1u, 15u, 16u, 17u, 31u, 33u, 70u}) {
      for (size_t at = 0; at < len; ++at) {
        std::string text(len, 'x');
        text[at] = special;
        std::string_view also = special == '&' ? std::string_view("&<>\"") : std::string_view("\"\\");
        EXPECT_EQ(FindSpecialByte(text, also), at) << int(static_cast<unsigned char>(special)) << " " << len;
        EXPECT_EQ(FindSpecialByte(text, also), Slow(text, also));
      }
    }
  }
}

TEST(FindSpecialByte, UnlistedPunctuationIsPlain) {
  std::string_view markup = "<a href='x'>&amp;</a> ~ { } |";
  EXPECT_EQ(FindSpecialByte(markup, "\"\\"), markup.size());
  EXPECT_EQ(FindSpecialByte("a<b", "&<>\""), 1u);
}

}  // namespace
}  // namespace iam
