#include "service/iam/iam_json.h"

#include "service/caller.h"
#include "service/iam/iam_service.h"

namespace iam::service {

using nlohmann::json;

json TagsJson(const std::vector<store::Tag>& tags) {
  json arr = json::array();
  for (const store::Tag& t : tags) arr.push_back({{"Key", t.key}, {"Value", t.value}});
  return arr;
}

json UserJson(const store::User& u, bool with_tags) {
  json j = {{"Path", u.path}, {"UserName", u.name}, {"UserId", u.user_id}, {"Arn", u.arn},
            {"CreateDate", u.create_date}};
  if (u.password_last_used) j["PasswordLastUsed"] = *u.password_last_used;
  if (!u.permissions_boundary_arn.empty()) {
    j["PermissionsBoundary"] = {{"PermissionsBoundaryType", "Policy"},
                                {"PermissionsBoundaryArn", u.permissions_boundary_arn}};
  }
  if (with_tags && !u.tags.empty()) j["Tags"] = TagsJson(u.tags);
  return j;
}

json GroupJson(const store::Group& g) {
  return {{"Path", g.path}, {"GroupName", g.name}, {"GroupId", g.group_id}, {"Arn", g.arn},
          {"CreateDate", g.create_date}};
}

json PolicyJson(const store::ManagedPolicy& p) {
  json j = {{"PolicyName", p.name},
            {"PolicyId", p.policy_id},
            {"Arn", p.arn},
            {"Path", p.path},
            {"DefaultVersionId", p.default_version_id},
            {"AttachmentCount", p.attachment_count},
            {"PermissionsBoundaryUsageCount", p.permissions_boundary_usage_count},
            {"IsAttachable", p.is_attachable},
            {"CreateDate", p.create_date},
            {"UpdateDate", p.update_date}};
  if (!p.description.empty()) j["Description"] = p.description;
  if (!p.tags.empty()) j["Tags"] = TagsJson(p.tags);
  return j;
}

std::string_view StatusName(store::AccessKeyStatus s) {
  return s == store::AccessKeyStatus::kActive ? "Active" : "Inactive";
}

json VersionJson(const store::PolicyVersion& v, bool with_document) {
  json j = {{"VersionId", v.version_id}, {"IsDefaultVersion", v.is_default}, {"CreateDate", v.create_date}};
  if (with_document) j["Document"] = UrlEncodePolicy(v.document);
  return j;
}

json RoleJson(const store::Role& r, bool full) {
  json j = {{"Path", r.path},
            {"RoleName", r.name},
            {"RoleId", r.role_id},
            {"Arn", r.arn},
            {"CreateDate", r.create_date},
            {"AssumeRolePolicyDocument", UrlEncodePolicy(r.assume_role_policy_document)},
            {"MaxSessionDuration", r.max_session_duration}};
  if (!r.description.empty()) j["Description"] = r.description;
  if (full) {
    if (!r.permissions_boundary_arn.empty()) {
      j["PermissionsBoundary"] = {{"PermissionsBoundaryType", "Policy"},
                                  {"PermissionsBoundaryArn", r.permissions_boundary_arn}};
    }
    if (!r.tags.empty()) j["Tags"] = TagsJson(r.tags);
    json last = json::object();
    if (r.last_used_date) {
      last["LastUsedDate"] = *r.last_used_date;
      last["Region"] = r.last_used_region;
    }
    j["RoleLastUsed"] = last;
  }
  return j;
}

json LoginProfileJson(const store::LoginProfile& p) {
  return {{"UserName", p.user_name}, {"CreateDate", p.create_date}, {"PasswordResetRequired", p.password_reset_required}};
}

json InstanceProfileJson(const store::InstanceProfile& p) {
  json roles = json::array();
  for (const store::Role& r : p.roles) roles.push_back(RoleJson(r, false));
  json j = {{"Path", p.path},
            {"InstanceProfileName", p.name},
            {"InstanceProfileId", p.instance_profile_id},
            {"Arn", p.arn},
            {"CreateDate", p.create_date},
            {"Roles", roles}};
  if (!p.tags.empty()) j["Tags"] = TagsJson(p.tags);
  return j;
}
}  // namespace iam::service
