#include "service/iam/aws_managed.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

struct Seed {
  const char* name;
  const char* description;
  const char* document;
};

constexpr Seed kSeeds[] = {
    {"AdministratorAccess", "Provides full access to AWS services and resources.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
    {"IAMFullAccess", "Provides full access to IAM via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount",)"
     R"("organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy",)"
     R"("organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget",)"
     R"("organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]})"},
    {"IAMReadOnlyAccess", "Provides read only access to IAM via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport",)"
     R"("iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy",)"
     R"("iam:SimulatePrincipalPolicy"],"Resource":"*"}]})"},
    {"IAMUserChangePassword", "Provides the ability for an IAM user to change their own password.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],)"
     R"("Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":)"
     R"(["iam:GetAccountPasswordPolicy"],"Resource":"*"}]})"},
};

}  // namespace

Status SeedAwsManagedPolicies(store::Store& store, const std::string& account_id) {
  for (const Seed& seed : kSeeds) {
    Result<store::ManagedPolicy> existing =
        store.GetPolicy(account_id, std::string("arn:aws:iam::aws:policy/") + seed.name);
    if (existing.ok()) continue;
    if (existing.status().code() != StatusCode::kNoSuchEntity) return existing.status();
    store::NewPolicy p;
    p.name = seed.name;
    p.description = seed.description;
    p.document = seed.document;
    IAM_RETURN_IF_ERROR(store.SeedAwsManagedPolicy(p).status());
  }
  return Status();
}

}  // namespace iam::service
