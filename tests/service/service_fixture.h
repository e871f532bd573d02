// A fixture for the service tests: an in-memory store with one account
// (123456789012), its root as a caller, and the IAM service over them.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/status_matchers.h"
#include "service/iam/iam_service.h"
#include "store/open_store.h"

namespace iam::service {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenStore({});
    ASSERT_THAT(s, ::iam::testing::IsOk());
    store_ = std::move(s).value();
    auto ring = store_->LoadKeyRing();
    ASSERT_THAT(ring, ::iam::testing::IsOk());
    ring_ = std::move(ring).value();
    auto account = store_->CreateAccount("123456789012", "");
    ASSERT_THAT(account, ::iam::testing::IsOk());
    root_.account_id = "123456789012";
    root_.is_root = true;
    root_.user_id = root_.account_id;
    root_.arn = RootArn(root_.account_id);
    iam_ = std::make_unique<IamService>(*store_, ring_);
  }

  nlohmann::json Ok(std::string_view op, const nlohmann::json& in, const Caller* caller = nullptr) {
    Result<nlohmann::json> r = iam_->Call(caller ? *caller : root_, op, in);
    EXPECT_THAT(r, ::iam::testing::IsOk()) << op;
    return r.ok() ? *r : nlohmann::json();
  }

  Caller UserCaller(const std::string& name) {
    auto u = store_->GetUser(root_.account_id, name);
    EXPECT_THAT(u, ::iam::testing::IsOk());
    Caller c;
    c.account_id = root_.account_id;
    c.user_name = name;
    c.user_id = u->user_id;
    c.arn = u->arn;
    return c;
  }

  std::unique_ptr<store::Store> store_;
  crypto::KeyRing ring_;
  Caller root_;
  std::unique_ptr<IamService> iam_;
};

}  // namespace iam::service
