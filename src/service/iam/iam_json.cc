#include "service/iam/iam_json.h"

#include "service/caller.h"
#include "service/iam/iam_service.h"

namespace iam::service {

using nlohmann::json;

// Members are assigned one by one, not with a braced list: nlohmann builds
// a braced list as arrays of pairs and then copies them into the object,
// several times the allocations (this runs on every GetUser and list page).
json TagsJson(const std::vector<store::Tag>& tags) {
  json arr = json::array();
  for (const store::Tag& t : tags) {
    json tag = json::object();
    tag["Key"] = t.key;
    tag["Value"] = t.value;
    arr.push_back(std::move(tag));
  }
  return arr;
}

namespace {

// The members every named IAM entity has: path, name, id, ARN, creation.
json EntityJson(std::string_view kind, const std::string& path, const std::string& name, const std::string& id,
                const std::string& arn, int64_t create_date) {
  json j = json::object();
  j["Path"] = path;
  j[std::string(kind) + "Name"] = name;
  j[std::string(kind) + "Id"] = id;
  j["Arn"] = arn;
  j["CreateDate"] = create_date;
  return j;
}

}  // namespace

json UserJson(const store::User& u, bool with_tags) {
  json j = EntityJson("User", u.path, u.name, u.user_id, u.arn, u.create_date);
  if (u.password_last_used) j["PasswordLastUsed"] = *u.password_last_used;
  if (!u.permissions_boundary_arn.empty()) {
    j["PermissionsBoundary"] = {{"PermissionsBoundaryType", "Policy"},
                                {"PermissionsBoundaryArn", u.permissions_boundary_arn}};
  }
  if (with_tags && !u.tags.empty()) j["Tags"] = TagsJson(u.tags);
  return j;
}

json GroupJson(const store::Group& g) { return EntityJson("Group", g.path, g.name, g.group_id, g.arn, g.create_date); }

json PolicyJson(const store::ManagedPolicy& p) {
  json j = json::object();
  j["PolicyName"] = p.name;
  j["PolicyId"] = p.policy_id;
  j["Arn"] = p.arn;
  j["Path"] = p.path;
  j["DefaultVersionId"] = p.default_version_id;
  j["AttachmentCount"] = p.attachment_count;
  j["PermissionsBoundaryUsageCount"] = p.permissions_boundary_usage_count;
  j["IsAttachable"] = p.is_attachable;
  j["CreateDate"] = p.create_date;
  j["UpdateDate"] = p.update_date;
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
  json j = EntityJson("Role", r.path, r.name, r.role_id, r.arn, r.create_date);
  j["AssumeRolePolicyDocument"] = UrlEncodePolicy(r.assume_role_policy_document);
  j["MaxSessionDuration"] = r.max_session_duration;
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
    j["RoleLastUsed"] = std::move(last);
  }
  return j;
}

json LoginProfileJson(const store::LoginProfile& p) {
  return {{"UserName", p.user_name}, {"CreateDate", p.create_date}, {"PasswordResetRequired", p.password_reset_required}};
}

json InstanceProfileJson(const store::InstanceProfile& p) {
  json roles = json::array();
  for (const store::Role& r : p.roles) roles.push_back(RoleJson(r, false));
  json j = EntityJson("InstanceProfile", p.path, p.name, p.instance_profile_id, p.arn, p.create_date);
  j["Roles"] = std::move(roles);
  if (!p.tags.empty()) j["Tags"] = TagsJson(p.tags);
  return j;
}
}  // namespace iam::service
