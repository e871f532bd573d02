#!/usr/bin/python3
"""The decision endpoint (POST /iamd/v1/authorize) and the audit trail,
through `iamd serve`, with boto3 and botocore's signer.

    /usr/bin/python3 authorize_test.py path/to/iamd
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, check, finish  # noqa: E402


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class Endpoint:
    """Calls /iamd/v1/authorize signed as a resource server."""

    def __init__(self, srv, key):
        self.srv, self.key = srv, key

    def call(self, body, key="self", raw=None):
        url = self.srv.endpoint + "/iamd/v1/authorize"
        data = raw if raw is not None else json.dumps(body).encode()
        req = AWSRequest(method="POST", url=url, data=data, headers={"Content-Type": "application/json"})
        if key is not None:
            k = self.key if key == "self" else key
            SigV4Auth(Credentials(*k), "iamd", "us-east-1").add_auth(req)
        http_req = urllib.request.Request(url, data=data, method="POST", headers=dict(req.headers.items()))
        try:
            with urllib.request.urlopen(http_req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def signed_s3_request(srv, key, method="GET", path="/photos/a.jpg"):
    """A client's S3 request, signed as an object store receives it."""
    url = "http://objects.local" + path
    req = AWSRequest(method=method, url=url, data=b"")
    S3SigV4Auth(Credentials(*key), "s3", "us-east-1").add_auth(req)
    return {"method": method, "path": path, "query": "", "body": "",
            "headers": [[k, v] for k, v in req.headers.items()] + [["Host", "objects.local"]]}


