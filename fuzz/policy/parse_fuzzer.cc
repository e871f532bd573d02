// Fuzzes the policy parser and compiler with every policy type, and
// evaluates whatever parses against a fixed request: no crash, no sanitizer
// report, no exception may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "iamd/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace iam::policy;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const PolicyType kTypes[] = {PolicyType::kIdentity, PolicyType::kResource, PolicyType::kTrust,
                                      PolicyType::kSession};
  Request req;
  req.principal = "arn:aws:iam::111122223333:user/alice";
  req.action = "s3:GetObject";
  req.resource = "arn:aws:s3:::bucket/alice/key";
  req.context.Set("aws:username", "alice");
  req.context.Set("aws:SourceIp", "10.0.0.1");
  req.context.SetMulti("aws:TagKeys", {"a", "b"});
  for (PolicyType t : kTypes) {
    auto p = Policy::Parse(text, t);
    if (!p.ok()) continue;
    PolicySet set;
    if (t == PolicyType::kResource || t == PolicyType::kTrust) {
      set.resource = *p;
    } else {
      set.identity.push_back(*p);
    }
    Decision d = Evaluate(req, set);
    (void)d;
  }
  return 0;
}
