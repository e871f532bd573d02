#include "service/iam/iam_service.h"

#include "service/iam/op_context.h"

namespace iam::service {
namespace {

using nlohmann::json;

const OpTable& Ops() {
  static const OpTable* ops = [] {
    auto* t = new OpTable;
    AddUserOps(*t);
    AddGroupOps(*t);
    AddPolicyOps(*t);
    AddPrincipalPolicyOps(*t);
    AddRoleOps(*t);
    AddCredentialOps(*t);
    AddAccountOps(*t);
    AddTagOps(*t);
    AddSimulationOps(*t);
    AddMfaOps(*t);
    AddOidcProviderOps(*t);
    AddSamlProviderOps(*t);
    return t;
  }();
  return *ops;
}

}  // namespace

bool IamService::Implements(std::string_view operation) { return Ops().contains(operation); }

Result<json> IamService::Call(const Caller& caller, std::string_view operation, const json& input) {
  auto it = Ops().find(operation);
  if (it == Ops().end()) {
    return Status(StatusCode::kInvalidAction, "iamd does not implement " + std::string(operation) + " yet.");
  }
  Ctx ctx{store_, ring_, caller, input, operation};
  return it->second(ctx);
}

std::string UrlEncodePolicy(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char ch : s) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
        ch == '_' || ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 15]);
    }
  }
  return out;
}

}  // namespace iam::service
