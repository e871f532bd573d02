// Users: create, read, update, delete, list (their tags are in tag_ops.cc).
#include "service/iam/op_context.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

Result<json> CreateUser(Ctx& c) {
  store::NewUser u;
  u.name = Str(c.in, "UserName");
  u.path = Str(c.in, "Path", "/");
  u.permissions_boundary_arn = Str(c.in, "PermissionsBoundary");
  u.tags = TagsIn(c.in);
  IAM_ASSIGN_OR_RETURN(store::User user, c.store.CreateUser(c.account(), u));
  json out = json::object();
  out["User"] = UserJson(user, true);  // moved in; a braced list would copy the tree
  return out;
}

Result<json> GetUser(Ctx& c) {
  if (!Has(c.in, "UserName") && c.caller.is_root) {
    // AWS answers the root's GetUser with the account itself.
    IAM_ASSIGN_OR_RETURN(store::Account a, c.store.GetAccount(c.account()));
    return json{{"User", {{"UserId", a.account_id}, {"Arn", RootArn(a.account_id)}, {"CreateDate", a.create_date}}}};
  }
  IAM_ASSIGN_OR_RETURN(std::string name, TargetUser(c.caller, c.in));
  IAM_ASSIGN_OR_RETURN(store::User user, c.store.GetUser(c.account(), name));
  json out = json::object();
  out["User"] = UserJson(user, true);  // moved in; a braced list would copy the tree
  return out;
}

Result<json> ListUsers(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<store::User> page, c.store.ListUsers(c.account(), o));
  json users = json::array();
  for (const store::User& u : page.items) users.push_back(UserJson(u, false));
  json out = {{"Users", users}};
  PutPage(c, out, page);
  return out;
}

Result<json> DeleteUser(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteUser(c.account(), Str(c.in, "UserName")));
  return json::object();
}

Result<json> UpdateUser(Ctx& c) {
  store::Rename r;
  if (Has(c.in, "NewUserName")) r.new_name = Str(c.in, "NewUserName");
  if (Has(c.in, "NewPath")) r.new_path = Str(c.in, "NewPath");
  IAM_RETURN_IF_ERROR(c.store.UpdateUser(c.account(), Str(c.in, "UserName"), r));
  return json::object();
}

}  // namespace

void AddUserOps(OpTable& ops) {
  ops.emplace("CreateUser", CreateUser);
  ops.emplace("GetUser", GetUser);
  ops.emplace("ListUsers", ListUsers);
  ops.emplace("DeleteUser", DeleteUser);
  ops.emplace("UpdateUser", UpdateUser);
}

}  // namespace iam::service
