// SAML identity providers: their metadata (checked to be an IdP's
// EntityDescriptor with a signing certificate) is what AssumeRoleWithSAML
// verifies assertions against. Tags are in tag_ops.cc.
#include "auth/saml.h"
#include "common/status_macros.h"
#include "service/iam/op_context.h"

namespace iam::service {
namespace {

using nlohmann::json;

std::string ProviderArn(Ctx& c) { return Str(c.in, "SAMLProviderArn"); }

Result<json> CreateSAMLProvider(Ctx& c) {
  store::NewSamlProvider p;
  p.name = Str(c.in, "Name");
  p.metadata_document = Str(c.in, "SAMLMetadataDocument");
  p.tags = TagsIn(c.in);
  IAM_ASSIGN_OR_RETURN(auth::SamlMetadata metadata, auth::ParseSamlMetadata(p.metadata_document));
  p.valid_until = metadata.valid_until;
  IAM_ASSIGN_OR_RETURN(store::SamlProvider created, c.store.CreateSamlProvider(c.account(), p));
  json out = {{"SAMLProviderArn", created.arn}};
  if (!created.tags.empty()) out["Tags"] = TagsJson(created.tags);
  return out;
}

Result<json> GetSAMLProvider(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::SamlProvider p, c.store.GetSamlProvider(c.account(), ProviderArn(c)));
  json out = {{"SAMLMetadataDocument", p.metadata_document}, {"CreateDate", p.create_date}};
  if (p.valid_until) out["ValidUntil"] = *p.valid_until;
  if (!p.tags.empty()) out["Tags"] = TagsJson(p.tags);
  return out;
}

Result<json> ListSAMLProviders(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::vector<store::SamlProvider> providers, c.store.ListSamlProviders(c.account()));
  json list = json::array();
  for (const store::SamlProvider& p : providers) {
    json entry = {{"Arn", p.arn}, {"CreateDate", p.create_date}};
    if (p.valid_until) entry["ValidUntil"] = *p.valid_until;
    list.push_back(entry);
  }
  return json{{"SAMLProviderList", list}};
}

Result<json> UpdateSAMLProvider(Ctx& c) {
  const std::string document = Str(c.in, "SAMLMetadataDocument");
  IAM_RETURN_IF_ERROR(c.store.GetSamlProvider(c.account(), ProviderArn(c)).status());
  IAM_RETURN_IF_ERROR(auth::ParseSamlMetadata(document).status());
  IAM_RETURN_IF_ERROR(c.store.UpdateSamlProvider(c.account(), ProviderArn(c), document));
  return json{{"SAMLProviderArn", ProviderArn(c)}};
}

Result<json> DeleteSAMLProvider(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteSamlProvider(c.account(), ProviderArn(c)));
  return json::object();
}

}  // namespace

void AddSamlProviderOps(OpTable& ops) {
  ops.emplace("CreateSAMLProvider", CreateSAMLProvider);
  ops.emplace("GetSAMLProvider", GetSAMLProvider);
  ops.emplace("ListSAMLProviders", ListSAMLProviders);
  ops.emplace("UpdateSAMLProvider", UpdateSAMLProvider);
  ops.emplace("DeleteSAMLProvider", DeleteSAMLProvider);
}

}  // namespace iam::service
