#include "service/iam/aws_managed.h"

#include "common/status_macros.h"

namespace iam::service {
namespace {

struct Seed {
  const char* path;
  const char* name;
  const char* description;
  const char* document;
};

// AWS's documents where they are short; the read-only families condensed to
// the services people use most, keeping AWS's choice of verbs per service
// (ReadOnlyAccess reads SSM parameters but not Secrets Manager values).
constexpr Seed kSeeds[] = {
    {"/", "AdministratorAccess", "Provides full access to AWS services and resources.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
    {"/", "PowerUserAccess",
     "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*",)"
     R"("account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole",)"
     R"("iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization",)"
     R"("account:ListRegions","account:GetAccountInformation"],"Resource":"*"}]})"},
    {"/", "ReadOnlyAccess", "Provides read-only access to AWS services and resources.",
     R"({"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":[)"
     R"("acm:Describe*","acm:Get*","acm:List*","apigateway:GET","autoscaling:Describe*",)"
     R"("cloudformation:Describe*","cloudformation:Get*","cloudformation:List*","cloudfront:Get*",)"
     R"("cloudfront:List*","cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*",)"
     R"("cloudtrail:LookupEvents","cloudwatch:Describe*","cloudwatch:Get*","cloudwatch:List*",)"
     R"("config:Describe*","config:Get*","config:List*","dynamodb:BatchGetItem","dynamodb:Describe*",)"
     R"("dynamodb:Get*","dynamodb:List*","dynamodb:Query","dynamodb:Scan","ec2:Describe*","ec2:Get*",)"
     R"("ecr:BatchGetImage","ecr:Describe*","ecr:Get*","ecr:List*","ecs:Describe*","ecs:List*",)"
     R"("eks:Describe*","eks:List*","elasticache:Describe*","elasticache:List*",)"
     R"("elasticloadbalancing:Describe*","events:Describe*","events:List*","iam:Generate*","iam:Get*",)"
     R"("iam:List*","iam:Simulate*","kinesis:Describe*","kinesis:Get*","kinesis:List*","kms:Describe*",)"
     R"("kms:Get*","kms:List*","lambda:Get*","lambda:List*","logs:Describe*","logs:FilterLogEvents",)"
     R"("logs:Get*","logs:List*","logs:StartQuery","logs:StopQuery","logs:TestMetricFilter",)"
     R"("organizations:Describe*","organizations:List*","rds:Describe*","rds:List*",)"
     R"("route53:Get*","route53:List*","route53:Test*","s3:Describe*","s3:Get*","s3:List*",)"
     R"("secretsmanager:DescribeSecret","secretsmanager:GetResourcePolicy",)"
     R"("secretsmanager:ListSecretVersionIds","secretsmanager:ListSecrets","sns:Check*","sns:Get*",)"
     R"("sns:List*","sqs:Get*","sqs:List*","sqs:Receive*","ssm:Describe*","ssm:Get*","ssm:List*",)"
     R"("sts:GetAccessKeyInfo","sts:GetCallerIdentity","sts:GetSessionToken","tag:Get*"],"Resource":"*"}]})"},
    {"/job-function/", "ViewOnlyAccess",
     "This policy grants permissions to view resources and basic metadata across all AWS services.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["acm:ListCertificates",)"
     R"("autoscaling:Describe*","cloudformation:DescribeStacks","cloudformation:ListStacks",)"
     R"("cloudfront:List*","cloudtrail:DescribeTrails","cloudtrail:LookupEvents","cloudwatch:List*",)"
     R"("cloudwatch:DescribeAlarms","dynamodb:ListTables","dynamodb:DescribeTable","ec2:Describe*",)"
     R"("ecr:DescribeRepositories","ecs:List*","ecs:Describe*","eks:ListClusters","eks:DescribeCluster",)"
     R"("elasticache:Describe*","elasticloadbalancing:Describe*","iam:List*","iam:GetAccountSummary",)"
     R"("iam:GetLoginProfile","iam:GetAccountPasswordPolicy","kinesis:ListStreams",)"
     R"("kinesis:DescribeStream","kms:ListKeys","lambda:List*","logs:DescribeLogGroups",)"
     R"("organizations:DescribeOrganization","rds:Describe*","route53:List*","route53:Get*",)"
     R"("s3:ListAllMyBuckets","s3:ListBucket","s3:GetBucketLocation","secretsmanager:ListSecrets",)"
     R"("sns:ListTopics","sns:ListSubscriptions","sqs:ListQueues","ssm:DescribeParameters",)"
     R"("tag:GetResources"],"Resource":"*"}]})"},
    {"/", "SecurityAudit", "The security audit template grants access to read security configuration metadata.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["acm:Describe*","acm:List*",)"
     R"("cloudformation:DescribeStack*","cloudformation:GetTemplate","cloudformation:ListStack*",)"
     R"("cloudfront:Get*","cloudfront:List*","cloudtrail:Describe*","cloudtrail:Get*",)"
     R"("cloudtrail:List*","cloudtrail:LookupEvents","cloudwatch:Describe*","cloudwatch:List*",)"
     R"("config:Deliver*","config:Describe*","config:Get*","config:List*","dynamodb:DescribeTable",)"
     R"("dynamodb:ListTables","ec2:Describe*","ec2:Get*","ecr:DescribeRepositories",)"
     R"("ecr:GetRepositoryPolicy","ecs:Describe*","ecs:List*","eks:Describe*","eks:List*",)"
     R"("elasticloadbalancing:Describe*","iam:GenerateCredentialReport",)"
     R"("iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy",)"
     R"("iam:SimulatePrincipalPolicy","kms:Describe*","kms:Get*","kms:List*","lambda:GetFunctionConfiguration",)"
     R"("lambda:GetPolicy","lambda:List*","logs:Describe*","logs:ListTagsLogGroup",)"
     R"("organizations:Describe*","organizations:List*","rds:Describe*","rds:List*",)"
     R"("route53:Get*","route53:List*","s3:GetAccountPublicAccessBlock","s3:GetBucket*",)"
     R"("s3:GetEncryptionConfiguration","s3:GetLifecycleConfiguration","s3:ListAllMyBuckets",)"
     R"("secretsmanager:DescribeSecret","secretsmanager:GetResourcePolicy","secretsmanager:ListSecrets",)"
     R"("sns:GetTopicAttributes","sns:ListSubscriptions*","sns:ListTopics","sqs:GetQueueAttributes",)"
     R"("sqs:ListQueues","ssm:Describe*","ssm:ListDocuments","sts:GetCallerIdentity",)"
     R"("tag:GetResources"],"Resource":"*"}]})"},
    {"/", "IAMFullAccess", "Provides full access to IAM via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount",)"
     R"("organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy",)"
     R"("organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget",)"
     R"("organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]})"},
    {"/", "IAMReadOnlyAccess", "Provides read only access to IAM via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport",)"
     R"("iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy",)"
     R"("iam:SimulatePrincipalPolicy"],"Resource":"*"}]})"},
    {"/", "IAMUserChangePassword", "Provides the ability for an IAM user to change their own password.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],)"
     R"("Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":)"
     R"(["iam:GetAccountPasswordPolicy"],"Resource":"*"}]})"},
};

}  // namespace

Status SeedAwsManagedPolicies(store::Store& store, const std::string& account_id) {
  for (const Seed& seed : kSeeds) {
    std::string arn = std::string("arn:aws:iam::aws:policy") + seed.path + seed.name;
    Result<store::ManagedPolicy> existing = store.GetPolicy(account_id, arn);
    if (existing.ok()) continue;  // seeded by an earlier start
    if (existing.status().code() != StatusCode::kNoSuchEntity) return existing.status();
    store::NewPolicy p;
    p.name = seed.name;
    p.path = seed.path;
    p.description = seed.description;
    p.document = seed.document;
    IAM_RETURN_IF_ERROR(store.SeedAwsManagedPolicy(p).status());
  }
  return Status();
}

}  // namespace iam::service
