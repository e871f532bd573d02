// The audit trail's file (order, rotation, concurrency) and its records
// (CloudTrail's shape, secrets hidden).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/audit/audit_event.h"
#include "api/audit/audit_log.h"

namespace iam::api {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("iamd-audit-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path() const { return (dir_ / "audit.log").string(); }
  std::filesystem::path dir_;
};

TEST_F(AuditLogTest, AppendsLinesInOrderAndFlushes) {
  auto log = AuditLog::Open({.path = Path()});
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < 100; ++i) (*log)->Append("{\"n\":" + std::to_string(i) + "}");
  (*log)->Flush();
  std::vector<std::string> lines = Lines(Path());
  ASSERT_EQ(lines.size(), 100u);
  EXPECT_EQ(lines[0], "{\"n\":0}");
  EXPECT_EQ(lines[99], "{\"n\":99}");
  EXPECT_EQ(std::filesystem::status(Path()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(AuditLogTest, RotatesBySizeKeepingWholeLinesAndNFiles) {
  auto log = AuditLog::Open({.path = Path(), .max_bytes = 1000, .max_files = 2});
  ASSERT_TRUE(log.ok());
  std::string line(99, 'x');  // 100 bytes with its newline
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 8; ++i) (*log)->Append(line);
    (*log)->Flush();  // one batch of 800 bytes per round
  }
  (*log)->Close();
  EXPECT_TRUE(std::filesystem::exists(Path() + ".1"));
  EXPECT_TRUE(std::filesystem::exists(Path() + ".2"));
  EXPECT_FALSE(std::filesystem::exists(Path() + ".3"));
  for (const std::string& p : {Path(), Path() + ".1", Path() + ".2"}) {
    EXPECT_LE(std::filesystem::file_size(p), 1000u) << p;
    for (const std::string& l : Lines(p)) EXPECT_EQ(l, line);
  }
}

TEST_F(AuditLogTest, ManyThreadsLoseNothing) {
  auto log = AuditLog::Open({.path = Path()});
  ASSERT_TRUE(log.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) (*log)->Append(std::to_string(t) + ":" + std::to_string(i));
    });
  }
  for (std::thread& th : threads) th.join();
  (*log)->Close();
  std::vector<std::string> lines = Lines(Path());
  EXPECT_EQ(lines.size(), 8000u);
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), 8000u);
  EXPECT_EQ((*log)->failures(), 0u);
}

// A call to IAM by the IAM user alice.
AuditRecord AliceCalls(std::string event_name) {
  AuditRecord r;
  r.event_source = "iam.amazonaws.com";
  r.event_name = std::move(event_name);
  r.identity_type = "IAMUser";
  r.arn = "arn:aws:iam::123456789012:user/alice";
  r.account_id = "123456789012";
  r.user_name = "alice";
  return r;
}

TEST(AuditEvent, CloudTrailShapeWithSecretsHidden) {
  AuditRecord r = AliceCalls("CreateLoginProfile");
  r.request_parameters = {{"UserName", "bob"}, {"Password", "s3cret!"},
                          {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}};
  r.error_code = "AccessDenied";
  r.error_message = "User: x is not authorized ... with an explicit deny in an identity-based policy";
  r.decision = DecisionOfError(r.error_code, r.error_message);
  r.request_id = "rid";
  r.user_agent = std::string("aws-cli/2 \"q\"\n\xff\x01");  // quotes, control and invalid bytes
  std::string line = AuditLine(r);
  EXPECT_EQ(line.find("s3cret"), std::string::npos);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  nlohmann::json e = nlohmann::json::parse(line);
  EXPECT_EQ(e["eventVersion"], "1.08");
  EXPECT_EQ(e["eventName"], "CreateLoginProfile");
  EXPECT_EQ(e["userIdentity"]["type"], "IAMUser");
  EXPECT_EQ(e["userIdentity"]["userName"], "alice");
  EXPECT_EQ(e["requestParameters"]["userName"], "bob");
  EXPECT_EQ(e["requestParameters"]["password"], "HIDDEN_DUE_TO_SECURITY_REASONS");
  EXPECT_EQ(e["requestParameters"]["tags"][0]["key"], "k");
  EXPECT_EQ(e["errorCode"], "AccessDenied");
  EXPECT_EQ(e["additionalEventData"]["decision"], "ExplicitDeny");
  EXPECT_EQ(e["readOnly"], false);
  EXPECT_EQ(e["requestID"], "rid");
  EXPECT_EQ(e["userAgent"], "aws-cli/2 \"q\"\n\xef\xbf\xbd\x01");
  EXPECT_EQ(e["eventID"].get<std::string>().size(), 36u);
  EXPECT_NE(AuditLine(r), line);  // a fresh eventID each time
  EXPECT_EQ(DecisionOfError("AccessDenied", "because no identity-based policy allows"), "ImplicitDeny");
  EXPECT_EQ(DecisionOfError("NoSuchEntity", "x"), "");
}

// The exact bytes, member order included (consumers may grep the text).
TEST(AuditEvent, ExactLineForAnAllowedCall) {
  AuditRecord r = AliceCalls("GetUser");
  r.time = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  r.source_ip = "127.0.0.1";
  r.user_agent = "ua";
  r.principal_id = "AIDA1";
  r.access_key_id = "AKIA1";
  r.request_parameters = {{"UserName", "bob"}};
  r.request_id = "rid";
  r.decision = "Allow";
  std::string line = AuditLine(r);
  std::string id = nlohmann::json::parse(line)["eventID"];
  EXPECT_EQ(line,
            "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-11-14T22:13:20Z\",\"eventSource\":\"iam.amazonaws.com\","
            "\"eventName\":\"GetUser\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"127.0.0.1\",\"userAgent\":\"ua\","
            "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA1\",\"arn\":\"arn:aws:iam::123456789012:user/alice\","
            "\"accountId\":\"123456789012\",\"accessKeyId\":\"AKIA1\",\"userName\":\"alice\"},"
            "\"requestParameters\":{\"userName\":\"bob\"},\"responseElements\":null,\"requestID\":\"rid\","
            "\"eventID\":\"" + id + "\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
            "\"recipientAccountId\":\"123456789012\",\"eventCategory\":\"Management\","
            "\"additionalEventData\":{\"decision\":\"Allow\"}}");
  // Unauthenticated and without parameters: no userIdentity, nulls.
  AuditRecord anonymous;
  anonymous.time = r.time;
  anonymous.event_source = "sts.amazonaws.com";
  anonymous.event_name = "Unknown";
  anonymous.error_code = "MissingAuthenticationToken";
  anonymous.error_message = "Request is missing Authentication Token";
  line = AuditLine(anonymous);
  id = nlohmann::json::parse(line)["eventID"];
  EXPECT_EQ(line,
            "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-11-14T22:13:20Z\",\"eventSource\":\"sts.amazonaws.com\","
            "\"eventName\":\"Unknown\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"\",\"userAgent\":\"\","
            "\"requestParameters\":null,\"responseElements\":null,\"errorCode\":\"MissingAuthenticationToken\","
            "\"errorMessage\":\"Request is missing Authentication Token\",\"requestID\":\"\",\"eventID\":\"" + id +
            "\",\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"\","
            "\"eventCategory\":\"Management\"}");
}

}  // namespace
}  // namespace iam::api
