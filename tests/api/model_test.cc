// The generated model tables say what botocore's service-2.json files say.
#include "api/model/model.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace iam::api::model {
namespace {

std::vector<std::string> MemberNames(const Service& s, std::string_view shape) {
  std::vector<std::string> out;
  const Shape* sh = FindShape(s, shape);
  if (sh == nullptr) return out;
  for (const Member& m : Members(s, *sh)) out.push_back(std::string(m.name) + (m.required ? "!" : ""));
  return out;
}

TEST(ModelTest, Services) {
  EXPECT_EQ(Iam().name, "iam");
  EXPECT_EQ(Iam().api_version, "2010-05-08");
  EXPECT_EQ(Iam().xml_namespace, "https://iam.amazonaws.com/doc/2010-05-08/");
  EXPECT_EQ(Sts().name, "sts");
  EXPECT_EQ(Sts().api_version, "2011-06-15");
  EXPECT_EQ(Sts().xml_namespace, "https://sts.amazonaws.com/doc/2011-06-15/");
  EXPECT_GT(Iam().operations.size(), 150u);
  EXPECT_GE(Sts().operations.size(), 8u);
}

TEST(ModelTest, OperationsAreSortedAndFound) {
  for (const Service* s : {&Iam(), &Sts()}) {
    for (std::size_t i = 1; i < s->operations.size(); ++i) {
      EXPECT_LT(s->operations[i - 1].name, s->operations[i].name);
    }
    for (const Operation& op : s->operations) EXPECT_EQ(FindOperation(*s, op.name), &op);
  }
  EXPECT_EQ(FindOperation(Iam(), "createUser"), nullptr);
  EXPECT_EQ(FindOperation(Iam(), "AssumeRole"), nullptr);
  EXPECT_NE(FindOperation(Sts(), "AssumeRole"), nullptr);
}

TEST(ModelTest, CreateUser) {
  const Operation* op = FindOperation(Iam(), "CreateUser");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(Iam().shapes[op->input].name, "CreateUserRequest");
  EXPECT_EQ(Iam().shapes[op->output].name, "CreateUserResponse");
  EXPECT_EQ(op->result_wrapper, "CreateUserResult");
  EXPECT_EQ(MemberNames(Iam(), "CreateUserRequest"),
            (std::vector<std::string>{"Path", "UserName!", "PermissionsBoundary", "Tags"}));
  std::vector<std::string> errors;
  for (int e : Errors(Iam(), *op)) errors.push_back(std::string(Iam().shapes[e].error_code));
  EXPECT_EQ(errors, (std::vector<std::string>{"LimitExceeded", "EntityAlreadyExists", "NoSuchEntity",
                                              "InvalidInput", "ConcurrentModification", "ServiceFailure"}));
  const Shape* name = FindShape(Iam(), "userNameType");
  ASSERT_NE(name, nullptr);
  EXPECT_TRUE(name->has_min && name->has_max);
  EXPECT_EQ(name->min, 1);
  EXPECT_EQ(name->max, 64);
  EXPECT_EQ(Iam().patterns[name->pattern], "[\\w+=,.@-]+");
  const Member& path = Members(Iam(), *FindShape(Iam(), "CreateUserRequest"))[1];
  EXPECT_EQ(path.wire_name, "UserName");
  EXPECT_EQ(path.path_name, "userName");
}

TEST(ModelTest, ListsMapsEnumsErrors) {
  const Shape* tags = FindShape(Iam(), "tagListType");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->type, ShapeType::kList);
  EXPECT_EQ(tags->list_member_name, "member");
  EXPECT_FALSE(tags->flattened);
  EXPECT_EQ(Iam().shapes[tags->list_member].name, "Tag");
  const Shape* summary = FindShape(Iam(), "summaryMapType");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->type, ShapeType::kMap);
  EXPECT_EQ(summary->map_key_name, "key");
  EXPECT_EQ(Iam().shapes[summary->map_value].type, ShapeType::kInteger);
  const Shape* status = FindShape(Iam(), "statusType");
  ASSERT_NE(status, nullptr);
  std::vector<std::string> values(EnumValues(Iam(), *status).begin(), EnumValues(Iam(), *status).end());
  EXPECT_EQ(values, (std::vector<std::string>{"Active", "Inactive"}));
  const Shape* nse = FindErrorByCode(Iam(), "NoSuchEntity");
  ASSERT_NE(nse, nullptr);
  EXPECT_EQ(nse->http_status, 404);
  EXPECT_TRUE(nse->sender_fault);
  EXPECT_EQ(FindErrorByCode(Iam(), "EntityAlreadyExists")->http_status, 409);
  EXPECT_EQ(FindErrorByCode(Iam(), "ServiceFailure")->http_status, 500);
  EXPECT_FALSE(FindErrorByCode(Iam(), "ServiceFailure")->sender_fault);
  EXPECT_EQ(FindErrorByCode(Sts(), "PackedPolicyTooLarge")->http_status, 400);
  EXPECT_TRUE(FindShape(Iam(), "passwordType")->sensitive);
}

TEST(ModelTest, OperationsWithoutOutput) {
  const Operation* op = FindOperation(Iam(), "DeleteUser");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->output, -1);
  EXPECT_TRUE(op->result_wrapper.empty());
  for (const Service* s : {&Iam(), &Sts()}) {
    for (const Operation& o : s->operations) {
      if (o.output >= 0) {
        EXPECT_FALSE(o.result_wrapper.empty()) << o.name;
      }
    }
  }
}

}  // namespace
}  // namespace iam::api::model
