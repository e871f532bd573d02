// AppendEscaped: whatever bytes a request carried, what it writes is XML 1.0
// character data: valid UTF-8 (each invalid byte becomes U+FFFD), none of the
// characters XML forbids (U+FFFD instead), markup escaped, and '\r' kept as
// &#xD; so that a parser reads it back.
#include "api/query/xml_writer.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "api/model/utf8.h"

namespace iam::api {
namespace {

constexpr char kFffd[] = "\xEF\xBF\xBD";

std::string Escaped(std::string_view in) {
  std::string out;
  AppendEscaped(in, &out);
  return out;
}

TEST(XmlEscapeTest, Table) {
  using namespace std::string_literals;
  const std::string r = kFffd;
  struct Case {
    std::string in, out;
  } cases[] = {
      {"plain-ASCII_name@x.y", "plain-ASCII_name@x.y"},
      {"<a & \"b\">", "&lt;a &amp; &quot;b&quot;&gt;"},
      {"'single' ]]>", "'single' ]]&gt;"},
      {"tab\tnewline\n", "tab\tnewline\n"},
      {"cr\r", "cr&#xD;"},
      {"nul\0!"s, "nul" + r + "!"},
      {"\x01\x08\x0B\x0C\x1B\x1F", r + r + r + r + r + r},
      {"del\x7F", "del\x7F"},                                      // allowed in XML 1.0
      {"\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80", "\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80"},  // valid UTF-8 kept
      {"\xFF\xFE", r + r},                                         // not UTF-8 at all
      {"ab\xC3", "ab" + r},                                        // truncated sequence
      {"\xC0\xAF", r + r},                                         // overlong '/'
      {"\xED\xA0\x80", r + r + r},                                 // an encoded surrogate
      {"\xF4\x90\x80\x80", r + r + r + r},                         // past U+10FFFF
      {"\xEF\xBF\xBE\xEF\xBF\xBF", r + r},                         // U+FFFE, U+FFFF: not XML characters
      {"\xC2\x85", "\xC2\x85"},                                    // U+0085 is an XML 1.0 character
      {"<\xFF&", "&lt;" + r + "&amp;"},
  };
  for (const Case& c : cases) EXPECT_EQ(Escaped(c.in), c.out) << "input: " << ::testing::PrintToString(c.in);
}

// The writer's elements carry escaped text too (an error's <Message> echoes
// request values).
TEST(XmlEscapeTest, LeafTextIsEscaped) {
  XmlWriter w;
  w.Open("Error");
  w.Leaf("Message", "Value '\xFF<' at 'userName'");
  w.Close("Error");
  EXPECT_EQ(w.Take(), std::string("<Error>\n  <Message>Value '") + kFffd + "&lt;' at 'userName'</Message>\n</Error>");
}

bool XmlCharacter(char32_t c) {
  return c == 0x9 || c == 0xA || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// Random bytes, biased towards UTF-8 lead and continuation bytes and
// control characters: the output always decodes cleanly to XML characters,
// with no raw markup or carriage return left.
TEST(XmlEscapeTest, AnyBytesBecomeXmlText) {
  std::mt19937 rng(20261128);
  const std::string alphabet = std::string("\0\x01\x1F\r\n\t<>&\"'a\x7F", 14) +
                               "\x80\xBF\xC2\xC3\xDF\xE0\xED\xEF\xF0\xF4\xF5\xFF";
  for (int n = 0; n < 20000; ++n) {
    std::string in(rng() % 12, '\0');
    for (char& ch : in) ch = alphabet[rng() % alphabet.size()];
    std::string out = Escaped(in);
    ASSERT_EQ(model::SanitizeUtf8(out), out) << ::testing::PrintToString(in);
    for (char32_t c : model::DecodeUtf8(out)) {
      ASSERT_TRUE(XmlCharacter(c) && c != '\r' && c != '<' && c != '>' && c != '"')
          << "U+" << std::hex << static_cast<uint32_t>(c) << " from " << ::testing::PrintToString(in);
    }
  }
}

}  // namespace
}  // namespace iam::api
