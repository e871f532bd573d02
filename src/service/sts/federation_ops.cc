// AssumeRoleWithWebIdentity and AssumeRoleWithSAML register here (they
// verify the identity provider's assertion, then call IssueRoleSession).
#include "service/sts/sts_ops.h"

namespace iam::service::sts {

void AddFederationOps(OpTable& /*ops*/) {}

}  // namespace iam::service::sts
