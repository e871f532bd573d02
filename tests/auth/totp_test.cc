// TOTP (RFC 6238) and HOTP (RFC 4226) against the RFCs' published vectors,
// the drift window, and Base32.
#include "auth/totp.h"

#include <gtest/gtest.h>

#include <string>

namespace iam::auth {
namespace {

const std::string kRfcSeed = "12345678901234567890";  // the RFCs' SHA-1 key

TEST(HotpTest, Rfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(HotpCode(kRfcSeed, i), expected[i]) << i;
}

TEST(TotpTest, Rfc6238AppendixBSha1) {
  struct Case {
    int64_t time;
    const char* code;
  };
  const Case cases[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const Case& c : cases) {
    EXPECT_EQ(TotpCode(kRfcSeed, TotpStep(c.time), 8), c.code) << c.time;
    // Six digits are the last six of the eight.
    EXPECT_EQ(TotpCode(kRfcSeed, TotpStep(c.time)), std::string(c.code).substr(2)) << c.time;
  }
}

TEST(TotpTest, StepIsFloorOfThirtySeconds) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29), 0);
  EXPECT_EQ(TotpStep(30), 1);
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(-1), -1);
}

TEST(TotpTest, MatchesWithinOneStepOfDriftOnly) {
  const int64_t now = 1111111111;  // step 37037037
  const int64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(kRfcSeed, TotpCode(kRfcSeed, step), now), step);
  EXPECT_EQ(MatchTotp(kRfcSeed, TotpCode(kRfcSeed, step - 1), now), step - 1);
  EXPECT_EQ(MatchTotp(kRfcSeed, TotpCode(kRfcSeed, step + 1), now), step + 1);
  EXPECT_EQ(MatchTotp(kRfcSeed, TotpCode(kRfcSeed, step - 2), now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSeed, TotpCode(kRfcSeed, step + 2), now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSeed, TotpCode(kRfcSeed, step - 5), now, 5), step - 5);
  EXPECT_EQ(MatchTotp(kRfcSeed, "", now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSeed, "12345", now), std::nullopt);
  EXPECT_EQ(MatchTotp("another seed of twenty", TotpCode(kRfcSeed, step), now), std::nullopt);
}

TEST(Base32Test, Rfc4648Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW6YTB1"), std::nullopt);
  EXPECT_EQ(Base32Decode(Base32Encode(kRfcSeed)), kRfcSeed);
}

}  // namespace
}  // namespace iam::auth
