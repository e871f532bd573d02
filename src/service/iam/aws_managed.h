// AWS managed policies that users reach for first, under
// arn:aws:iam::aws:policy/NAME, seeded into the store so that they can be
// attached and listed (--scope AWS) as on AWS. Documents as AWS publishes them.
#pragma once

#include "iamd/status.h"
#include "store/store.h"

namespace iam::service {

// Creates the policies the store does not have yet (existing ones are left
// alone, so that restarts add no versions). `account_id` is any account (AWS
// managed policies are visible to all). Codes of Store::SeedAwsManagedPolicy.
Status SeedAwsManagedPolicies(store::Store& store, const std::string& account_id);

}  // namespace iam::service
