// `iamd eval` keeps the last policies of each thread by their text (see
// eval_case_fast.cc). These cases repeat one policy text with other actions,
// other kinds and other contexts: every answer must be the one a cold
// evaluation gives.
#include <gtest/gtest.h>

#include <algorithm>
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

// Texts of one length that differ in one byte may share the fingerprint
// the thread notes policies by: each must still be answered by its own
// text, whichever byte differs and however they alternate.
TEST(EvalCaseTest, PolicyTextsDifferingInOneByteKeepTheirOwnAnswers) {
  const std::string bucket(48, 'a');
  auto policy = [](const std::string& name) {
    return R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::)" +
           name + R"(/*"}})";
  };
  const std::string allowed = R"({"id":"c","decision":"Allow","statements":[{"kind":"identity","policy":0,"statement":0,"effect":"Allow"}]})";
  const std::string denied = R"({"id":"c","decision":"ImplicitDeny"})";
  for (size_t at = 0; at < bucket.size(); ++at) {
    std::string other = bucket;
    other[at] = 'b';
    SCOPED_TRACE("byte " + std::to_string(at));
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(EvaluateCaseLine(Case("c", "s3:GetObject", "arn:aws:s3:::" + bucket + "/k", "{}", Identity(policy(bucket)))),
                allowed);
      EXPECT_EQ(EvaluateCaseLine(Case("c", "s3:GetObject", "arn:aws:s3:::" + bucket + "/k", "{}", Identity(policy(other)))),
                denied);
    }
  }
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
  std::vector<std::string> lines(std::begin(duplicates), std::end(duplicates));
  // The fast reader lets duplicates through to the fast path, which checks
  // each object it reads: every kind of object, in the case and in its
  // policies (as objects and as JSON strings).
  const std::string statement = R"("Effect":"Allow","Action":"s3:GetObject","Resource":"*")";
  auto with_statement = [](const std::string& body) {
    return R"({"Version":"2012-10-17","Statement":{)" + body + "}}";
  };
  const std::string bad_policies[] = {
      R"({"Version":"2012-10-17","Version":"2012-10-17","Statement":{)" + statement + "}}",
      R"({"Version":"2012-10-17","Statement":{)" + statement + R"(},"Statement":{)" + statement + "}}",
      R"({"Version":"2012-10-17","Id":"a","Id":"b","Statement":{)" + statement + "}}",
      with_statement(R"("Sid":"A","Sid":"B",)" + statement),
      with_statement(statement + R"(,"Condition":{"Bool":{"aws:SecureTransport":"true"}},"Condition":{})"),
      with_statement(statement + R"(,"Condition":{"Bool":{"aws:SecureTransport":"true"},"Bool":{"aws:ViaAWSService":"true"}})"),
      with_statement(statement + R"(,"Condition":{"Bool":{"aws:SecureTransport":"true","aws:SecureTransport":"false"}})"),
      with_statement(statement + R"(,"Condition":{"Foo":{},"Foo":{}})"),
  };
  for (const std::string& p : bad_policies) {
    lines.push_back(Case("policy", "s3:GetObject", "*", "{}", Identity(p)));
    lines.push_back(Case("quoted", "s3:GetObject", "*", "{}", Identity(Quoted(p))));
    EXPECT_FALSE(Policy::Parse(p, PolicyType::kIdentity).ok()) << p;
  }
  lines.push_back(Case("principal", "s3:GetObject", "*", "{}",
                       std::string(R"("identity_policies":[],"resource_policy":)") +
                           R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",)"
                           R"("Principal":{"AWS":"111122223333","AWS":"444455556666"}}})"));
  std::string field_twice = Case("field", "s3:GetObject", "*", "{}", policy);
  lines.push_back(field_twice.substr(0, field_twice.size() - 1) + R"(,"action":"s3:PutObject"})");
  lines.push_back(field_twice.substr(0, field_twice.size() - 1) + R"(,"note":1,"note":2})");
  lines.push_back(Case("context", "s3:GetObject", "*", R"({"aws:username":"alice","aws:username":"bob"})", policy));
  for (const std::string& line : lines) {
    std::string answer = EvaluateCaseLine(line);
    EXPECT_NE(answer.find("duplicate key"), std::string::npos) << line << "\n" << answer;
    EXPECT_EQ(answer, TEST_ReferenceAnswer(line));
  }
  // Keys alike in their first and last 8 bytes are still different keys.
  const std::string alike = Case("alike", "s3:GetObject", "arn:aws:s3:::photos/alice/cat.jpg",
                                 R"({"aws:username":"alice","abcdefgh1-ijklmnop":"x","abcdefgh2-ijklmnop":"y"})", policy);
  EXPECT_EQ(EvaluateCaseLine(alike),
            R"({"id":"alike","decision":"Allow","statements":[{"kind":"identity","policy":0,"statement":0,"effect":"Allow","sid":"Read"}]})");
  EXPECT_EQ(EvaluateCaseLine(alike), TEST_ReferenceAnswer(alike));
}

