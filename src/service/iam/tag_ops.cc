// Tags of users, roles, managed policies, instance profiles, MFA devices and identity providers.
// Keys compare case-insensitively (the store keeps the case last written).
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
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(std::vector<store::Tag> tags, c.store.ListTags(c.account(), {kind, Str(c.in, id_key)}));
  IAM_ASSIGN_OR_RETURN(store::Page<store::Tag> page,
                       PageOf(std::move(tags), o, [](const store::Tag& t) { return t.key; }));
  json out = {{"Tags", TagsJson(page.items)}};
  PutPage(c, out, page);
  return out;
}

// Registers TagX, UntagX and ListXTags for one kind of entity named by `id_key`.
void AddTagOpsFor(OpTable& ops, const std::string& x, store::TaggableKind kind, const char* id_key) {
  ops.emplace("Tag" + x, [kind, id_key](Ctx& c) { return Tag(c, kind, id_key); });
  ops.emplace("Untag" + x, [kind, id_key](Ctx& c) { return Untag(c, kind, id_key); });
  ops.emplace("List" + x + "Tags", [kind, id_key](Ctx& c) { return ListTagsOf(c, kind, id_key); });
}

}  // namespace

void AddTagOps(OpTable& ops) {
  AddTagOpsFor(ops, "User", store::TaggableKind::kUser, "UserName");
  AddTagOpsFor(ops, "Role", store::TaggableKind::kRole, "RoleName");
  AddTagOpsFor(ops, "Policy", store::TaggableKind::kPolicy, "PolicyArn");
  AddTagOpsFor(ops, "InstanceProfile", store::TaggableKind::kInstanceProfile, "InstanceProfileName");
  AddTagOpsFor(ops, "MFADevice", store::TaggableKind::kMfaDevice, "SerialNumber");
  AddTagOpsFor(ops, "OpenIDConnectProvider", store::TaggableKind::kOidcProvider, "OpenIDConnectProviderArn");
  AddTagOpsFor(ops, "SAMLProvider", store::TaggableKind::kSamlProvider, "SAMLProviderArn");
}

}  // namespace iam::service
