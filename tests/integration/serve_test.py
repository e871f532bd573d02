#!/usr/bin/python3
"""End-to-end test of `iamd serve` with the real AWS CLI and boto3.

Run with Debian's /usr/bin/python3 (boto3, botocore) and /usr/bin/aws:
    /usr/bin/python3 serve_test.py path/to/iamd
Starts the server on a free loopback port with a fresh data folder, drives it,
and stops it with SIGTERM (exit status 0 expected).
"""
import json
import os
import stat
import subprocess
import sys
import tempfile
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from harness import FAILURES, Cli, check, cli_env, finish, start, stop  # noqa: E402


def main():
    iamd = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="iamd-serve-test-")
    data = os.path.join(tmp, "data")
    proc, endpoint = start(iamd, data)
    try:
        run_checks(iamd, endpoint, data, tmp)
    finally:
        rc, out, err = stop(proc)
        check(rc == 0, "SIGTERM: exit status %s" % rc)
        check("credentials" in out and os.path.join(data, "credentials") in out, "startup output names the credentials: %r" % out)
        if FAILURES:
            print("--- iamd stdout ---\n" + out + "--- iamd stderr ---\n" + err)

    # A later start reuses the store and keeps the credentials file.
    before = open(os.path.join(data, "credentials")).read()
    proc, endpoint2 = start(iamd, data)
    try:
        users = Cli(endpoint2, cli_env(data, tmp)).ok("iam", "list-users")
        check(users and len(users["Users"]) >= 3, "second start sees the users: %r" % users)
    finally:
        check(stop(proc)[0] == 0, "second start: SIGTERM exit 0")
    check(open(os.path.join(data, "credentials")).read() == before, "credentials file not rewritten")

    finish()