def main():
    iamd = os.path.abspath(sys.argv[1])
    with Server(iamd) as srv:
        iam = srv.client("iam")
        account = srv.client("sts").get_caller_identity()["Account"]

        # The object store's own identity, allowed to ask.
        iam.create_user(UserName="objstore")
        iam.put_user_policy(UserName="objstore", PolicyName="ask", PolicyDocument=policy(
            {"Effect": "Allow", "Action": "iamd:Authorize", "Resource": "*"}))
        k = iam.create_access_key(UserName="objstore")["AccessKey"]
        ep = Endpoint(srv, (k["AccessKeyId"], k["SecretAccessKey"]))

        # Alice may read photos from the office network, never secrets.
        iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "photo"}])
        iam.put_user_policy(UserName="alice", PolicyName="photos", PolicyDocument=policy(
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*",
             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                           "StringEquals": {"aws:PrincipalTag/team": "photo"}}},
            {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/secret/*"}))
        ak = iam.create_access_key(UserName="alice")["AccessKey"]
        alice_key = (ak["AccessKeyId"], ak["SecretAccessKey"])
        alice_arn = "arn:aws:iam::%s:user/alice" % account
        office = {"aws:SourceIp": "10.1.2.3"}

        # Principal-ARN form: the three decisions, iamd's keys filled in.
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a.jpg",
                         "context": office})
        check(st == 200 and r.get("decision") == "Allow", "allow: %s %r" % (st, r))
        check(r.get("principal", {}).get("arn") == alice_arn and r["principal"]["type"] == "IAMUser", "principal: %r" % r)
        check([s["sid"] for s in r.get("statements", [])] == ["Read"], "deciding statement: %r" % r)
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a.jpg",
                         "context": {"aws:SourceIp": "192.0.2.1"}})
        check(r.get("decision") == "ImplicitDeny", "outside the office: %r" % r)
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:GetObject",
                         "resource": "arn:aws:s3:::photos/secret/k", "context": office})
        check(r.get("decision") == "ExplicitDeny" and r["statements"][0]["sid"] == "NoSecrets", "deny: %r" % r)
        # The caller cannot claim a principal tag: iamd's value wins.
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a",
                         "context": {"aws:SourceIp": "10.0.0.9", "aws:PrincipalTag/team": "other"}})
        check(r.get("decision") == "Allow", "principal tags come from iamd: %r" % r)

        # Signed-request form: iamd verifies the client's S3 signature.
        st, r = ep.call({"signed_request": signed_s3_request(srv, alice_key), "action": "s3:GetObject",
                         "resource": "arn:aws:s3:::photos/a.jpg", "context": office})
        check(st == 200 and r.get("decision") == "Allow" and r["principal"]["arn"] == alice_arn, "signed: %s %r" % (st, r))
        forged = signed_s3_request(srv, (alice_key[0], "x" * 40))
        st, r = ep.call({"signed_request": forged, "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a.jpg"})
        check(st == 403 and r["error"]["code"] == "SignatureDoesNotMatch" and r["error"]["in"] == "signed_request",
              "forged client signature: %s %r" % (st, r))
        stranger = signed_s3_request(srv, ("AKIAAAAAAAAAAAAAAAAA", "y" * 40))
        st, r = ep.call({"signed_request": stranger, "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a"})
        check(st == 403 and r["error"]["code"] == "InvalidClientTokenId", "unknown client key: %s %r" % (st, r))

        # Batch form.
        st, r = ep.call({"principal_arn": alice_arn, "context": office, "requests": [
            {"action": "s3:GetObject", "resource": "arn:aws:s3:::photos/1"},
            {"action": "s3:PutObject", "resource": "arn:aws:s3:::photos/1"},
            {"action": "s3:GetObject", "resource": "arn:aws:s3:::photos/secret/1"}]})
        check(st == 200 and [x["decision"] for x in r.get("results", [])] == ["Allow", "ImplicitDeny", "ExplicitDeny"],
              "batch: %s %r" % (st, r))
        st, r = ep.call({"principal_arn": alice_arn, "requests": [
            {"action": "s3:GetObject", "resource": "arn:aws:s3:::p/%d" % i} for i in range(101)]})
        check(st == 409 and r["error"]["code"] == "LimitExceeded", "oversized batch: %s %r" % (st, r))

        # A resource-based policy from the caller: same-account grant.
        bucket = policy({"Effect": "Allow", "Principal": {"AWS": alice_arn}, "Action": "s3:PutObject",
                         "Resource": "arn:aws:s3:::photos/*"})
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:PutObject", "resource": "arn:aws:s3:::photos/n",
                         "resource_policy": bucket, "resource_account": account})
        check(r.get("decision") == "Allow", "bucket policy grants: %r" % r)
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:PutObject", "resource": "arn:aws:s3:::photos/n",
                         "resource_policy": bucket, "resource_account": "999988887777"})
        check(r.get("decision") == "ImplicitDeny", "cross-account needs the identity side too: %r" % r)
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:PutObject", "resource": "arn:aws:s3:::photos/n",
                         "resource_policy": '{"Statement": [{"Effect": "Allow"}]}'})
        check(st == 400 and r["error"]["code"] == "MalformedPolicyDocument" and "resource_policy" in r["error"]["message"],
              "malformed resource policy: %s %r" % (st, r))

        # Refusals: unknown principal, unsigned, signed by someone without iamd:Authorize.
        st, r = ep.call({"principal_arn": alice_arn.replace("alice", "nobody"), "action": "s3:GetObject",
                         "resource": "*"})
        check(st == 404 and r["error"]["code"] == "NoSuchEntity", "unknown principal: %s %r" % (st, r))
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:GetObject", "resource": "*"}, key=None)
        check(st == 403 and r["error"]["code"] == "MissingAuthenticationToken", "unsigned: %s %r" % (st, r))
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:GetObject", "resource": "*"}, key=alice_key)
        check(st == 403 and r["error"]["code"] == "AccessDenied", "alice may not ask: %s %r" % (st, r))
        st, r = ep.call(None, raw=b"{not json")
        check(st == 400 and r["error"]["code"] in ("InvalidInput", "ValidationError"), "garbage body: %s %r" % (st, r))

        # A policy change applies to the next decision (cache by generation).
        iam.delete_user_policy(UserName="alice", PolicyName="photos")
        st, r = ep.call({"principal_arn": alice_arn, "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a.jpg",
                         "context": office})
        check(r.get("decision") == "ImplicitDeny", "after the policy is gone: %r" % r)

        # A role named by ARN, and the root.
        iam.create_role(RoleName="app", AssumeRolePolicyDocument=policy(
            {"Effect": "Allow", "Principal": {"AWS": account}, "Action": "sts:AssumeRole"}))
        iam.put_role_policy(RoleName="app", PolicyName="w", PolicyDocument=policy(
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::photos/*"}))
        st, r = ep.call({"principal_arn": "arn:aws:sts::%s:assumed-role/app/job-1" % account,
                         "action": "s3:PutObject", "resource": "arn:aws:s3:::photos/x"})
        check(r.get("decision") == "Allow" and r["principal"]["type"] == "AssumedRole", "role session: %r" % r)
        iam.create_login_profile(UserName="alice", Password="Correct-Horse-9-battery")

    # The audit trail: API calls and decisions, secrets hidden.
    run = lambda *a: subprocess.run([iamd, "audit", "--data", srv.data] + list(a), capture_output=True, text=True)
    out = run("--action", "iamd:Authorize", "--decision", "Deny")
    denies = [json.loads(l) for l in out.stdout.splitlines()]
    check(out.returncode == 0 and len(denies) >= 4, "audit: denied decisions: %d" % len(denies))
    check(all(e["additionalEventData"]["decision"] in ("ExplicitDeny", "ImplicitDeny") for e in denies), "deny filter")
    out = run("--action", "CreateLoginProfile")
    events = [json.loads(l) for l in out.stdout.splitlines()]
    check(len(events) == 1 and events[0]["requestParameters"]["password"] == "HIDDEN_DUE_TO_SECURITY_REASONS" and
          events[0]["userIdentity"]["type"] == "Root", "CreateLoginProfile recorded, password hidden: %r" % events)
    everything = open(os.path.join(srv.data, "audit.log")).read()
    check("Correct-Horse" not in everything and alice_key[1] not in everything, "no secret in the audit log")
    created = [json.loads(l)["requestParameters"]["userName"] for l in run("--action", "iam:CreateUser").stdout.splitlines()]
    check(created == ["objstore", "alice"], "CreateUser calls recorded in order: %r" % created)
    asked = [json.loads(l) for l in run("--principal", alice_arn, "--action", "iamd:Authorize").stdout.splitlines()]
    check(len(asked) >= 10 and all(e["userIdentity"]["arn"] == alice_arn for e in asked), "principal filter: %d" % len(asked))
    finish()


if __name__ == "__main__":
    main()
