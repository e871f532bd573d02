// Policy engine benchmarks (issue 2): decisions per second for a principal
// with 10 attached policies of 10 statements each (wildcards, conditions,
// policy variables), compile time per policy, and heap per compiled policy.
//
//   build/bench/policy/policy_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <string>
#include <vector>

#include "iamd/policy.h"

namespace iam::policy {
namespace {

// Policy i of the workload: 10 statements over several services, mixing
// exact actions, prefix and glob wildcards, NotAction, variables in
// resources and conditions of several operator families.
std::string WorkloadPolicy(int i) {
  std::string n = std::to_string(i);
  return R"({"Version":"2012-10-17","Statement":[
    {"Sid":"S3Home)" + n + R"(","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
     "Resource":"arn:aws:s3:::bucket-)" + n + R"(/home/${aws:username}/*"},
    {"Sid":"S3List)" + n + R"(","Effect":"Allow","Action":"s3:List*","Resource":"arn:aws:s3:::bucket-)" + n + R"(",
     "Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","public/*"]}}},
    {"Sid":"Ec2Read)" + n + R"(","Effect":"Allow","Action":"ec2:Describe*","Resource":"*",
     "Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.)" + n + R"(.0/24"]}}},
    {"Sid":"Dynamo)" + n + R"(","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],
     "Resource":"arn:aws:dynamodb:*:111122223333:table/t)" + n + R"(",
     "Condition":{"ForAllValues:StringEquals":{"dynamodb:Attributes":["id","name","email"]}}},
    {"Sid":"Sqs)" + n + R"(","Effect":"Allow","Action":"sqs:*Message*","Resource":"arn:aws:sqs:us-east-1:111122223333:q)" + n + R"(*"},
    {"Sid":"Kms)" + n + R"(","Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*",
     "Condition":{"StringEquals":{"aws:PrincipalTag/team":"team-)" + n + R"("}}},
    {"Sid":"Iam)" + n + R"(","Effect":"Allow","Action":["iam:GetUser","iam:ChangePassword"],
     "Resource":"arn:aws:iam::111122223333:user/${aws:username}"},
    {"Sid":"Mfa)" + n + R"(","Effect":"Deny","NotAction":["iam:*","sts:GetSessionToken"],"Resource":"*",
     "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"NumericGreaterThan":{"aws:MultiFactorAuthAge":"86400"}}},
    {"Sid":"Time)" + n + R"(","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*",
     "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}},
    {"Sid":"Tags)" + n + R"(","Effect":"Allow","Action":"ec2:*Tags","Resource":"arn:aws:ec2:*:*:instance/*",
     "Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["env","team-*"]}}}
  ]})";
}

PolicySet Workload() {
  PolicySet set;
  for (int i = 0; i < 10; ++i) set.identity.push_back(Policy::Parse(WorkloadPolicy(i), PolicyType::kIdentity).value());
  return set;
}

Request MakeRequest(const std::string& action, const std::string& resource) {
  Request r;
  r.principal = "arn:aws:iam::111122223333:user/alice";
  r.action = action;
  r.resource = resource;
  r.context.Set("aws:username", "alice");
  r.context.Set("aws:SourceIp", "10.1.2.3");
  r.context.Set("aws:MultiFactorAuthPresent", "true");
  r.context.Set("aws:MultiFactorAuthAge", "300");
  r.context.Set("aws:CurrentTime", "2026-11-28T12:00:00Z");
  r.context.Set("aws:PrincipalTag/team", "team-7");
  r.context.Set("s3:prefix", "home/alice/docs");
  r.context.SetMulti("aws:TagKeys", {"env", "owner"});
  return r;
}

// A mix of allowed, implicitly denied and explicitly denied questions.
std::vector<Request> Requests() {
  return {
      MakeRequest("s3:GetObject", "arn:aws:s3:::bucket-7/home/alice/notes.txt"),
      MakeRequest("s3:GetObject", "arn:aws:s3:::bucket-7/home/bob/notes.txt"),
      MakeRequest("s3:ListBucket", "arn:aws:s3:::bucket-3"),
      MakeRequest("ec2:DescribeInstances", "*"),
      MakeRequest("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/t5"),
      MakeRequest("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q9-orders"),
      MakeRequest("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/abc"),
      MakeRequest("iam:GetUser", "arn:aws:iam::111122223333:user/alice"),
      MakeRequest("s3:DeleteObject", "arn:aws:s3:::bucket-1/x"),
      MakeRequest("ec2:CreateTags", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"),
  };
}

// Cycles through Requests() against `set` (a PolicySet or a CompiledPolicySet).
template <typename Set>
void RunDecisions(benchmark::State& state, const Set& set) {
  std::vector<Request> requests = Requests();
  Decision d;
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    Evaluate(requests[i], set, d);
    allowed += d.effect == Effect::kAllow;
    if (++i == requests.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["decisions_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["allowed_share"] = static_cast<double>(allowed) / static_cast<double>(state.iterations());
}

// Through a CompiledPolicySet, as a server keeps a principal's policies.
void BM_Evaluate10x10(benchmark::State& state) { RunDecisions(state, CompiledPolicySet::Build(Workload())); }
BENCHMARK(BM_Evaluate10x10);

// The same decisions from the plain PolicySet (no preparation kept).
void BM_Evaluate10x10_PolicySet(benchmark::State& state) { RunDecisions(state, Workload()); }
BENCHMARK(BM_Evaluate10x10_PolicySet);

// Building the CompiledPolicySet of the 10x10 workload from parsed policies.
void BM_BuildCompiledPolicySet10x10(benchmark::State& state) {
  PolicySet set = Workload();
  for (auto _ : state) {
    CompiledPolicySet c = CompiledPolicySet::Build(set);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BuildCompiledPolicySet10x10);

void BM_CompilePolicy(benchmark::State& state) {
  std::string text = WorkloadPolicy(3);
  for (auto _ : state) {
    auto p = Policy::Parse(text, PolicyType::kIdentity);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompilePolicy);

// Heap held by one compiled 10-statement policy, measured by the allocator
// (mallinfo2) across 1,000 of them, not estimated.
void BM_MemoryPerCompiledPolicy(benchmark::State& state) {
  std::string text = WorkloadPolicy(3);
  for (auto _ : state) {
    std::vector<Policy> keep;
    keep.reserve(1000);
    size_t before = mallinfo2().uordblks;
    for (int i = 0; i < 1000; ++i) keep.push_back(Policy::Parse(text, PolicyType::kIdentity).value());
    size_t after = mallinfo2().uordblks;
    state.counters["bytes_per_policy"] = static_cast<double>(after - before) / 1000.0;
    state.counters["policy_json_bytes"] = static_cast<double>(text.size());
  }
}
BENCHMARK(BM_MemoryPerCompiledPolicy)->Iterations(3);

}  // namespace
}  // namespace iam::policy

BENCHMARK_MAIN();
