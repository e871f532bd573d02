// `iamd eval` keeps the last policies of each thread by their text (see
// eval_case_fast.cc). These cases repeat one policy text with other actions,
// other kinds and other contexts: every answer must be the one a cold
// evaluation gives.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "policy/compiled.h"
#include "policy/eval_case.h"
#include "policy/fast_json.h"
#include "policy/fast_parse.h"

namespace iam::policy {
namespace {

constexpr const char* kPolicy =
    R"({"Version":"2012-10-17","Statement":[)"
    R"({"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/${aws:username}/*"},)"
    R"({"Sid":"NoPut","Effect":"Deny","Action":"s3:PutObject","Resource":"*"},)"
    R"({"Sid":"List","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos",)"
    R"("Condition":{"StringLike":{"s3:prefix":"${aws:username}/*"}}}]})";

std::string Case(const std::string& id, const std::string& action, const std::string& resource,
                 const std::string& context, const std::string& policies_field) {
  return R"({"id":")" + id + R"(","principal":"arn:aws:iam::111122223333:user/alice","action":")" + action +
         R"(","resource":")" + resource + R"(","resource_account":"111122223333","context":)" + context + "," +
         policies_field + "}";
}

// `text` as a JSON string.
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string Identity(const std::string& policy) { return R"("identity_policies":[)" + policy + "]"; }

// One policy text, several actions in a row: compiled for one action first,
// then whole, then served from the thread's recent policies.
void ExpectRepeatedPolicyAnswers() {
  const std::string alice = R"({"aws:username":"alice","s3:prefix":"alice/2024"})";
  const std::string bob = R"({"aws:username":"bob","s3:prefix":"alice/2024"})";
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    EXPECT_EQ(EvaluateCaseLine(Case("get", "s3:GetObject", "arn:aws:s3:::photos/alice/cat.jpg", alice, Identity(kPolicy))),
              R"({"id":"get","decision":"Allow","statements":[{"kind":"identity","policy":0,"statement":0,"effect":"Allow","sid":"Read"}]})");
    EXPECT_EQ(EvaluateCaseLine(Case("put", "s3:PutObject", "arn:aws:s3:::photos/alice/cat.jpg", alice, Identity(kPolicy))),
              R"({"id":"put","decision":"ExplicitDeny","statements":[{"kind":"identity","policy":0,"statement":1,"effect":"Deny","sid":"NoPut"}]})");
    EXPECT_EQ(EvaluateCaseLine(Case("list", "s3:ListBucket", "arn:aws:s3:::photos", alice, Identity(kPolicy))),
              R"({"id":"list","decision":"Allow","statements":[{"kind":"identity","policy":0,"statement":2,"effect":"Allow","sid":"List"}]})");
    // Same policy, other context: variables resolve per case.
    EXPECT_EQ(EvaluateCaseLine(Case("bob", "s3:GetObject", "arn:aws:s3:::photos/alice/cat.jpg", bob, Identity(kPolicy))),
              R"({"id":"bob","decision":"ImplicitDeny"})");
    EXPECT_EQ(EvaluateCaseLine(Case("bob-list", "s3:ListBucket", "arn:aws:s3:::photos", bob, Identity(kPolicy))),
              R"({"id":"bob-list","decision":"ImplicitDeny"})");
    // Same text as a JSON string holding the document.
    EXPECT_EQ(EvaluateCaseLine(Case("quoted", "s3:PutObject", "arn:aws:s3:::photos/alice/cat.jpg", alice,
                                    Identity(Quoted(kPolicy)))),
              R"({"id":"quoted","decision":"ExplicitDeny","statements":[{"kind":"identity","policy":0,"statement":1,"effect":"Deny","sid":"NoPut"}]})");
    // Same text as a permissions boundary: the boundary alone grants nothing.
    EXPECT_EQ(EvaluateCaseLine(Case("boundary", "s3:GetObject", "arn:aws:s3:::photos/alice/cat.jpg", alice,
                                    std::string(R"("identity_policies":[],"permission_boundary":)") + kPolicy)),
              R"({"id":"boundary","decision":"ImplicitDeny"})");
    // Same text as a resource policy: refused there (it names no Principal),
    // with AWS's message, however often the identity kind was seen.
    EXPECT_EQ(EvaluateCaseLine(Case("resource", "s3:GetObject", "arn:aws:s3:::photos/alice/cat.jpg", alice,
                                    std::string(R"("identity_policies":[],"resource_policy":)") + kPolicy)),
              R"x({"id":"resource","decision":null,"error":"resource_policy: Missing required field Principal (Statement[0])"})x");
  }
}

TEST(EvalCaseTest, RepeatedPolicyTextsAnswerAsFreshOnes) { ExpectRepeatedPolicyAnswers(); }

TEST(EvalCaseTest, RepeatedPolicyTextsAnswerAsFreshOnesOnAnotherThread) {
  std::thread t(ExpectRepeatedPolicyAnswers);
  t.join();
}

// ${*}, ${?} and ${$} are the characters themselves: StringEquals compares
// the policy's text with them in place (the template's literal text).
TEST(EvalCaseTest, EscapedCharactersCompareLiterally) {
  auto decision = [](const std::string& tag, const std::string& value) {
    std::string policy = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",)"
                         R"("Condition":{"StringEquals":{"aws:PrincipalTag/team":")" + value + R"("}}}})";
    std::string answer = EvaluateCaseLine(Case("e", "s3:GetObject", "arn:aws:s3:::b/k",
                                               R"({"aws:PrincipalTag/team":")" + tag + R"("})", Identity(policy)));
    return answer.find("\"Allow\"") != std::string::npos;
  };
  EXPECT_TRUE(decision("a*b", "a${*}b"));
  EXPECT_FALSE(decision("axb", "a${*}b"));
  EXPECT_TRUE(decision("a?b", "a${?}b"));
  EXPECT_FALSE(decision("axb", "a${?}b"));
  EXPECT_TRUE(decision("a$b", "a${$}b"));
  EXPECT_FALSE(decision("a*b", "a${$}b"));
  EXPECT_TRUE(decision("x*y?z$", "x${*}y${?}z${$}"));
}

// Answers longer than the writer's buffer (long ids, many statements) and
// ids and Sids that need escapes read as the reference path writes them.
TEST(EvalCaseTest, LongAndEscapedAnswersAreTheReferencePathsOwn) {
  std::string statements;
  for (int i = 0; i < 40; ++i) {
    if (i > 0) statements += ',';
    statements += R"({"Sid":"S)" + std::to_string(i) + R"(","Effect":"Allow","Action":"s3:GetObject","Resource":"*"})";
  }
  const std::string many = Identity(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}");
  const std::string lines[] = {
      Case(std::string(2000, 'x'), "s3:GetObject", "*", "{}", Identity(kPolicy)),
      Case(std::string(470, 'y'), "s3:PutObject", "*", "{}", Identity(kPolicy)),
      Case("many", "s3:GetObject", "*", "{}", many),
      Case(R"(quote\" back\\ tab\t nl\n ctl\u0001 \u00e9)", "s3:PutObject", "*", "{}", Identity(kPolicy)),
  };
  for (const std::string& line : lines) {
    std::string answer = EvaluateCaseLine(line);
    EXPECT_NE(answer.find("\"decision\":\""), std::string::npos) << answer.substr(0, 200);
    EXPECT_EQ(answer, TEST_ReferenceAnswer(line));
  }
  EXPECT_GT(EvaluateCaseLine(lines[2]).size(), 2000u);
}

// Duplicate keys are refused wherever they stand, with the reference
// path's words: among the first 64 members (checked as keys are read), past
// them (checked when the object closes), or spelt with an escape.
TEST(EvalCaseTest, DuplicateKeysAreRefusedAsTheReferencePathRefusesThem) {
  auto context = [](int keys, int duplicate_of) {
    std::string c = "{";
    for (int i = 0; i < keys; ++i) c += R"("k:)" + std::to_string(i) + R"(":"v",)";
    return c + R"("k:)" + std::to_string(duplicate_of) + R"(":"w"})";
  };
  const std::string policy = Identity(kPolicy);
  const std::string duplicates[] = {
      Case("first-64", "s3:GetObject", "*", context(63, 0), policy),
      Case("at-65", "s3:GetObject", "*", context(64, 10), policy),
      Case("past-64", "s3:GetObject", "*", context(70, 68), policy),
      Case("escaped", "s3:GetObject", "*", "{}",
           Identity(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","\u0045ffect":"Allow","Action":"*","Resource":"*"}})")),
  };
  for (const std::string& line : duplicates) {
    std::string answer = EvaluateCaseLine(line);
    EXPECT_NE(answer.find("duplicate key"), std::string::npos) << answer;
    EXPECT_EQ(answer, TEST_ReferenceAnswer(line));
  }
  // Keys alike in their first and last 8 bytes are still different keys.
  const std::string alike = Case("alike", "s3:GetObject", "arn:aws:s3:::photos/alice/cat.jpg",
                                 R"({"aws:username":"alice","abcdefgh1-ijklmnop":"x","abcdefgh2-ijklmnop":"y"})", policy);
  EXPECT_EQ(EvaluateCaseLine(alike),
            R"({"id":"alike","decision":"Allow","statements":[{"kind":"identity","policy":0,"statement":0,"effect":"Allow","sid":"Read"}]})");
  EXPECT_EQ(EvaluateCaseLine(alike), TEST_ReferenceAnswer(alike));
}

// Pooled compiles reserve their texts by the fast path's text_bound: it
// must cover every text, including those the JSON spells longer or shorter
// than kept (escapes, numbers nlohmann renders, lower-cased services).
TEST(EvalCaseTest, TextBoundCoversEveryKeptText) {
  const char* policies[] = {
      kPolicy,
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get\u004fbject",)"
      R"("Resource":"arn:aws:s3:::b\u0041/\u00e9*","Condition":{"NumericLessThan":{"s3:max-keys":[1e2,1,-0.5E1]},)"
      R"("Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:Pr\u0069ncipalTag/team":"\u0062lue"}}}})",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"EC2.AMAZONAWS.COM",)"
      R"("AWS":["111122223333","arn:aws:iam::111122223333:root"]},"Action":["sts:AssumeRole"]}]})",
      R"({ "Version" : "2012-10-17" , "Statement" : [ { "Effect" : "Deny" , "Action" : "*" ,)"
      R"( "Resource" : "*" , "Condition" : { "NumericEquals" : { "a:b" : 100000000000000000000 } } } ] })",
  };
  // Numbers kept longer than written, filling most of the text.
  std::string numbers = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",)"
                        R"("Condition":{"NumericEquals":{"s3:max-keys":[1E2)";
  for (int i = 0; i < 300; ++i) numbers += ",1E2";
  numbers += "]}}}}";
  std::vector<std::string> texts(std::begin(policies), std::end(policies));
  texts.push_back(numbers);
  for (const std::string& text : texts) {
    JsonDoc doc;
    ASSERT_TRUE(doc.Parse(text, 64, 1 << 20)) << text;
    PolicyType type = text.find("Principal") == std::string_view::npos ? PolicyType::kIdentity
                                                                                       : PolicyType::kTrust;
    const Document* d = BuildDocument(doc, doc.root(), type);
    ASSERT_NE(d, nullptr) << text;
    DocumentSizes exact = SizesOf(*d, false), bounded = SizesOf(*d, true);
    EXPECT_GT(exact.text_bytes, 0u);
    EXPECT_GE(bounded.text_bytes, exact.text_bytes) << text;
    EXPECT_GE(bounded.action_bytes, exact.action_bytes) << text;
    EXPECT_EQ(bounded.values, exact.values);
    EXPECT_EQ(bounded.names, exact.names);
  }
}

}  // namespace
}  // namespace iam::policy
