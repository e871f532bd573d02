// AWS IAM's default quotas, in one place, configurable per server. The store
// enforces them with kLimitExceeded and AWS's message
// ("Cannot exceed quota for UsersPerAccount: 5000.").
#pragma once

namespace iam::store {

struct Quotas {
  int users_per_account = 5000;
  int groups_per_account = 300;
  int groups_per_user = 10;
  int roles_per_account = 1000;
  int instance_profiles_per_account = 1000;
  int roles_per_instance_profile = 1;
  int policies_per_account = 1500;  // customer managed
  int attached_policies_per_user = 10;
  int attached_policies_per_group = 10;
  int attached_policies_per_role = 10;
  int access_keys_per_user = 2;
  int versions_per_policy = 5;
  int tags_per_entity = 50;
  int mfa_devices_per_user = 8;
  int oidc_providers_per_account = 100;
  int saml_providers_per_account = 100;
  int client_ids_per_oidc_provider = 100;
  int thumbprints_per_oidc_provider = 5;
  // Policy sizes in characters, counted without white space as AWS does.
  // Inline limits are per principal, summed over its inline policies.
  int user_inline_policy_size = 2048;
  int group_inline_policy_size = 5120;
  int role_inline_policy_size = 10240;
  int managed_policy_size = 6144;
  int trust_policy_size = 2048;
};

}  // namespace iam::store
