#!/usr/bin/python3
"""The IAM API of `iamd serve`, operation by operation, with boto3 and the AWS CLI.

Run with Debian's /usr/bin/python3 (boto3, botocore) and /usr/bin/aws:
    /usr/bin/python3 iam_api_test.py path/to/iamd
Covers what serve_test.py does not: every issue-4 operation with success and
its main errors, pagination across pages with botocore paginators, the
waiters, GetAccountAuthorizationDetails, ListPolicies' filters, the AWS
managed policies, tags of every taggable entity, and ${aws:username}
self-service of access keys and passwords.
"""
import json
import sys
import time

import boto3
import botocore.exceptions
from botocore.config import Config

from harness import Server, check, finish

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def doc(action, resource="*", effect="Allow"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": effect, "Action": action, "Resource": resource}]})


def error(code, fn, *args, **kwargs):
    """Calls fn expecting AWS error `code`; returns the error message."""
    try:
        fn(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        check(got == code, "%s: expected %s, got %s (%s)" % (fn.__name__, code, got, e.response["Error"].get("Message")))
        return e.response["Error"].get("Message", "")
    check(False, "%s%r: expected %s, succeeded" % (fn.__name__, kwargs, code))
    return ""


def paged(iam, operation, key, page_size, **kwargs):
    """Every item of `key` across all pages of a botocore paginator, and the page count."""
    items, pages = [], 0
    for page in iam.get_paginator(operation).paginate(PaginationConfig={"PageSize": page_size}, **kwargs):
        pages += 1
        items += page[key]
    return items, pages


def check_paged(iam, operation, key, name_key, expected, page_size, **kwargs):
    items, pages = paged(iam, operation, key, page_size, **kwargs)
    names = [i[name_key] if name_key else i for i in items]
    check(sorted(names) == sorted(expected) and len(set(names)) == len(names),
          "%s paginated: %r, expected %r" % (operation, names, expected))
    want_pages = max(1, -(-len(expected) // page_size))
    check(pages == want_pages, "%s: %d pages of %d, expected %d" % (operation, pages, page_size, want_pages))


def main():
    started = time.time()
    with Server(sys.argv[1]) as srv:
        run(srv)
    print("took %.1f s" % (time.time() - started))
    finish()


def run(srv):
    endpoint = srv.endpoint
    root_id, root_secret = srv.root
    cli = srv.cli()

    def client(key_id, secret):
        session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")
        # No client-side validation: the server must refuse bad input itself.
        return session.client("iam", endpoint_url=endpoint,
                              config=Config(retries={"max_attempts": 1}, parameter_validation=False))

    iam = client(root_id, root_secret)
    account = iam.get_user()["User"]["Arn"].split(":")[4]

    users_and_groups(iam, account)
    roles(iam, account)
    managed_policies(iam, account)
    inline_policies(iam)
    attachments_and_boundaries(iam, account)
    tags(iam, cli)
    access_keys_and_passwords(iam, client)
    instance_profiles(iam)
    account_views(iam, cli, client)
    aws_managed(iam, cli)
    self_service(iam, client, account)


def users_and_groups(iam, account):
    u = iam.create_user(UserName="ann", Path="/eng/", Tags=[{"Key": "team", "Value": "core"}])["User"]
    check(u["Arn"] == "arn:aws:iam::%s:user/eng/ann" % account and u["Tags"] == [{"Key": "team", "Value": "core"}],
          "create-user %r" % u)
    iam.get_waiter("user_exists").wait(UserName="ann", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    error("EntityAlreadyExists", iam.create_user, UserName="ANN")
    error("ValidationError", iam.create_user, UserName="a" * 65)
    error("NoSuchEntity", iam.get_user, UserName="nobody")
    error("NoSuchEntity", iam.delete_user, UserName="nobody")
    for i in range(7):
        iam.create_user(UserName="p%02d" % i, Path="/pool/")
    check_paged(iam, "list_users", "Users", "UserName", ["p%02d" % i for i in range(7)], 3, PathPrefix="/pool/")
    iam.update_user(UserName="p06", NewUserName="p06b", NewPath="/moved/")
    check(iam.get_user(UserName="p06b")["User"]["Path"] == "/moved/", "update-user path")
    error("EntityAlreadyExists", iam.update_user, UserName="p05", NewUserName="p06b")
    error("ValidationError", iam.list_users, Marker="garbage!")
    error("ValidationError", iam.list_users, MaxItems=0)
    error("ValidationError", iam.list_users, MaxItems=1001)
    marker = iam.list_users(MaxItems=1)["Marker"]
    error("ValidationError", iam.list_groups, Marker=marker)  # a marker of another list
    check(len(iam.list_users(MaxItems=1000)["Users"]) == 8, "MaxItems 1000")

    iam.create_group(GroupName="devs", Path="/eng/")
    error("EntityAlreadyExists", iam.create_group, GroupName="DEVS")
    for i in range(5):
        iam.add_user_to_group(GroupName="devs", UserName="p%02d" % i)
        iam.create_group(GroupName="g%d" % i)
        iam.add_user_to_group(GroupName="g%d" % i, UserName="ann")
    iam.add_user_to_group(GroupName="devs", UserName="p00")  # idempotent, as AWS
    check_paged(iam, "get_group", "Users", "UserName", ["p%02d" % i for i in range(5)], 2, GroupName="devs")
    check_paged(iam, "list_groups_for_user", "Groups", "GroupName", ["g%d" % i for i in range(5)], 2, UserName="ann")
    check_paged(iam, "list_groups", "Groups", "GroupName", ["devs"] + ["g%d" % i for i in range(5)], 4)
    error("DeleteConflict", iam.delete_group, GroupName="devs")
    error("NoSuchEntity", iam.remove_user_from_group, GroupName="devs", UserName="ann")
    error("DeleteConflict", iam.delete_user, UserName="p00")
    for i in range(5):
        iam.remove_user_from_group(GroupName="devs", UserName="p%02d" % i)
    iam.update_group(GroupName="devs", NewGroupName="developers", NewPath="/teams/")
    g = iam.get_group(GroupName="developers")["Group"]
    check(g["Path"] == "/teams/" and g["GroupName"] == "developers", "update-group %r" % g)
    iam.delete_group(GroupName="developers")
    error("NoSuchEntity", iam.get_group, GroupName="developers")
    iam.delete_user(UserName="p06b")


def roles(iam, account):
    error("MalformedPolicyDocument", iam.create_role, RoleName="bad", AssumeRolePolicyDocument=doc("sts:AssumeRole"))
    r = iam.create_role(RoleName="app", Path="/svc/", AssumeRolePolicyDocument=TRUST, Description="the app",
                        MaxSessionDuration=7200, Tags=[{"Key": "env", "Value": "prod"}])["Role"]
    check(r["Arn"] == "arn:aws:iam::%s:role/svc/app" % account and r["RoleId"].startswith("AROA"), "create-role %r" % r)
    iam.get_waiter("role_exists").wait(RoleName="app", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    error("EntityAlreadyExists", iam.create_role, RoleName="APP", AssumeRolePolicyDocument=TRUST)
    got = iam.get_role(RoleName="app")["Role"]
    check(got["AssumeRolePolicyDocument"] == json.loads(TRUST) and got["MaxSessionDuration"] == 7200
          and got["Description"] == "the app", "get-role %r" % got)
    iam.update_role(RoleName="app", MaxSessionDuration=43200)
    error("ValidationError", iam.update_role, RoleName="app", MaxSessionDuration=43201)
    error("ValidationError", iam.create_role, RoleName="short", AssumeRolePolicyDocument=TRUST, MaxSessionDuration=60)
    d = iam.update_role_description(RoleName="app", Description="new words")["Role"]
    check(d["Description"] == "new words" and d["MaxSessionDuration"] == 43200, "update-role-description %r" % d)
    trust2 = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % account}, "Action": "sts:AssumeRole"}]})
    iam.update_assume_role_policy(RoleName="app", PolicyDocument=trust2)
    check(iam.get_role(RoleName="app")["Role"]["AssumeRolePolicyDocument"] == json.loads(trust2), "trust updated")
    error("MalformedPolicyDocument", iam.update_assume_role_policy, RoleName="app", PolicyDocument="{not json")
    error("NoSuchEntity", iam.update_assume_role_policy, RoleName="ghost", PolicyDocument=trust2)
    for i in range(4):
        iam.create_role(RoleName="r%d" % i, AssumeRolePolicyDocument=TRUST)
    check_paged(iam, "list_roles", "Roles", "RoleName", ["app", "r0", "r1", "r2", "r3"], 2)
    check_paged(iam, "list_roles", "Roles", "RoleName", ["app"], 2, PathPrefix="/svc/")
    iam.delete_role(RoleName="r3")
    error("NoSuchEntity", iam.get_role, RoleName="r3")


def managed_policies(iam, account):
    error("MalformedPolicyDocument", iam.create_policy, PolicyName="bad", PolicyDocument='{"Statement":[]}')
    p = iam.create_policy(PolicyName="s3-read", Path="/data/", PolicyDocument=doc("s3:Get*"), Description="reads")
    arn = p["Policy"]["Arn"]
    check(arn == "arn:aws:iam::%s:policy/data/s3-read" % account and p["Policy"]["DefaultVersionId"] == "v1",
          "create-policy %r" % p)
    iam.get_waiter("policy_exists").wait(PolicyArn=arn, WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    error("EntityAlreadyExists", iam.create_policy, PolicyName="S3-READ", PolicyDocument=doc("s3:Get*"))
    error("NoSuchEntity", iam.get_policy, PolicyArn="arn:aws:iam::%s:policy/nope" % account)
    check(iam.get_policy(PolicyArn=arn)["Policy"]["Description"] == "reads", "get-policy description")
    for v in range(2, 6):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("s3:v%d" % v), SetAsDefault=(v == 3))
    error("LimitExceeded", iam.create_policy_version, PolicyArn=arn, PolicyDocument=doc("s3:v6"))
    check(iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3", "default after SetAsDefault")
    versions, _ = paged(iam, "list_policy_versions", "Versions", 2, PolicyArn=arn)
    check([v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"], "versions newest first %r" % versions)
    check([v["IsDefaultVersion"] for v in versions] == [False, False, True, False, False], "one default version")
    check_paged(iam, "list_policy_versions", "Versions", "VersionId", ["v1", "v2", "v3", "v4", "v5"], 2, PolicyArn=arn)
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
    v5 = iam.get_policy_version(PolicyArn=arn, VersionId="v5")["PolicyVersion"]
    check(v5["IsDefaultVersion"] and v5["Document"] == json.loads(doc("s3:v5")), "get-policy-version %r" % v5)
    error("DeleteConflict", iam.delete_policy_version, PolicyArn=arn, VersionId="v5")
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    error("NoSuchEntity", iam.get_policy_version, PolicyArn=arn, VersionId="v1")
    error("NoSuchEntity", iam.set_default_policy_version, PolicyArn=arn, VersionId="v1")
    error("DeleteConflict", iam.delete_policy, PolicyArn=arn)  # still has non-default versions
    for v in ("v2", "v3", "v4"):
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    iam.delete_policy(PolicyArn=arn)
    error("NoSuchEntity", iam.get_policy, PolicyArn=arn)


def inline_policies(iam):
    iam.create_group(GroupName="ops")
    for kind, name_key, name in (("user", "UserName", "ann"), ("group", "GroupName", "ops"), ("role", "RoleName", "app")):
        put = getattr(iam, "put_%s_policy" % kind)
        get = getattr(iam, "get_%s_policy" % kind)
        delete = getattr(iam, "delete_%s_policy" % kind)
        error("MalformedPolicyDocument", put, **{name_key: name, "PolicyName": "x", "PolicyDocument": '{"Version":"2012-10-17"}'})
        error("NoSuchEntity", put, **{name_key: "ghost", "PolicyName": "x", "PolicyDocument": doc("s3:*")})
        for i in range(5):
            put(**{name_key: name, "PolicyName": "pol%d" % i, "PolicyDocument": doc("s3:Get%d" % i)})
        got = get(**{name_key: name, "PolicyName": "pol2"})
        check(got["PolicyDocument"] == json.loads(doc("s3:Get2")) and got[name_key] == name, "get-%s-policy %r" % (kind, got))
        check_paged(iam, "list_%s_policies" % kind, "PolicyNames", None, ["pol%d" % i for i in range(5)], 2, **{name_key: name})
        delete(**{name_key: name, "PolicyName": "pol4"})
        error("NoSuchEntity", get, **{name_key: name, "PolicyName": "pol4"})
        error("NoSuchEntity", delete, **{name_key: name, "PolicyName": "pol4"})
    error("DeleteConflict", iam.delete_role, RoleName="app")  # inline policies


def attachments_and_boundaries(iam, account):
    arns = [iam.create_policy(PolicyName="m%d" % i, Path="/m/", PolicyDocument=doc("ec2:Describe%d" % i))["Policy"]["Arn"]
            for i in range(4)]
    iam.create_user(UserName="dev1", Path="/eng/")
    iam.create_user(UserName="dev2", Path="/ops/")
    for a in arns:
        iam.attach_user_policy(UserName="dev1", PolicyArn=a)
        iam.attach_group_policy(GroupName="ops", PolicyArn=a)
        iam.attach_role_policy(RoleName="app", PolicyArn=a)
    iam.attach_user_policy(UserName="dev2", PolicyArn=arns[0])
    iam.attach_user_policy(UserName="dev1", PolicyArn=arns[0])  # idempotent
    check_paged(iam, "list_attached_user_policies", "AttachedPolicies", "PolicyName", ["m0", "m1", "m2", "m3"], 3, UserName="dev1")
    check_paged(iam, "list_attached_group_policies", "AttachedPolicies", "PolicyName", ["m0", "m1", "m2", "m3"], 3, GroupName="ops")
    check_paged(iam, "list_attached_role_policies", "AttachedPolicies", "PolicyName", ["m0", "m1", "m2", "m3"], 3, RoleName="app")
    check(iam.get_policy(PolicyArn=arns[0])["Policy"]["AttachmentCount"] == 4, "attachment count")
    ents = iam.list_entities_for_policy(PolicyArn=arns[0])
    check([u["UserName"] for u in ents["PolicyUsers"]] == ["dev1", "dev2"] and
          [g["GroupName"] for g in ents["PolicyGroups"]] == ["ops"] and
          [r["RoleName"] for r in ents["PolicyRoles"]] == ["app"], "list-entities-for-policy %r" % ents)
    items = []
    for page in iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=arns[0], PaginationConfig={"PageSize": 1}):
        items += [g["GroupName"] for g in page["PolicyGroups"]] + [u["UserName"] for u in page["PolicyUsers"]] + \
                 [r["RoleName"] for r in page["PolicyRoles"]]
    check(items == ["ops", "dev1", "dev2", "app"], "list-entities-for-policy paged %r" % items)
    only_users = iam.list_entities_for_policy(PolicyArn=arns[0], EntityFilter="User", PathPrefix="/ops/")
    check([u["UserName"] for u in only_users["PolicyUsers"]] == ["dev2"] and not only_users["PolicyRoles"]
          and not only_users["PolicyGroups"], "entity filter and path prefix %r" % only_users)
    error("DeleteConflict", iam.delete_policy, PolicyArn=arns[0])
    error("DeleteConflict", iam.delete_user, UserName="dev2")
    iam.detach_user_policy(UserName="dev2", PolicyArn=arns[0])
    error("NoSuchEntity", iam.detach_user_policy, UserName="dev2", PolicyArn=arns[0])
    error("NoSuchEntity", iam.attach_user_policy, UserName="dev2", PolicyArn="arn:aws:iam::%s:policy/none" % account)
    for a in arns:
        iam.detach_group_policy(GroupName="ops", PolicyArn=a)
    check(iam.list_attached_group_policies(GroupName="ops")["AttachedPolicies"] == [], "group detached")
    iam.detach_role_policy(RoleName="app", PolicyArn=arns[3])

    # Permissions boundaries of users and roles; filters by how a policy is used.
    bound = iam.create_policy(PolicyName="bound", PolicyDocument=doc("s3:*"))["Policy"]["Arn"]
    iam.put_user_permissions_boundary(UserName="dev2", PermissionsBoundary=bound)
    iam.put_role_permissions_boundary(RoleName="r0", PermissionsBoundary=bound)
    error("NoSuchEntity", iam.put_user_permissions_boundary, UserName="dev2",
          PermissionsBoundary="arn:aws:iam::%s:policy/none" % account)
    check(iam.get_role(RoleName="r0")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == bound, "role boundary")
    check(iam.get_policy(PolicyArn=bound)["Policy"]["PermissionsBoundaryUsageCount"] == 2, "boundary usage count")
    b = iam.list_entities_for_policy(PolicyArn=bound, PolicyUsageFilter="PermissionsBoundary")
    check([u["UserName"] for u in b["PolicyUsers"]] == ["dev2"] and [r["RoleName"] for r in b["PolicyRoles"]] == ["r0"],
          "entities using the boundary %r" % b)
    check(iam.list_entities_for_policy(PolicyArn=bound, PolicyUsageFilter="PermissionsPolicy")["PolicyUsers"] == [],
          "boundary is no permissions policy")
    listed = [p["PolicyName"] for p in iam.list_policies(Scope="Local", PolicyUsageFilter="PermissionsBoundary")["Policies"]]
    check(listed == ["bound"], "list-policies PermissionsBoundary %r" % listed)
    listed = [p["PolicyName"] for p in iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]]
    check(listed == ["m0", "m1", "m2", "m3"], "list-policies OnlyAttached %r" % listed)
    listed = [p["PolicyName"] for p in iam.list_policies(Scope="Local", PathPrefix="/m/")["Policies"]]
    check(listed == ["m0", "m1", "m2", "m3"], "list-policies PathPrefix %r" % listed)
    error("DeleteConflict", iam.delete_policy, PolicyArn=bound)
    iam.delete_role_permissions_boundary(RoleName="r0")
    iam.delete_user_permissions_boundary(UserName="dev2")
    check("PermissionsBoundary" not in iam.get_user(UserName="dev2")["User"], "boundary removed")
    iam.delete_policy(PolicyArn=bound)


def tags(iam, cli):
    iam.create_policy(PolicyName="tagged", PolicyDocument=doc("s3:*"))
    iam.create_instance_profile(InstanceProfileName="tagged-ip", Tags=[{"Key": "a", "Value": "1"}])
    arn = [p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "tagged"][0]
    targets = [("user", {"UserName": "dev1"}), ("role", {"RoleName": "r1"}), ("policy", {"PolicyArn": arn}),
               ("instance_profile", {"InstanceProfileName": "tagged-ip"})]
    for kind, ident in targets:
        tag, untag = getattr(iam, "tag_%s" % kind), getattr(iam, "untag_%s" % kind)
        list_tags = getattr(iam, "list_%s_tags" % kind)
        tag(Tags=[{"Key": "Env", "Value": "prod"}, {"Key": "b", "Value": "2"}, {"Key": "c", "Value": ""}], **ident)
        tag(Tags=[{"Key": "ENV", "Value": "test"}], **ident)  # keys compare case-insensitively
        got = {t["Key"].lower(): t["Value"] for t in list_tags(**ident)["Tags"]}
        check(got.get("env") == "test" and len([k for k in got if k == "env"]) == 1, "%s tag overwrite %r" % (kind, got))
        first = list_tags(MaxItems=1, **ident)
        check(first["IsTruncated"] and len(first["Tags"]) == 1, "%s tags page %r" % (kind, first))
        keys = [t["Key"] for t in first["Tags"]]
        marker = first["Marker"]
        while marker:
            page = list_tags(MaxItems=1, Marker=marker, **ident)
            keys += [t["Key"] for t in page["Tags"]]
            marker = page.get("Marker") if page["IsTruncated"] else None
        check(len(keys) == len(got) and len(set(keys)) == len(keys), "%s tags across pages %r" % (kind, keys))
        error("ValidationError", list_tags, Marker="bogus!", **ident)
        untag(TagKeys=["env", "B"], **ident)
        left = {t["Key"] for t in list_tags(**ident)["Tags"]}
        check("b" not in left and "ENV" not in left and "c" in left, "%s untag %r" % (kind, left))
        # 50 more keys would make more than the 50 an entity may have.
        error("LimitExceeded", tag, Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(50)], **ident)
        error("InvalidInput", tag, Tags=[{"Key": "aws:x", "Value": "v"}], **ident)
    error("NoSuchEntity", iam.tag_instance_profile, InstanceProfileName="ghost", Tags=[{"Key": "k", "Value": "v"}])
    cli.ok("iam", "tag-instance-profile", "--instance-profile-name", "tagged-ip", "--tags", "Key=cli,Value=yes")
    listed = cli.ok("iam", "list-instance-profile-tags", "--instance-profile-name", "tagged-ip")
    check(listed and {"Key": "cli", "Value": "yes"} in listed["Tags"], "cli instance profile tags %r" % listed)
    cli.ok("iam", "untag-instance-profile", "--instance-profile-name", "tagged-ip", "--tag-keys", "cli")
    check(iam.get_instance_profile(InstanceProfileName="tagged-ip")["InstanceProfile"]["Tags"] ==
          [{"Key": "a", "Value": "1"}, {"Key": "c", "Value": ""}], "instance profile shows its tags")


def access_keys_and_passwords(iam, client):
    iam.create_user(UserName="kate")
    k1 = iam.create_access_key(UserName="kate")["AccessKey"]
    k2 = iam.create_access_key(UserName="kate")["AccessKey"]
    error("LimitExceeded", iam.create_access_key, UserName="kate")
    check_paged(iam, "list_access_keys", "AccessKeyMetadata", "AccessKeyId", [k1["AccessKeyId"], k2["AccessKeyId"]], 1,
                UserName="kate")
    last = iam.get_access_key_last_used(AccessKeyId=k1["AccessKeyId"])
    check(last["UserName"] == "kate" and last["AccessKeyLastUsed"]["ServiceName"] == "N/A", "never used %r" % last)
    kate = client(k1["AccessKeyId"], k1["SecretAccessKey"])
    error("AccessDenied", kate.list_users)  # no policies: implicit deny, but the key was used
    last = iam.get_access_key_last_used(AccessKeyId=k1["AccessKeyId"])["AccessKeyLastUsed"]
    check(last["ServiceName"] == "iam" and last["Region"] == "us-east-1" and "LastUsedDate" in last, "last used %r" % last)
    iam.update_access_key(UserName="kate", AccessKeyId=k1["AccessKeyId"], Status="Inactive")
    check([k["Status"] for k in iam.list_access_keys(UserName="kate")["AccessKeyMetadata"]
           if k["AccessKeyId"] == k1["AccessKeyId"]] == ["Inactive"], "key inactive")
    error("InvalidClientTokenId", kate.list_users)
    error("NoSuchEntity", iam.delete_access_key, UserName="kate", AccessKeyId="AKIAAAAAAAAAAAAAAAAA")
    iam.delete_access_key(UserName="kate", AccessKeyId=k1["AccessKeyId"])

    iam.update_account_password_policy(MinimumPasswordLength=10, RequireNumbers=True, AllowUsersToChangePassword=True,
                                       MaxPasswordAge=90, PasswordReusePrevention=3)
    pol = iam.get_account_password_policy()["PasswordPolicy"]
    check(pol["MinimumPasswordLength"] == 10 and pol["ExpirePasswords"] and pol["MaxPasswordAge"] == 90
          and pol["PasswordReusePrevention"] == 3, "password policy %r" % pol)
    error("ValidationError", iam.update_account_password_policy, MinimumPasswordLength=5)
    error("PasswordPolicyViolation", iam.create_login_profile, UserName="kate", Password="nodigitshere")
    lp = iam.create_login_profile(UserName="kate", Password="digits 1234", PasswordResetRequired=True)["LoginProfile"]
    check(lp["PasswordResetRequired"], "login profile %r" % lp)
    error("EntityAlreadyExists", iam.create_login_profile, UserName="kate", Password="digits 1234")
    iam.update_login_profile(UserName="kate", PasswordResetRequired=False)
    check(not iam.get_login_profile(UserName="kate")["LoginProfile"]["PasswordResetRequired"], "update-login-profile")
    error("PasswordPolicyViolation", iam.update_login_profile, UserName="kate", Password="short1")
    error("DeleteConflict", iam.delete_user, UserName="kate")
    iam.delete_login_profile(UserName="kate")
    error("NoSuchEntity", iam.get_login_profile, UserName="kate")
    iam.delete_account_password_policy()
    error("NoSuchEntity", iam.get_account_password_policy)
    error("NoSuchEntity", iam.delete_account_password_policy)


def instance_profiles(iam):
    iam.create_instance_profile(InstanceProfileName="web", Path="/svc/")
    iam.get_waiter("instance_profile_exists").wait(InstanceProfileName="web", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    error("EntityAlreadyExists", iam.create_instance_profile, InstanceProfileName="WEB")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")
    error("LimitExceeded", iam.add_role_to_instance_profile, InstanceProfileName="web", RoleName="r0")
    error("DeleteConflict", iam.delete_instance_profile, InstanceProfileName="web")
    for i in range(3):
        iam.create_instance_profile(InstanceProfileName="ip%d" % i)
        iam.add_role_to_instance_profile(InstanceProfileName="ip%d" % i, RoleName="app")
    check_paged(iam, "list_instance_profiles_for_role", "InstanceProfiles", "InstanceProfileName",
                ["web", "ip0", "ip1", "ip2"], 3, RoleName="app")
    check_paged(iam, "list_instance_profiles", "InstanceProfiles", "InstanceProfileName",
                ["web", "ip0", "ip1", "ip2", "tagged-ip"], 2)
    iam.remove_role_from_instance_profile(InstanceProfileName="ip2", RoleName="app")
    error("NoSuchEntity", iam.remove_role_from_instance_profile, InstanceProfileName="ip2", RoleName="app")
    iam.delete_instance_profile(InstanceProfileName="ip2")
    error("NoSuchEntity", iam.get_instance_profile, InstanceProfileName="ip2")


def account_views(iam, cli, client):
    users = len(list(paged(iam, "list_users", "Users", 100)[0]))
    summary = iam.get_account_summary()["SummaryMap"]
    check(summary["Users"] == users and summary["Roles"] == 4 and summary["InstanceProfiles"] == 4
          and summary["UsersQuota"] == 5000, "account summary %r" % summary)

    # Every entity exactly once across pages of GetAccountAuthorizationDetails.
    seen = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
    pages = 0
    for page in iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 4}):
        pages += 1
        for key in seen:
            seen[key] += page[key]
    names = lambda key, field: [x[field] for x in seen[key]]
    check(sorted(names("UserDetailList", "UserName")) == sorted(u["UserName"] for u in iam.list_users()["Users"]),
          "authorization details users %r" % names("UserDetailList", "UserName"))
    check(len(set(names("RoleDetailList", "RoleName"))) == 4 and pages > 3, "roles once each, %d pages" % pages)
    dev1 = [u for u in seen["UserDetailList"] if u["UserName"] == "dev1"][0]
    check(sorted(p["PolicyName"] for p in dev1["AttachedManagedPolicies"]) == ["m0", "m1", "m2", "m3"]
          and dev1["Path"] == "/eng/", "user detail %r" % dev1)
    ann = [u for u in seen["UserDetailList"] if u["UserName"] == "ann"][0]
    check(sorted(ann["GroupList"]) == ["g0", "g1", "g2", "g3", "g4"] and len(ann["UserPolicyList"]) == 4
          and ann["UserPolicyList"][0]["PolicyDocument"]["Statement"][0]["Action"] == "s3:Get0", "inline in detail %r" % ann)
    app = [r for r in seen["RoleDetailList"] if r["RoleName"] == "app"][0]
    check(sorted(p["InstanceProfileName"] for p in app["InstanceProfileList"]) == ["ip0", "ip1", "web"]
          and app["AssumeRolePolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"
          and app["Tags"] == [{"Key": "env", "Value": "prod"}] and "RoleLastUsed" in app, "role detail %r" % app)
    ops = [g for g in seen["GroupDetailList"] if g["GroupName"] == "ops"][0]
    check(len(ops["GroupPolicyList"]) == 4 and ops["AttachedManagedPolicies"] == [], "group detail %r" % ops)
    m0 = [p for p in seen["Policies"] if p["PolicyName"] == "m0"][0]
    check(m0["PolicyVersionList"][0]["IsDefaultVersion"] and
          m0["PolicyVersionList"][0]["Document"]["Statement"][0]["Action"] == "ec2:Describe0", "policy detail %r" % m0)
    check(not [p for p in seen["Policies"] if p["Arn"].startswith("arn:aws:iam::aws:")], "unused AWS policies left out")
    only = iam.get_account_authorization_details(Filter=["Role", "LocalManagedPolicy"])
    check(not only["UserDetailList"] and not only["GroupDetailList"] and len(only["RoleDetailList"]) == 4
          and only["Policies"], "filter %r" % {k: len(v) for k, v in only.items() if isinstance(v, list)})
    cli_view = cli.ok("iam", "get-account-authorization-details", "--filter", "User")
    check(cli_view and len(cli_view["UserDetailList"]) == users and not cli_view["RoleDetailList"], "cli details")
    error("ValidationError", iam.get_account_authorization_details, Marker="xx")
    k = iam.create_access_key(UserName="dev1")["AccessKey"]
    dev1_client = client(k["AccessKeyId"], k["SecretAccessKey"])
    msg = error("AccessDenied", dev1_client.get_account_authorization_details)
    check("iam:GetAccountAuthorizationDetails on resource: *" in msg, "details authorized against *: %r" % msg)


def aws_managed(iam, cli):
    aws = {p["PolicyName"]: p for p in cli.ok("iam", "list-policies", "--scope", "AWS")["Policies"]}
    for name in ("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit",
                 "IAMFullAccess", "IAMReadOnlyAccess", "IAMUserChangePassword"):
        check(name in aws, "AWS managed %s listed" % name)
    check(aws["ViewOnlyAccess"]["Arn"] == "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "job-function path")
    change = iam.get_policy_version(PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword", VersionId="v1")
    check(change["PolicyVersion"]["Document"]["Statement"][0] ==
          {"Effect": "Allow", "Action": ["iam:ChangePassword"], "Resource": ["arn:aws:iam::*:user/${aws:username}"]},
          "IAMUserChangePassword document %r" % change)
    iam.attach_user_policy(UserName="dev2", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    attached = [p["PolicyName"] for p in iam.list_policies(Scope="AWS", OnlyAttached=True)["Policies"]]
    check(attached == ["ReadOnlyAccess"], "AWS attached only %r" % attached)
    check(iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")["Policy"]["AttachmentCount"] == 1, "count")
    local = [p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]]
    check(local and not [a for a in local if ":aws:policy" in a], "local scope %r" % local)
    everything, _ = paged(iam, "list_policies", "Policies", 3)
    check(len(everything) == len(local) + len(aws) and len({p["Arn"] for p in everything}) == len(everything),
          "list-policies across pages")
    error("UnmodifiableEntity", iam.delete_policy, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    error("UnmodifiableEntity", iam.create_policy_version, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess",
          PolicyDocument=doc("*"))


def self_service(iam, client, account):
    # AWS's documented example: users manage their own access keys, and
    # change their own password with IAMUserChangePassword.
    keys_doc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "ManageOwnAccessKeys", "Effect": "Allow",
         "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed", "iam:GetUser",
                    "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:TagUser"],
         "Resource": "arn:aws:iam::*:user/${aws:username}"}]})
    iam.create_group(GroupName="self-service")
    iam.put_group_policy(GroupName="self-service", PolicyName="own-keys", PolicyDocument=keys_doc)
    iam.attach_group_policy(GroupName="self-service", PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")
    for name in ("sam", "tom"):
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="self-service", UserName=name)
        iam.create_login_profile(UserName=name, Password="first pass 1")
    k = iam.create_access_key(UserName="sam")["AccessKey"]
    sam = client(k["AccessKeyId"], k["SecretAccessKey"])
    mine = sam.create_access_key()["AccessKey"]  # no UserName: the caller
    check(mine["UserName"] == "sam", "own key %r" % mine)
    check(len(sam.list_access_keys()["AccessKeyMetadata"]) == 2, "lists own keys")
    sam.update_access_key(AccessKeyId=mine["AccessKeyId"], Status="Inactive")
    check(sam.get_access_key_last_used(AccessKeyId=k["AccessKeyId"])["UserName"] == "sam", "own key last used")
    sam.delete_access_key(AccessKeyId=mine["AccessKeyId"])
    msg = error("AccessDenied", sam.create_access_key, UserName="tom")
    check("arn:aws:iam::%s:user/tom" % account in msg, "denied on tom's ARN: %r" % msg)
    error("AccessDenied", sam.list_access_keys, UserName="tom")
    tom_key = iam.create_access_key(UserName="tom")["AccessKey"]
    error("AccessDenied", sam.delete_access_key, UserName="tom", AccessKeyId=tom_key["AccessKeyId"])
    error("AccessDenied", sam.get_access_key_last_used, AccessKeyId=tom_key["AccessKeyId"])
    error("AccessDenied", sam.list_users)
    sam.change_password(OldPassword="first pass 1", NewPassword="second pass 2")
    error("AccessDenied", sam.update_login_profile, UserName="tom", Password="hijacked 12")
    error("AccessDenied", sam.delete_login_profile, UserName="tom")


if __name__ == "__main__":
    main()
