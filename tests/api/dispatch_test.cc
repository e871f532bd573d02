// HandleQuery: one request through parsing, the handler and rendering.
#include "api/query/dispatch.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include <gtest/gtest.h>

namespace iam::api {
namespace {

using nlohmann::json;

QueryParams Params(std::string_view form) {
  ApiResult<QueryParams> p = ParseForm(form);
  EXPECT_TRUE(p.ok());
  return p.ok() ? *p : QueryParams();
}

TEST(DispatchTest, Success) {
  std::string seen;
  QueryReply r = HandleQuery(model::Iam(), Params("Action=GetUser&Version=2010-05-08&UserName=bob"), "rid",
                             [&](const ParsedRequest& req) -> Result<json> {
                               seen = std::string(req.operation->name) + " " + req.input.dump();
                               return json{{"User",
                                            {{"UserName", "bob"},
                                             {"Path", "/"},
                                             {"UserId", "AIDA"},
                                             {"Arn", "arn:aws:iam::123456789012:user/bob"},
                                             {"CreateDate", "2026-01-01T00:00:00Z"}}}};
                             });
  EXPECT_EQ(seen, "GetUser {\"UserName\":\"bob\"}");
  EXPECT_EQ(r.http_status, 200);
  EXPECT_TRUE(r.error_code.empty());
  EXPECT_NE(r.body.find("<GetUserResult>\n    <User>\n      <Path>/</Path>\n      <UserName>bob</UserName>"),
            std::string::npos)
      << r.body;
}

TEST(DispatchTest, Errors) {
  auto never = [](const ParsedRequest&) -> Result<json> {
    ADD_FAILURE() << "handler called";
    return json::object();
  };
  QueryReply r = HandleQuery(model::Iam(), Params("Action=Nope&Version=2010-05-08"), "rid", never);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.error_code, "InvalidAction");
  EXPECT_NE(r.body.find("<Message>Could not find operation Nope for version 2010-05-08</Message>"),
            std::string::npos);
  r = HandleQuery(model::Iam(), Params("Action=CreateUser&Version=2010-05-08"), "rid", never);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.error_code, "ValidationError");

  r = HandleQuery(model::Iam(), Params("Action=GetUser&Version=2010-05-08&UserName=bob"), "rid",
                  [](const ParsedRequest&) -> Result<json> {
                    return NoSuchEntity("The user with name bob cannot be found.");
                  });
  EXPECT_EQ(r.http_status, 404);
  EXPECT_EQ(r.error_code, "NoSuchEntity");
  EXPECT_NE(r.body.find("<Type>Sender</Type>\n    <Code>NoSuchEntity</Code>"), std::string::npos) << r.body;

  r = HandleQuery(model::Sts(), Params("Action=GetCallerIdentity&Version=2011-06-15"), "rid",
                  [](const ParsedRequest&) -> Result<json> { throw std::runtime_error("boom"); });
  EXPECT_EQ(r.http_status, 500);
  EXPECT_EQ(r.error_code, "InternalFailure");
  EXPECT_EQ(r.body.find("boom"), std::string::npos);
  EXPECT_EQ(r.internal_detail, "exception: boom");
  EXPECT_NE(r.body.find("<Type>Receiver</Type>"), std::string::npos);

  r = HandleQuery(model::Sts(), Params("Action=GetCallerIdentity&Version=2011-06-15"), "rid",
                  [](const ParsedRequest&) -> Result<json> { return json{{"Acount", "1"}}; });
  EXPECT_EQ(r.http_status, 500);
  EXPECT_NE(r.internal_detail.find("unknown member Acount"), std::string::npos) << r.internal_detail;
}

// Cost of the Query layer per request (decode + parse + validate + render),
// printed for the record; the bound only catches gross regressions.
TEST(DispatchTest, CostPerRequest) {
  const std::string body =
      "Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fengineering%2F&Tags.member.1.Key=team"
      "&Tags.member.1.Value=devs&Tags.member.2.Key=cost+center&Tags.member.2.Value=12";
  const json user = {{"User",
                      {{"UserName", "alice"},
                       {"Path", "/engineering/"},
                       {"UserId", "AIDAJQABLZS4A3QDU576Q"},
                       {"Arn", "arn:aws:iam::123456789012:user/engineering/alice"},
                       {"CreateDate", "2026-11-28T01:02:03Z"},
                       {"Tags", json::array({{{"Key", "team"}, {"Value", "devs"}}})}}}};
  constexpr int kRounds = 20000;
  auto start = std::chrono::steady_clock::now();
  std::size_t bytes = 0;
  for (int i = 0; i < kRounds; ++i) {
    ApiResult<QueryParams> params = ParseForm(body);
    ASSERT_TRUE(params.ok());
    QueryReply r = HandleQuery(model::Iam(), *params, "0b6a1e8c-5f7d-4c1e-9a59-3c2f8c9d7e11",
                               [&](const ParsedRequest&) -> Result<json> { return user; });
    bytes += r.body.size();
  }
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kRounds;
  std::printf("query layer: CreateUser with 2 tags, decode+parse+validate+render: %.2f us/request (%zu bytes)\n", us,
              bytes / kRounds);
  EXPECT_LT(us, 2000.0);
}

}  // namespace
}  // namespace iam::api
