// OpenID Connect identity providers: the issuers whose tokens
// AssumeRoleWithWebIdentity accepts, with their audiences (client ids) and
// certificate thumbprints. Tags are in tag_ops.cc.
#include <algorithm>

#include "common/status_macros.h"
#include "service/iam/op_context.h"

namespace iam::service {
namespace {

using nlohmann::json;

std::vector<std::string> StringsIn(const json& in, const char* key) {
  std::vector<std::string> out;
  if (auto it = in.find(key); it != in.end() && it->is_array()) {
    for (const json& v : *it) out.push_back(v.is_string() ? v.get<std::string>() : "");
  }
  return out;
}

std::string ProviderArn(Ctx& c) { return Str(c.in, "OpenIDConnectProviderArn"); }

Result<json> CreateOpenIDConnectProvider(Ctx& c) {
  store::NewOidcProvider p;
  p.url = Str(c.in, "Url");
  p.client_ids = StringsIn(c.in, "ClientIDList");
  p.thumbprints = StringsIn(c.in, "ThumbprintList");
  p.tags = TagsIn(c.in);
  IAM_ASSIGN_OR_RETURN(store::OidcProvider created, c.store.CreateOidcProvider(c.account(), p));
  json out = {{"OpenIDConnectProviderArn", created.arn}};
  if (!created.tags.empty()) out["Tags"] = TagsJson(created.tags);
  return out;
}

Result<json> GetOpenIDConnectProvider(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::OidcProvider p, c.store.GetOidcProvider(c.account(), ProviderArn(c)));
  // AWS answers with the URL without its scheme.
  std::string url = p.url.starts_with("https://") ? p.url.substr(8) : p.url;
  json out = {{"Url", url},
              {"ClientIDList", p.client_ids},
              {"ThumbprintList", p.thumbprints},
              {"CreateDate", p.create_date}};
  if (!p.tags.empty()) out["Tags"] = TagsJson(p.tags);
  return out;
}

Result<json> ListOpenIDConnectProviders(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::vector<store::OidcProvider> providers, c.store.ListOidcProviders(c.account()));
  json list = json::array();
  for (const store::OidcProvider& p : providers) list.push_back({{"Arn", p.arn}});
  return json{{"OpenIDConnectProviderList", list}};
}

Result<json> DeleteOpenIDConnectProvider(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteOidcProvider(c.account(), ProviderArn(c)));
  return json::object();
}

Result<json> UpdateOpenIDConnectProviderThumbprint(Ctx& c) {
  IAM_RETURN_IF_ERROR(
      c.store.UpdateOidcProvider(c.account(), ProviderArn(c), std::nullopt, StringsIn(c.in, "ThumbprintList")));
  return json::object();
}

// Adding a client id that is there, or removing one that is not, succeeds
// and changes nothing, as AWS documents both operations as idempotent.
Result<json> ChangeClientIds(Ctx& c, bool add) {
  IAM_ASSIGN_OR_RETURN(store::OidcProvider p, c.store.GetOidcProvider(c.account(), ProviderArn(c)));
  const std::string id = Str(c.in, "ClientID");
  auto it = std::find(p.client_ids.begin(), p.client_ids.end(), id);
  if (add == (it != p.client_ids.end())) return json::object();
  if (add) {
    p.client_ids.push_back(id);
  } else {
    p.client_ids.erase(it);
  }
  IAM_RETURN_IF_ERROR(c.store.UpdateOidcProvider(c.account(), p.arn, p.client_ids, std::nullopt));
  return json::object();
}

}  // namespace

void AddOidcProviderOps(OpTable& ops) {
  ops.emplace("CreateOpenIDConnectProvider", CreateOpenIDConnectProvider);
  ops.emplace("GetOpenIDConnectProvider", GetOpenIDConnectProvider);
  ops.emplace("ListOpenIDConnectProviders", ListOpenIDConnectProviders);
  ops.emplace("DeleteOpenIDConnectProvider", DeleteOpenIDConnectProvider);
  ops.emplace("UpdateOpenIDConnectProviderThumbprint", UpdateOpenIDConnectProviderThumbprint);
  ops.emplace("AddClientIDToOpenIDConnectProvider", [](Ctx& c) { return ChangeClientIds(c, true); });
  ops.emplace("RemoveClientIDFromOpenIDConnectProvider", [](Ctx& c) { return ChangeClientIds(c, false); });
}

}  // namespace iam::service
