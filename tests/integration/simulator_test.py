#!/usr/bin/python3
"""The policy simulator through `iamd serve`, with boto3 and the AWS CLI.

    /usr/bin/python3 simulator_test.py path/to/iamd path/to/generate_cases.mjs

Checks SimulatePrincipalPolicy, SimulateCustomPolicy, the context-key
listings and ListPoliciesGrantingServiceAccess, then asserts that the
simulator and `iamd eval` agree on a few hundred generated cases (they share
the engine; the simulator adds the API around it).
"""
import json
import os
import subprocess
import sys

import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, check, finish  # noqa: E402

AWS = "/usr/bin/aws"
ALLOW_S3 = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::bucket/*"},
    {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/secret/*"},
    {"Sid": "Office", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket",
     "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}, indent=2)


def error_code(fn, **kw):
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return None


def custom_policy_checks(iam):
    r = iam.simulate_custom_policy(
        PolicyInputList=[ALLOW_S3], ActionNames=["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
        ResourceArns=["arn:aws:s3:::bucket/a.txt", "arn:aws:s3:::bucket/secret/k"])
    results = {x["EvalActionName"]: x for x in r["EvaluationResults"]}
    get = results["s3:GetObject"]
    check(get["EvalDecision"] == "explicitDeny", "GetObject: most restrictive over resources: %r" % get)
    per = {x["EvalResourceName"]: x for x in get["ResourceSpecificResults"]}
    check(per["arn:aws:s3:::bucket/a.txt"]["EvalResourceDecision"] == "allowed", "a.txt allowed: %r" % per)
    deny = per["arn:aws:s3:::bucket/secret/k"]
    check(deny["EvalResourceDecision"] == "explicitDeny", "secret denied")
    st = deny["MatchedStatements"][0]
    # json.dumps(indent=2): the second statement opens on line 10, column 5.
    check(st["SourcePolicyId"] == "PolicyInputList.1" and st["SourcePolicyType"] == "none", "source: %r" % st)
    check(st["StartPosition"] == {"Line": 10, "Column": 5}, "start position: %r" % st["StartPosition"])
    check(st["EndPosition"] == {"Line": 15, "Column": 5}, "end position: %r" % st["EndPosition"])
    check(results["s3:PutObject"]["EvalDecision"] == "implicitDeny", "PutObject: implicit deny")
    check(results["s3:PutObject"]["MatchedStatements"] == [], "implicit deny matches nothing")

    # Without resources: MissingContextValues at the top level.
    r = iam.simulate_custom_policy(PolicyInputList=[ALLOW_S3], ActionNames=["s3:ListBucket"])
    res = r["EvaluationResults"][0]
    check(res["EvalResourceName"] == "*" and res["MissingContextValues"] == ["aws:SourceIp"], "missing: %r" % res)
    r = iam.simulate_custom_policy(
        PolicyInputList=[ALLOW_S3], ActionNames=["s3:ListBucket"], ResourceArns=["arn:aws:s3:::bucket"],
        ContextEntries=[{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.2.3"], "ContextKeyType": "ip"}])
    check(r["EvaluationResults"][0]["EvalDecision"] == "allowed", "context entry allows: %r" % r)

    # A permissions boundary and its detail.
    boundary = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]})
    r = iam.simulate_custom_policy(PolicyInputList=[ALLOW_S3], PermissionsBoundaryPolicyInputList=[boundary],
                                   ActionNames=["s3:GetObject"], ResourceArns=["arn:aws:s3:::bucket/a.txt"])
    res = r["EvaluationResults"][0]
    check(res["EvalDecision"] == "implicitDeny", "boundary limits: %r" % res)
    check(res["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}, "boundary detail")

    # Pagination over actions.
    actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetBucketPolicy"]
    seen, marker = [], None
    while True:
        kw = {"Marker": marker} if marker else {}
        page = iam.simulate_custom_policy(PolicyInputList=[ALLOW_S3], ActionNames=actions, MaxItems=2, **kw)
        seen += [x["EvalActionName"] for x in page["EvaluationResults"]]
        if not page["IsTruncated"]:
            break
        marker = page["Marker"]
    check(seen == actions, "pages: %r" % seen)

    # Context keys, in order of appearance (AWS's documented example).
    doc = ('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":'
           '"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":'
           '{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}')
    keys = iam.get_context_keys_for_custom_policy(PolicyInputList=[doc])["ContextKeyNames"]
    check(keys == ["aws:username", "aws:CurrentTime"], "context keys: %r" % keys)

    check(error_code(iam.simulate_custom_policy, PolicyInputList=['{"Statement": ['],
                     ActionNames=["s3:GetObject"]) == "InvalidInput", "malformed policy: InvalidInput")


def principal_policy_checks(srv, iam):
    iam.create_user(UserName="ana")
    iam.create_group(GroupName="readers")
    iam.add_user_to_group(GroupName="readers", UserName="ana")
    iam.put_group_policy(GroupName="readers", PolicyName="read", PolicyDocument=ALLOW_S3)
    iam.put_user_policy(UserName="ana", PolicyName="own-keys", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*AccessKey*",
                                                "Resource": "arn:aws:iam::*:user/${aws:username}"}]}))
    arn = iam.get_user(UserName="ana")["User"]["Arn"]

    env = dict(os.environ, AWS_ACCESS_KEY_ID=srv.root[0], AWS_SECRET_ACCESS_KEY=srv.root[1],
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    p = subprocess.run([AWS, "--endpoint-url", srv.endpoint, "--output", "json", "iam", "simulate-principal-policy",
                        "--policy-source-arn", arn, "--action-names", "s3:GetObject", "iam:CreateAccessKey",
                        "--resource-arns", "arn:aws:s3:::bucket/x", arn,
                        "--context-entries", "ContextKeyName=aws:username,ContextKeyValues=ana,ContextKeyType=string"],
                       env=env, capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "aws simulate-principal-policy: %s" % p.stderr)
    if p.returncode == 0:
        results = {r["EvalActionName"]: r for r in json.loads(p.stdout)["EvaluationResults"]}
        get = {x["EvalResourceName"]: x for x in results["s3:GetObject"]["ResourceSpecificResults"]}
        m = get["arn:aws:s3:::bucket/x"]
        check(m["EvalResourceDecision"] == "allowed", "group policy allows: %r" % m)
        check(m["MatchedStatements"][0]["SourcePolicyId"] == "read" and
              m["MatchedStatements"][0]["SourcePolicyType"] == "group", "group source: %r" % m)
        ck = {x["EvalResourceName"]: x for x in results["iam:CreateAccessKey"]["ResourceSpecificResults"]}
        check(ck[arn]["EvalResourceDecision"] == "allowed", "own keys via ${aws:username}: %r" % ck)

    keys = iam.get_context_keys_for_principal_policy(PolicySourceArn=arn)["ContextKeyNames"]
    check(sorted(keys) == ["aws:SourceIp", "aws:username"], "principal context keys: %r" % keys)

    grants = iam.list_policies_granting_service_access(Arn=arn, ServiceNamespaces=["s3", "iam", "ec2"])
    by = {e["ServiceNamespace"]: e["Policies"] for e in grants["PoliciesGrantingServiceAccess"]}
    check([p["PolicyName"] for p in by["s3"]] == ["read"] and by["s3"][0]["EntityType"] == "GROUP",
          "s3 granted by the group's policy: %r" % by["s3"])
    check([p["PolicyName"] for p in by["iam"]] == ["own-keys"] and by["iam"][0]["EntityType"] == "USER", "iam: %r" % by)
    check(by["ec2"] == [], "ec2: none")

    check(error_code(iam.simulate_principal_policy, PolicySourceArn=arn.replace("ana", "nobody"),
                     ActionNames=["s3:GetObject"]) == "NoSuchEntity", "unknown user: NoSuchEntity")
    # Ana may not simulate (no iam:SimulatePrincipalPolicy): AccessDenied.
    key = iam.create_access_key(UserName="ana")["AccessKey"]
    ana = srv.client("iam", (key["AccessKeyId"], key["SecretAccessKey"]))
    check(error_code(ana.simulate_principal_policy, PolicySourceArn=arn, ActionNames=["s3:GetObject"]) ==
          "AccessDenied", "simulate without permission: AccessDenied")


def agreement_with_eval(srv, iam, iamd, generator):
    """The simulator and `iamd eval` answer generated cases alike."""
    gen = subprocess.run(["node", generator, "--seed", "7", "--count", "400"], capture_output=True, text=True,
                         check=True, timeout=60)
    cases = []
    for line in gen.stdout.splitlines():
        c = json.loads(line)
        if c.get("session_policy") or c.get("scps") or c.get("rcps"):
            continue  # the simulator has no input for these
        if c.get("principal") in (None, "anonymous"):
            continue  # nor for anonymous callers
        cases.append(c)
    answers = subprocess.run([iamd, "eval"], input="\n".join(json.dumps(c) for c in cases) + "\n",
                             capture_output=True, text=True, check=True, timeout=60).stdout.splitlines()
    names = {"Allow": "allowed", "ExplicitDeny": "explicitDeny", "ImplicitDeny": "implicitDeny"}
    compared, disagreements = 0, []
    for c, line in zip(cases, answers):
        expected = json.loads(line)
        if expected.get("decision") is None:
            continue
        kw = {
            "PolicyInputList": [json.dumps(p) if not isinstance(p, str) else p for p in c.get("identity_policies") or []],
            "ActionNames": [c["action"]],
            "ResourceArns": [c["resource"]],
            "CallerArn": c["principal"],
            "ContextEntries": [
                {"ContextKeyName": k, "ContextKeyValues": v if isinstance(v, list) else [v],
                 "ContextKeyType": "stringList" if isinstance(v, list) else "string"}
                for k, v in (c.get("context") or {}).items()],
        }
        if c.get("permission_boundary"):
            kw["PermissionsBoundaryPolicyInputList"] = [json.dumps(c["permission_boundary"])]
        if c.get("resource_policy"):
            kw["ResourcePolicy"] = json.dumps(c["resource_policy"])
        if c.get("resource_account"):
            kw["ResourceOwner"] = "arn:aws:iam::%s:root" % c["resource_account"]
        try:
            got = iam.simulate_custom_policy(**kw)["EvaluationResults"][0]["EvalDecision"]
        except botocore.exceptions.ClientError as e:
            got = "error: %s" % e
        compared += 1
        if got != names[expected["decision"]]:
            disagreements.append((c["id"], expected["decision"], got))
    check(compared >= 200, "compared %d cases (want >= 200)" % compared)
    check(not disagreements, "simulator vs eval disagree on %d of %d: %r" % (len(disagreements), compared,
                                                                             disagreements[:5]))
    print("simulator and iamd eval agree on %d generated cases" % compared)


def main():
    iamd, generator = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with Server(iamd) as srv:
        iam = srv.client("iam")
        custom_policy_checks(iam)
        principal_policy_checks(srv, iam)
        agreement_with_eval(srv, iam, iamd, generator)
    finish()


if __name__ == "__main__":
    main()
