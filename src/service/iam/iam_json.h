// The store's entities rendered as the IAM model's output shapes (member
// names of botocore's iam service-2.json), shared by the operations that
// return them.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/model.h"

namespace iam::service {

nlohmann::json TagsJson(const std::vector<store::Tag>& tags);
nlohmann::json UserJson(const store::User& u, bool with_tags);
nlohmann::json GroupJson(const store::Group& g);
nlohmann::json PolicyJson(const store::ManagedPolicy& p);
std::string_view StatusName(store::AccessKeyStatus s);
nlohmann::json VersionJson(const store::PolicyVersion& v, bool with_document);
// `full`: with the trust policy, tags and last use, as GetRole returns it.
nlohmann::json RoleJson(const store::Role& r, bool full);
nlohmann::json LoginProfileJson(const store::LoginProfile& p);
nlohmann::json InstanceProfileJson(const store::InstanceProfile& p);

}  // namespace iam::service
