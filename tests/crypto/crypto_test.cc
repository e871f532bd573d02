#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "common/status_matchers.h"
#include "crypto/aead.h"
#include "crypto/base64.h"
#include "crypto/hash.h"
#include "crypto/key_ring.h"
#include "crypto/password.h"
#include "crypto/random.h"

namespace iam::crypto {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

TEST(CryptoRandom, BytesDifferAndHaveTheRightSize) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string b = RandomBytes(16);
    ASSERT_EQ(b.size(), 16u);
    seen.insert(b);
  }
  EXPECT_EQ(seen.size(), 100u);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(RandomUniform(7), 7u);
}

TEST(CryptoAead, RoundTripsAndBindsKeyAndAad) {
  std::string key = GenerateAeadKey();
  auto box = Seal(key, "wJalrXUtnFEMI/K7MDENG", "AKIA1");
  ASSERT_THAT(box, IsOk());
  EXPECT_EQ(box->size(), kAeadNonceSize + 21 + kAeadTagSize);
  EXPECT_EQ(box->find("wJalrXUtnFEMI"), std::string::npos);
  auto plain = Open(key, *box, "AKIA1");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(*plain, "wJalrXUtnFEMI/K7MDENG");

  EXPECT_THAT(Open(key, *box, "AKIA2"), StatusIs(StatusCode::kAccessDenied));
  EXPECT_THAT(Open(GenerateAeadKey(), *box, "AKIA1"), StatusIs(StatusCode::kAccessDenied));
  std::string tampered = *box;
  tampered[kAeadNonceSize + 3] ^= 1;
  EXPECT_THAT(Open(key, tampered, "AKIA1"), StatusIs(StatusCode::kAccessDenied));
  EXPECT_THAT(Open(key, "short", ""), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(Seal("short key", "x", ""), StatusIs(StatusCode::kInvalidInput));
  // Two seals of one message differ (random nonce).
  EXPECT_NE(*Seal(key, "same", ""), *Seal(key, "same", ""));
}

TEST(CryptoKeyRing, RotationKeepsOldKeysForOpening) {
  KeyRing ring;
  EXPECT_THAT(ring.Seal("x", ""), StatusIs(StatusCode::kInternal));
  ASSERT_THAT(ring.Add(1, GenerateAeadKey()), IsOk());
  EXPECT_EQ(ring.current_id(), 1u);
  auto old_box = ring.Seal("old secret", "a");
  ASSERT_THAT(old_box, IsOk());
  EXPECT_THAT(KeyRing::KeyIdOf(*old_box), IsOk());
  EXPECT_EQ(*KeyRing::KeyIdOf(*old_box), 1u);

  ASSERT_THAT(ring.Add(2, GenerateAeadKey()), IsOk());
  EXPECT_EQ(ring.current_id(), 1u);  // Adding does not rotate.
  ASSERT_THAT(ring.SetCurrent(2), IsOk());
  auto new_box = ring.Seal("new secret", "a");
  ASSERT_THAT(new_box, IsOk());
  EXPECT_EQ(*KeyRing::KeyIdOf(*new_box), 2u);
  EXPECT_EQ(*ring.Open(*old_box, "a"), "old secret");
  EXPECT_EQ(*ring.Open(*new_box, "a"), "new secret");

  EXPECT_THAT(ring.Add(2, GenerateAeadKey()), StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(ring.Add(3, "short"), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(ring.SetCurrent(9), StatusIs(StatusCode::kNoSuchEntity));

  KeyRing other;
  ASSERT_THAT(other.Add(2, GenerateAeadKey()), IsOk());
  EXPECT_THAT(other.Open(*old_box, "a"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(other.Open(*new_box, "a"), StatusIs(StatusCode::kAccessDenied));
  EXPECT_THAT(ring.Open("\x02garbage", "a"), StatusIs(StatusCode::kInvalidInput));
}

TEST(CryptoHash, KnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // The SigV4 signing-key derivation from AWS's documentation example.
  std::string k = HmacSha256("AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215");
  k = HmacSha256(k, "us-east-1");
  k = HmacSha256(k, "iam");
  k = HmacSha256(k, "aws4_request");
  EXPECT_EQ(HexEncode(k), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(CryptoHash, LongKeysAndThreads) {
  // RFC 4231 test case 6: a key longer than a block is hashed first.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // Each thread reuses its own digest context: answers must not mix.
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&wrong] {
      for (int i = 0; i < 500; ++i) {
        if (HexEncode(Sha256("abc")) != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" ||
            HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")) !=
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(CryptoHash, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(CryptoPassword, HashesVerifyAndSalt) {
  auto h1 = HashPassword("correct horse", PasswordCost::Minimal());
  ASSERT_THAT(h1, IsOk());
  EXPECT_EQ(h1->rfind("$argon2id$", 0), 0u) << *h1;
  EXPECT_TRUE(VerifyPassword(*h1, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*h1, "correct horsE"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse"));
  auto h2 = HashPassword("correct horse", PasswordCost::Minimal());
  ASSERT_THAT(h2, IsOk());
  EXPECT_NE(*h1, *h2);  // Random salt.
  EXPECT_THAT(HashPassword("x", PasswordCost{0, 1}), StatusIs(StatusCode::kInvalidInput));
}

}  // namespace
}  // namespace iam::crypto

namespace iam::crypto {
namespace {

TEST(CryptoBase64, Rfc4648VectorsStrictLooseAndUrlSafe) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode("Zm9vYg"), std::nullopt);  // strict: padding required
  EXPECT_EQ(Base64Decode("Zm9v\nYmFy"), std::nullopt);
  EXPECT_EQ(Base64DecodeLoose("Zm9vYg"), "foob");
  EXPECT_EQ(Base64DecodeLoose(" Zm9v\r\nYmFy\n"), "foobar");
  EXPECT_EQ(Base64DecodeLoose("Zm9v*mFy"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff", 2));
  EXPECT_EQ(Base64UrlDecode("+/8"), std::nullopt);
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(Base64UrlEncode("ListUsers:bob"), "TGlzdFVzZXJzOmJvYg");
  EXPECT_EQ(Base64UrlDecode(Base64UrlEncode("ListUsers:bob")), "ListUsers:bob");
  EXPECT_EQ(Base64Decode("+/8="), std::string("\xfb\xff", 2));
}

}  // namespace
}  // namespace iam::crypto