def run_checks(iamd, endpoint, data, tmp):
    creds_path = os.path.join(data, "credentials")
    mode = stat.S_IMODE(os.stat(creds_path).st_mode)
    check(mode == 0o600, "credentials mode %o" % mode)
    text = open(creds_path).read()
    lines = text.splitlines()
    check(lines[0] == "[default]", "credentials profile: %r" % lines[0])
    root_id = lines[1].split(" = ")[1]
    root_secret = lines[2].split(" = ")[1]
    check(lines[1].startswith("aws_access_key_id = AKIA") and len(root_id) == 20, "access key line")
    check(lines[2].startswith("aws_secret_access_key = ") and len(root_secret) == 40, "secret line")

    env = cli_env(data, tmp)
    cli = Cli(endpoint, env)
    # boto3 for the bulk of set-up calls (the CLI starts a Python per call).
    session = boto3.session.Session(aws_access_key_id=root_id, aws_secret_access_key=root_secret,
                                    region_name="us-east-1")
    iam = session.client("iam", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))

    ident = cli.ok("sts", "get-caller-identity")
    account = ident["Account"]
    check(len(account) == 12 and account.isdigit(), "account id %r" % account)
    check(ident["Arn"] == "arn:aws:iam::%s:root" % account, "root arn %r" % ident)

    alice = cli.ok("iam", "create-user", "--user-name", "alice", "--path", "/team/")
    check(alice["User"]["Arn"] == "arn:aws:iam::%s:user/team/alice" % account, "alice arn %r" % alice)
    check(alice["User"]["UserId"].startswith("AIDA"), "user id")
    got = cli.ok("iam", "get-user", "--user-name", "alice")
    check(got["User"]["UserName"] == "alice" and got["User"]["Path"] == "/team/", "get-user %r" % got)
    cli.error("EntityAlreadyExists", "iam", "create-user", "--user-name", "alice")
    cli.error("NoSuchEntity", "iam", "get-user", "--user-name", "nobody")
    cli.error("ValidationError", "iam", "create-user", "--user-name", "bad name!")

    for i in range(5):
        iam.create_user(UserName="u%d" % i)
    listed = cli.ok("iam", "list-users", "--page-size", "2")
    names = [u["UserName"] for u in listed["Users"]]
    check(names == ["alice", "u0", "u1", "u2", "u3", "u4"], "paginated list-users %r" % names)
    page = cli.ok("iam", "list-users", "--max-items", "2")
    check(len(page["Users"]) == 2 and "NextToken" in page, "max-items page %r" % page)
    rest = cli.ok("iam", "list-users", "--max-items", "10", "--starting-token", page["NextToken"])
    check([u["UserName"] for u in rest["Users"]] == ["u1", "u2", "u3", "u4"], "second page %r" % rest)
    team = cli.ok("iam", "list-users", "--path-prefix", "/team/")
    check([u["UserName"] for u in team["Users"]] == ["alice"], "path prefix %r" % team)

    # A user with a key and no policies: implicit deny, AWS's message.
    cli.ok("iam", "create-user", "--user-name", "bob")
    key = cli.ok("iam", "create-access-key", "--user-name", "bob")["AccessKey"]
    check(key["AccessKeyId"].startswith("AKIA") and len(key["SecretAccessKey"]) == 40, "access key %r" % key["AccessKeyId"])
    keys = cli.ok("iam", "list-access-keys", "--user-name", "bob")
    check([k["AccessKeyId"] for k in keys["AccessKeyMetadata"]] == [key["AccessKeyId"]], "list-access-keys")
    with open(creds_path, "a") as f:
        f.write("[bob]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (key["AccessKeyId"], key["SecretAccessKey"]))
        f.write("[wrong]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (key["AccessKeyId"], "x" * 40))
        f.write("[unknown]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = %s\n" % ("y" * 40))

    bob_arn = "arn:aws:iam::%s:user/bob" % account
    cli.error("AccessDenied", "iam", "create-user", "--user-name", "carol", profile="bob",
              message="User: %s is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::%s:user/carol "
                      "because no identity-based policy allows the iam:CreateUser action" % (bob_arn, account))
    who = cli.ok("sts", "get-caller-identity", profile="bob")
    check(who["Arn"] == bob_arn and who["Account"] == account and who["UserId"].startswith("AIDA"), "bob identity %r" % who)

    # Self-service through a group policy with ${aws:username}.
    iam.create_group(GroupName="developers")
    iam.add_user_to_group(GroupName="developers", UserName="bob")
    doc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::*:user/${aws:username}"}]})
    cli.ok("iam", "put-group-policy", "--group-name", "developers", "--policy-name", "self", "--policy-document", doc)
    me = cli.ok("iam", "get-user", profile="bob")
    check(me and me["User"]["UserName"] == "bob", "bob reads himself %r" % me)
    cli.error("AccessDenied", "iam", "get-user", "--user-name", "alice", profile="bob",
              message="on resource: arn:aws:iam::%s:user/team/alice" % account)

    # An explicit deny wins.
    deny = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "iam:GetUser", "Resource": "*"}]})
    cli.ok("iam", "put-user-policy", "--user-name", "bob", "--policy-name", "deny", "--policy-document", deny)
    cli.error("AccessDenied", "iam", "get-user", profile="bob",
              message="with an explicit deny in an identity-based policy")
    got = cli.ok("iam", "get-user-policy", "--user-name", "bob", "--policy-name", "deny")
    check(got and got["PolicyDocument"] == json.loads(deny), "get-user-policy %r" % got)
    iam.delete_user_policy(UserName="bob", PolicyName="deny")
    cli.ok("iam", "get-user", profile="bob")

    # Authentication failures.
    cli.error("SignatureDoesNotMatch", "iam", "list-users", profile="wrong")
    cli.error("InvalidClientTokenId", "sts", "get-caller-identity", profile="unknown")

    # Policy documents and conflicts.
    cli.error("MalformedPolicyDocument", "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "p",
              "--policy-document", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*"}]}')
    big = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::%s:user/%s" % (account, "x" * 60)}
        for _ in range(30)]})
    cli.error("LimitExceeded", "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "big",
              "--policy-document", big)
    cli.error("DeleteConflict", "iam", "delete-user", "--user-name", "bob")
    pol = cli.ok("iam", "create-policy", "--policy-name", "readers", "--policy-document", doc)
    check(pol["Policy"]["Arn"] == "arn:aws:iam::%s:policy/readers" % account, "create-policy %r" % pol)
    iam.attach_user_policy(UserName="alice", PolicyArn=pol["Policy"]["Arn"])
    used = cli.ok("iam", "get-access-key-last-used", "--access-key-id", key["AccessKeyId"])
    check(used and used["UserName"] == "bob" and used["AccessKeyLastUsed"]["ServiceName"] in ("iam", "sts")
          and used["AccessKeyLastUsed"]["Region"] == "us-east-1" and "LastUsedDate" in used["AccessKeyLastUsed"],
          "get-access-key-last-used %r" % used)
    cli.ok("iam", "update-access-key", "--user-name", "bob", "--access-key-id", key["AccessKeyId"], "--status", "Inactive")
    cli.error("InvalidClientTokenId", "iam", "get-user", profile="bob")
    iam.delete_access_key(UserName="bob", AccessKeyId=key["AccessKeyId"])
    summary = cli.ok("iam", "get-account-summary")
    check(summary["SummaryMap"]["Users"] == 7, "account summary %r" % summary)

    # boto3: an unknown action, and the user_exists waiter.
    check(len(iam.list_users()["Users"]) == 7, "boto3 list_users")
    raw = raw_call(session, endpoint, "FrobnicateUsers")
    check("<Code>InvalidAction</Code>" in raw[1] and raw[0] == 400, "InvalidAction: %r" % (raw,))
    grp = iam.get_group(GroupName="developers")
    check([u["UserName"] for u in grp["Users"]] == ["bob"], "get_group %r" % grp["Users"])
    iam.tag_user(UserName="alice", Tags=[{"Key": "team", "Value": "a"}, {"Key": "x", "Value": "1"}])
    iam.untag_user(UserName="alice", TagKeys=["x"])
    check(iam.list_user_tags(UserName="alice")["Tags"] == [{"Key": "team", "Value": "a"}], "user tags")
    arn = "arn:aws:iam::%s:policy/readers" % account_of(iam)
    local = [p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]]
    check(local == [arn], "list_policies Local %r" % local)
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}), SetAsDefault=True)["PolicyVersion"]
    check(v2["VersionId"] == "v2" and v2["IsDefaultVersion"], "create_policy_version %r" % v2)
    doc = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]["Document"]
    check(doc["Statement"][0]["Action"] == "iam:ListUsers", "get_policy_version %r" % doc)
    ents = iam.list_entities_for_policy(PolicyArn=arn)
    check([u["UserName"] for u in ents["PolicyUsers"]] == ["alice"], "list_entities_for_policy %r" % ents)
    iam.create_user(UserName="tmpu")
    iam.update_user(UserName="tmpu", NewUserName="tmpu2")
    iam.delete_user(UserName="tmpu2")
    iam.get_waiter("user_exists").wait(UserName="alice", WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    users = [u["UserName"] for p in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 3})
             for u in p["Users"]]
    check(users == ["alice", "bob", "u0", "u1", "u2", "u3", "u4"], "boto3 paginator %r" % users)

    # Roles, with trust policies checked as such.
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    role = cli.ok("iam", "create-role", "--role-name", "app", "--path", "/svc/",
                  "--assume-role-policy-document", trust)
    check(role and role["Role"]["Arn"].endswith(":role/svc/app"), "create-role %r" % role)
    iam.get_waiter("role_exists").wait(RoleName="app", WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    got = cli.ok("iam", "get-role", "--role-name", "app")
    check(got and got["Role"]["AssumeRolePolicyDocument"] == json.loads(trust), "get-role %r" % got)
    cli.error("MalformedPolicyDocument", "iam", "create-role", "--role-name", "bad",
              "--assume-role-policy-document", doc_without_principal())
    iam.put_role_policy(RoleName="app", PolicyName="p", PolicyDocument=doc_allow("iam:GetUser"))
    check([r["RoleName"] for r in cli.ok("iam", "list-roles")["Roles"]] == ["app"], "list-roles")

    # AWS managed policies: listed with --scope AWS, attachable, and enforced.
    aws_names = sorted(p["PolicyName"] for p in cli.ok("iam", "list-policies", "--scope", "AWS")["Policies"])
    check({"AdministratorAccess", "IAMFullAccess", "IAMReadOnlyAccess", "IAMUserChangePassword", "ReadOnlyAccess"} <= set(aws_names),
          "AWS managed policies %r" % aws_names)
    iam.create_user(UserName="reader")
    iam.attach_user_policy(UserName="reader", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    rk = iam.create_access_key(UserName="reader")["AccessKey"]
    with open(os.path.join(data, "credentials"), "a") as f:
        f.write("[reader]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (rk["AccessKeyId"], rk["SecretAccessKey"]))
    check(len(cli.ok("iam", "list-users", profile="reader")["Users"]) == 8, "reader lists users")
    cli.error("AccessDenied", "iam", "create-user", "--user-name", "nope", profile="reader")

    # Login profiles under the account password policy; self-service ChangePassword.
    cli.ok("iam", "update-account-password-policy", "--minimum-password-length", "12", "--require-numbers")
    pol = cli.ok("iam", "get-account-password-policy")["PasswordPolicy"]
    check(pol["MinimumPasswordLength"] == 12 and pol["RequireNumbers"], "password policy %r" % pol)
    cli.error("PasswordPolicyViolation", "iam", "create-login-profile", "--user-name", "reader", "--password", "short1")
    try:
        iam.create_login_profile(UserName="reader", Password="longenoughbutnodigits")
        check(False, "password without digits accepted")
    except botocore.exceptions.ClientError as e:
        check(e.response["Error"]["Code"] == "PasswordPolicyViolation", "no digits: %r" % e.response["Error"])
    lp = cli.ok("iam", "create-login-profile", "--user-name", "reader", "--password", "correct horse 1")
    check(lp and lp["LoginProfile"]["UserName"] == "reader", "create-login-profile %r" % lp)
    iam.attach_user_policy(UserName="reader", PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")
    cli.ok("iam", "change-password", "--old-password", "correct horse 1", "--new-password", "battery staple 2",
           profile="reader")
    iam.delete_login_profile(UserName="reader")
    check(iam.exceptions.NoSuchEntityException is not None, "modeled exception")
    try:
        iam.get_login_profile(UserName="reader")
        check(False, "login profile still there")
    except iam.exceptions.NoSuchEntityException:
        pass
    iam.delete_account_password_policy()

    # A permissions boundary narrows what the reader's policies allow.
    only = iam.create_policy(PolicyName="only-get-user", PolicyDocument=doc_allow("iam:GetUser"))["Policy"]["Arn"]
    iam.put_user_permissions_boundary(UserName="reader", PermissionsBoundary=only)
    check(iam.get_user(UserName="reader")["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == only, "boundary shown")
    cli.ok("iam", "get-user", profile="reader")
    cli.error("AccessDenied", "iam", "list-users", profile="reader",
              message="because no permissions boundary allows the iam:ListUsers action")
    iam.delete_user_permissions_boundary(UserName="reader")

    # Instance profiles and role tags.
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")
    ip = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    check([r["RoleName"] for r in ip["Roles"]] == ["app"], "instance profile roles %r" % ip)
    iam.tag_role(RoleName="app", Tags=[{"Key": "env", "Value": "prod"}])
    check(iam.list_role_tags(RoleName="app")["Tags"] == [{"Key": "env", "Value": "prod"}], "role tags")
    cli.error("DeleteConflict", "iam", "delete-role", "--role-name", "app")
    cli.error("NoSuchEntity", "iam", "get-account-password-policy")


def doc_allow(action):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


def doc_without_principal():
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]})


def account_of(iam):
    return iam.get_user()["User"]["Arn"].split(":")[4]


def raw_call(session, endpoint, action):
    """A SigV4-signed POST with any Action, as boto3 would sign it."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    body = "Action=%s&Version=2010-05-08" % action
    req = AWSRequest(method="POST", url=endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(session.get_credentials(), "iam", "us-east-1").add_auth(req)
    r = urllib.request.Request(endpoint + "/", data=body.encode(), headers=dict(req.headers.items()), method="POST")
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


if __name__ == "__main__":
    main()