// A batch's answers are appended one after another: a case the fast path
// starts and then hands to the reference path (a duplicate key deep in a
// policy) must leave nothing of its own behind.
TEST(EvalCaseTest, AppendedAnswersKeepWhatCameBefore) {
  const std::string good = Case("good", "s3:GetObject", "arn:aws:s3:::photos/alice/cat.jpg",
                                R"({"aws:username":"alice"})", Identity(kPolicy));
  const std::string declined =
      Case("declined", "s3:GetObject", "*", "{}",
           Identity(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",)"
                    R"("Condition":{"StringEquals":{"aws:username":"a","aws:username":"b"}}}})"));
  std::string out = "earlier\n";
  AppendCaseAnswer(good, out);
  out += '\n';
  AppendCaseAnswer(declined, out);
  EXPECT_EQ(out, "earlier\n" + TEST_ReferenceAnswer(good) + "\n" + TEST_ReferenceAnswer(declined));
  EXPECT_NE(out.find("duplicate key"), std::string::npos) << out;
}

// A policy seen for the first time is compiled for its case's action alone:
// statements that apply match every action, the others are never tried. It
// must answer as the policy compiled whole: NotAction, lists where only a
// later pattern matches, and no pattern matching.
TEST(EvalCaseTest, PoliciesCompiledForOneActionAnswerAsWholeOnes) {
  const std::vector<std::string> statements = {
      R"({"Sid":"A","Effect":"Allow","NotAction":["iam:*","s3:Put*"],"Resource":"*"})",
      R"({"Sid":"B","Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"})",
      R"({"Sid":"C","Effect":"Allow","Action":["ec2:*","s3:get*","s3:GetObject"],"Resource":"*"})",
      R"({"Sid":"D","Effect":"Deny","Action":["ec2:Describe*","s3:Get?bject"],"Resource":"*"})",
      R"({"Sid":"E","Effect":"Allow","Action":"*","Resource":"*"})",
  };
  const std::vector<std::string> actions = {"s3:GetObject", "s3:PutObject", "iam:CreateUser",
                                            "ec2:DescribeInstances", "sts:GetCallerIdentity"};
  int n = 0;
  for (size_t i = 0; i < statements.size(); ++i) {
    for (size_t j = i; j < statements.size(); ++j) {
      for (const std::string& action : actions) {
        // A new Id each time: never a policy this thread has seen.
        std::string policy = R"({"Version":"2012-10-17","Id":"p)" + std::to_string(n++) + R"(","Statement":[)" +
                             statements[i] + "," + statements[j] + "]}";
        std::string line = Case("c", action, "arn:aws:s3:::b/k", "{}", Identity(policy));
        std::string for_one_action = EvaluateCaseLine(line);
        TEST_EvaluateThroughCompiledSet(true);
        std::string whole = EvaluateCaseLine(line);
        TEST_EvaluateThroughCompiledSet(false);
        EXPECT_EQ(for_one_action, whole) << line;
      }
    }
  }
}

