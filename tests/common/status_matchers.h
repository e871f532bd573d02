// GoogleTest matchers for iam::Status and iam::Result<T>:
//   EXPECT_THAT(store->GetUser(a, "bob"), StatusIs(iam::StatusCode::kNoSuchEntity));
//   EXPECT_THAT(Parse(doc), IsOk());
#pragma once

#include <gmock/gmock.h>

#include "iamd/status.h"

namespace iam::testing {

inline const Status& GetStatus(const Status& s) { return s; }
template <typename T>
Status GetStatus(const Result<T>& r) { return r.status(); }

MATCHER(IsOk, "is OK") {
  Status s = ::iam::testing::GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s.ToString();
  return s.ok();
}

MATCHER_P(StatusIs, code, "has code " + std::string(::iam::StatusCodeName(code))) {
  Status s = ::iam::testing::GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code;
}

MATCHER_P2(StatusIs, code, substring,
           "has code " + std::string(::iam::StatusCodeName(code)) + " and a message containing \"" +
               std::string(substring) + "\"") {
  Status s = ::iam::testing::GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code && s.message().find(substring) != std::string::npos;
}

}  // namespace iam::testing
