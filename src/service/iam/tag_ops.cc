// Tags of roles, managed policies and instance profiles (users have their own in user_ops.cc).
#include "service/iam/op_context.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

Result<json> Tag(Ctx& c, store::TaggableKind kind, const char* id_key) {
  IAM_RETURN_IF_ERROR(c.store.TagResource(c.account(), {kind, Str(c.in, id_key)}, TagsIn(c.in)));
  return json::object();
}

Result<json> Untag(Ctx& c, store::TaggableKind kind, const char* id_key) {
  IAM_RETURN_IF_ERROR(c.store.UntagResource(c.account(), {kind, Str(c.in, id_key)}, TagKeysIn(c.in)));
  return json::object();
}

Result<json> ListTagsOf(Ctx& c, store::TaggableKind kind, const char* id_key) {
  IAM_ASSIGN_OR_RETURN(std::vector<store::Tag> tags, c.store.ListTags(c.account(), {kind, Str(c.in, id_key)}));
  return json{{"Tags", TagsJson(tags)}, {"IsTruncated", false}};
}

}  // namespace

void AddTagOps(OpTable& ops) {
  ops.emplace("TagRole", [](Ctx& c) { return Tag(c, store::TaggableKind::kRole, "RoleName"); });
  ops.emplace("UntagRole", [](Ctx& c) { return Untag(c, store::TaggableKind::kRole, "RoleName"); });
  ops.emplace("ListRoleTags", [](Ctx& c) { return ListTagsOf(c, store::TaggableKind::kRole, "RoleName"); });
  ops.emplace("TagPolicy", [](Ctx& c) { return Tag(c, store::TaggableKind::kPolicy, "PolicyArn"); });
  ops.emplace("UntagPolicy", [](Ctx& c) { return Untag(c, store::TaggableKind::kPolicy, "PolicyArn"); });
  ops.emplace("ListPolicyTags", [](Ctx& c) { return ListTagsOf(c, store::TaggableKind::kPolicy, "PolicyArn"); });
}

}  // namespace iam::service