// A compiled policy as text: every field Evaluate() reads.
std::string Describe(const Policy::Compiled& c) {
  std::string out = "variables=" + std::to_string(c.variables) + "\n";
  auto names = [&out](const char* what, Span<std::string_view> v) {
    out += what;
    for (std::string_view s : v) out += " [" + std::string(s) + "]";
  };
  for (size_t i = 0; i < c.statements.size(); ++i) {
    const CompiledStatement& st = c.statements[i];
    const StatementHead& h = c.heads[i];
    out += "statement deny=" + std::to_string(st.deny) + " sid=" + st.sid + " not_action=" + std::to_string(h.not_action);
    for (uint32_t k = h.action_begin; k < h.action_end; ++k) {
      const ActionMatcher& m = c.actions[k];
      out += " action(" + std::to_string(static_cast<int>(m.kind)) + "," + std::to_string(m.star) + "," +
             std::string(c.action_text.data() + m.offset, m.size) + ")";
    }
    out += " resource=" + std::to_string(st.has_resource) + std::to_string(st.not_resource);
    for (const ResourceMatcher& m : st.resources) {
      out += m.all ? " *" : " t";
      m.tmpl.AppendKey(out);
    }
    out += " principal=" + std::to_string(st.has_principal) + std::to_string(st.not_principal) +
           std::to_string(st.principal.wildcard);
    names(" accounts", st.principal.accounts);
    names(" arns", st.principal.arns);
    names(" services", st.principal.services);
    names(" others", st.principal.others);
    // The reference reader gives an object's members sorted, the fast one
    // in document order: conditions AND, so their order is no part of it.
    std::vector<std::string> conditions;
    for (const Condition& cond : st.conditions) {
      std::string& out = conditions.emplace_back();
      out += " condition(" + std::to_string(static_cast<int>(cond.op)) + "," +
             std::to_string(static_cast<int>(cond.qualifier)) + "," + std::to_string(cond.if_exists) + "," +
             std::to_string(cond.negated) + "," + std::string(cond.key_lower) + "," + std::to_string(cond.key_hash) + ")";
      for (const ConditionValue& v : cond.values) {
        out += " value(" + std::to_string(v.typed) + "," + std::to_string(v.number) + "," +
               std::to_string(v.date_millis) + "," + std::to_string(v.boolean) + ",";
        v.tmpl.AppendKey(out);
        out += ")";
      }
    }
    std::sort(conditions.begin(), conditions.end());
    for (const std::string& c : conditions) out += c;
    out += "\n";
  }
  out += "any_service";
  for (uint32_t i : c.any_service) out += " " + std::to_string(i);
  for (const auto& s : c.by_service) {
    out += "\nservice " + s.service;
    for (uint32_t i : s.statements) out += " " + std::to_string(i);
  }
  return out;
}

