// Groups and their members.
#include "service/iam/op_context.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

using nlohmann::json;
using store::PrincipalKind;
using store::PrincipalRef;

Result<json> CreateGroup(Ctx& c) {
  store::NewGroup g{Str(c.in, "GroupName"), Str(c.in, "Path", "/")};
  IAM_ASSIGN_OR_RETURN(store::Group group, c.store.CreateGroup(c.account(), g));
  return json{{"Group", GroupJson(group)}};
}

Result<json> DeleteGroup(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteGroup(c.account(), Str(c.in, "GroupName")));
  return json::object();
}

Result<json> ListGroups(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<store::Group> page, c.store.ListGroups(c.account(), o));
  json groups = json::array();
  for (const store::Group& g : page.items) groups.push_back(GroupJson(g));
  json out = {{"Groups", groups}};
  PutPage(c, out, page);
  return out;
}

Result<json> ListGroupsForUser(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(store::Page<store::Group> page,
                       c.store.ListGroupsForUser(c.account(), Str(c.in, "UserName"), o));
  json groups = json::array();
  for (const store::Group& g : page.items) groups.push_back(GroupJson(g));
  json out = {{"Groups", groups}};
  PutPage(c, out, page);
  return out;
}

Result<json> AddUserToGroup(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.AddUserToGroup(c.account(), Str(c.in, "GroupName"), Str(c.in, "UserName")));
  return json::object();
}

Result<json> RemoveUserFromGroup(Ctx& c) {
  IAM_RETURN_IF_ERROR(
      c.store.RemoveUserFromGroup(c.account(), Str(c.in, "GroupName"), Str(c.in, "UserName")));
  return json::object();
}

Result<json> UpdateGroup(Ctx& c) {
  store::Rename r;
  if (Has(c.in, "NewGroupName")) r.new_name = Str(c.in, "NewGroupName");
  if (Has(c.in, "NewPath")) r.new_path = Str(c.in, "NewPath");
  IAM_RETURN_IF_ERROR(c.store.UpdateGroup(c.account(), Str(c.in, "GroupName"), r));
  return json::object();
}

Result<json> GetGroup(Ctx& c) {
  std::string name = Str(c.in, "GroupName");
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));  // GetGroup has no PathPrefix: "/"
  IAM_ASSIGN_OR_RETURN(store::Group group, c.store.GetGroup(c.account(), name));
  IAM_ASSIGN_OR_RETURN(store::Page<store::User> page, c.store.ListGroupMembers(c.account(), name, o));
  json users = json::array();
  for (const store::User& u : page.items) users.push_back(UserJson(u, false));
  json out = {{"Group", GroupJson(group)}, {"Users", users}};
  PutPage(c, out, page);
  return out;
}

}  // namespace

void AddGroupOps(OpTable& ops) {
  ops.emplace("CreateGroup", CreateGroup);
  ops.emplace("DeleteGroup", DeleteGroup);
  ops.emplace("ListGroups", ListGroups);
  ops.emplace("ListGroupsForUser", ListGroupsForUser);
  ops.emplace("AddUserToGroup", AddUserToGroup);
  ops.emplace("RemoveUserFromGroup", RemoveUserFromGroup);
  ops.emplace("UpdateGroup", UpdateGroup);
  ops.emplace("GetGroup", GetGroup);
}

}  // namespace iam::service