// The fast path compiles straight from the parsed JSON: it must give what
// Compile() gives for ParseDocument's Document, for every action or for
// one, and hold every text in the room it sized (numbers nlohmann renders
// longer than written, escapes, lower-cased services).
TEST(EvalCaseTest, FastCompileGivesWhatCompileGives) {
  std::vector<std::string> texts = {
      kPolicy,
      R"({"Version":"2012-10-17","Statement":{"Sid":"A1","Effect":"Allow","Action":"s3:Get\u004fbject",)"
      R"("Resource":"arn:aws:s3:::b\u0041/\u00e9*","Condition":{"NumericLessThan":{"s3:max-keys":[1e2,1,-0.5E1]},)"
      R"("Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:Pr\u0069ncipalTag/team":"\u0062lue"},"Foo":{}}}})",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["EC2.AMAZONAWS.COM","Lambda.amazonaws.com"],)"
      R"("AWS":["111122223333","arn:aws:iam::111122223333:root","*","arn:aws:iam::111122223333:role/R"],)"
      R"("Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"Action":["sts:AssumeRole","sts:Tag*"]}]})",
      R"({ "Version" : "2012-10-17" , "Statement" : [ { "Effect" : "Deny" , "NotAction" : ["s3:*", "ec2:*Tags", "iam:Get*Policy", "*"] ,)"
      R"( "NotResource" : ["*", "arn:aws:s3:::b/${aws:username}/*"] , "Condition" : { "NumericEquals" : { "a:b" : 100000000000000000000 } ,)"
      R"( "ForAnyValue:StringLikeIfExists" : { "aws:TagKeys" : ["a*", "${aws:username}"] } , "IpAddress" : { "aws:SourceIp" : ["10.0.0.0/8", "::1"] } ,)"
      R"( "DateLessThan" : { "aws:CurrentTime" : "2024-01-01T00:00:00Z" } } } ,)"
      R"( { "Sid" : "B2" , "Effect" : "Allow" , "Action" : "ec2:Describe?nstances" , "Resource" : "arn:aws:ec2:*:*:instance/*" } ] })",
      R"({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::${aws:username}"}})",
      // Empty blocks of unknown names before known ones, in two statements.
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*",)"
      R"("Condition":{"Foo":{},"StringEquals":{"aws:username":"a"}}},{"Effect":"Deny","Action":"s3:Get*","Resource":"*",)"
      R"("Condition":{"Bool":{"aws:SecureTransport":false},"Bar":{},"StringLikeIfExists":{"s3:prefix":"x*"}}}]})",
  };
  std::string numbers = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",)"
                        R"("Condition":{"NumericEquals":{"s3:max-keys":[1E2)";
  for (int i = 0; i < 300; ++i) numbers += ",1E2";
  numbers += "]}}}}";
  texts.push_back(numbers);
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    PolicyType type = text.find("Principal") == std::string_view::npos ? PolicyType::kIdentity : PolicyType::kTrust;
    Result<Document> reference = ParseDocument(text, type);
    ASSERT_TRUE(reference.ok()) << reference.status().message();
    JsonDoc doc;
    ASSERT_TRUE(doc.Parse(text, 64, 1 << 20));
    bool has_numbers = false;
    for (uint32_t i = 0; i < doc.node(doc.root()).end; ++i) has_numbers |= doc.node(i).type == JsonNode::Type::kNumber;
    for (std::string_view action : {"", "s3:getobject", "sts:assumerole", "ec2:describeinstances", "iam:putrolepolicy"}) {
      SCOPED_TRACE(std::string(action));
      std::shared_ptr<const Policy::Compiled> expected = Compile(*reference, type, action);
      for (bool pooled : {false, true}) {
        std::shared_ptr<const Policy::Compiled> fast = FastCompile(doc, doc.root(), type, action, pooled);
        ASSERT_NE(fast, nullptr);
        EXPECT_EQ(Describe(*fast), Describe(*expected));
        // Nothing outgrew its room: the views into the text would dangle.
        EXPECT_LE(fast->text.size(), fast->text.capacity());
        // Exact room, but for numbers: each is given what the longest takes.
        if (!pooled && !has_numbers) {
          EXPECT_EQ(fast->memory, expected->memory);
        }
      }
    }
  }
}

// Whatever ParseDocument refuses, the fast path refuses too.
TEST(EvalCaseTest, FastCompileRefusesWhatParseDocumentRefuses) {
  const std::string head = R"({"Version":"2012-10-17","Statement":)";
  std::vector<std::pair<std::string, PolicyType>> bad = {
      {head + R"([{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]})", PolicyType::kIdentity},
      {head + R"({"Sid":"a-b","Effect":"Allow","Action":"s3:*","Resource":"*"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*"}})", PolicyType::kResource},
      {head + R"({"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Principal":"*"}})", PolicyType::kTrust},
      {head + R"({"Effect":"Allow","Action":"sts:AssumeRole","NotPrincipal":{"AWS":"111122223333"}}})", PolicyType::kTrust},
      {head + R"({"Effect":"Allow","Action":"s3","Resource":"*"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":[],"Resource":"*"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:eu-west-1::b"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":"ten"}}}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"1.2.3.4/99"}}}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"ab":"c"}}}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":[]}}}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":null}}}})", PolicyType::kIdentity},
      {head + R"({"Effect":"allow","Action":"s3:*","Resource":"*"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"s3:*","NotAction":"s3:*","Resource":"*"}})", PolicyType::kIdentity},
      {head + R"({"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"}}})", PolicyType::kTrust},
      {head + R"({"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.*"}}})", PolicyType::kTrust},
      {head + R"({"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Other":"x"}}})", PolicyType::kTrust},
      {head + R"([]})", PolicyType::kIdentity},
      {R"({"Version":"2012-10-17","Id":1,"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})", PolicyType::kIdentity},
      {R"({"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})", PolicyType::kIdentity},
  };
  for (const auto& [text, type] : bad) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseDocument(text, type).ok());
    JsonDoc doc;
    ASSERT_TRUE(doc.Parse(text, 64, 1 << 20));
    EXPECT_EQ(FastCompile(doc, doc.root(), type, "", false), nullptr);
    EXPECT_EQ(FastCompile(doc, doc.root(), type, "s3:getobject", true), nullptr);
  }
}

}  // namespace
}  // namespace iam::policy
