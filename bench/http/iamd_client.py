#!/usr/bin/python3
"""Client side of the bench/http/ benchmarks of `iamd serve` (Debian's python3:
boto3 and botocore).

    iamd_client.py getuser-setup ENDPOINT DATA_DIR OUT.json
        As the account root (DATA_DIR/credentials): creates user `bench` with an
        inline policy allowing iam:GetUser on itself, and an access key for it.
        Also a role `bench-role` the user assumes (allowed iam:GetUser on
        user bench) and one hour of its temporary credentials. Writes
        {"root": [id, secret], "user": [id, secret], "session": [id, secret, token]}.
    iamd_client.py getuser-lua ENDPOINT KEYS.json CALLER OUT.lua
        Signs one GetUser request (SigV4, now) as CALLER (`user`, `root`,
        `session`, or `user-named`: the user passing UserName as the others do),
        checks that iamd answers it with 200, and writes a wrk script replaying
        it. SigV4 accepts a signature for 15 minutes, so re-sign per round.
    iamd_client.py authorize-setup ENDPOINT DATA_DIR OUT.json
        As the root: a resource server `objstore` allowed iamd:Authorize and a
        user `alice` with a photos policy, both with access keys.
    iamd_client.py authorize-lua ENDPOINT KEYS.json principal|signed OUT.lua
        Signs one /iamd/v1/authorize call (principal by ARN, or alice's signed
        S3 request), checks the answer is Allow, writes a wrk script.
    iamd_client.py populate ENDPOINT DATA_DIR USERS ROLES POLICIES KEYS OUT.json
        Creates that many users, roles and customer managed policies through
        the API (raw signed requests from a pool of processes), attaches two
        policies to every user
        and role, adds users to groups and gives the first KEYS users an access
        key (written to OUT.json).
    iamd_client.py warm ENDPOINT DATA_DIR KEYS.json
        Authorized calls as many principals: GetUser signed by every user key
        in KEYS.json, and as root GetUser/ListAttachedUserPolicies for every
        user, GetRole for every role.
"""
import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.parse

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config

REGION = "us-east-1"


def root_keys(data_dir):
    lines = open(os.path.join(data_dir, "credentials")).read().splitlines()
    return lines[1].split(" = ")[1], lines[2].split(" = ")[1]


_local = threading.local()


def client(endpoint, key):
    """One boto3 IAM client per thread and key (clients are not shared)."""
    cache = getattr(_local, "clients", None)
    if cache is None:
        cache = _local.clients = {}
    c = cache.get(key)
    if c is None:
        session = boto3.session.Session(aws_access_key_id=key[0], aws_secret_access_key=key[1], region_name=REGION)
        c = cache[key] = session.client(
            "iam", endpoint_url=endpoint,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}))
    return c


def signed_request(endpoint, key, body, path="/", service="iam",
                   content_type="application/x-www-form-urlencoded; charset=utf-8"):
    """A POST of BODY to ENDPOINT+PATH, signed for SERVICE: (headers, body).
    KEY is (id, secret) or, for temporary credentials, (id, secret, token)."""
    req = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + path, data=body,
                                         headers={"Content-Type": content_type})
    creds = botocore.credentials.Credentials(key[0], key[1], key[2] if len(key) > 2 else None)
    botocore.auth.SigV4Auth(creds, service, REGION).add_auth(req)
    headers = dict(req.headers.items())
    headers["Host"] = urllib.parse.urlsplit(endpoint).netloc
    return headers, body


def send(endpoint, headers, body, conn=None, path="/"):
    u = urllib.parse.urlsplit(endpoint)
    c = conn or http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.request("POST", path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    if conn is None:
        c.close()
    return r.status, data


def getuser_setup(endpoint, data_dir, out):
    root = root_keys(data_dir)
    iam = client(endpoint, root)
    iam.create_user(UserName="bench")
    iam.put_user_policy(UserName="bench", PolicyName="get-self", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::*:user/${aws:username}"}]}))
    k = iam.create_access_key(UserName="bench")["AccessKey"]
    user = [k["AccessKeyId"], k["SecretAccessKey"]]
    # A role `bench-role` that user may assume, allowed iam:GetUser on that
    # user, and one hour of its temporary credentials.
    account = boto3.client("sts", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=root[0],
                           aws_secret_access_key=root[1]).get_caller_identity()["Account"]
    iam.create_role(RoleName="bench-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"AWS": "arn:aws:iam::%s:user/bench" % account}}]}))
    iam.put_role_policy(RoleName="bench-role", PolicyName="get-bench", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::*:user/bench"}]}))
    sts = boto3.client("sts", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=user[0],
                       aws_secret_access_key=user[1])
    for _ in range(50):  # IAM is eventually consistent on AWS; iamd is not, but a new key may need a moment
        try:
            c = sts.assume_role(RoleArn="arn:aws:iam::%s:role/bench-role" % account, RoleSessionName="bench",
                                DurationSeconds=3600)["Credentials"]
            break
        except Exception:
            time.sleep(0.1)
    session = [c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]]
    json.dump({"root": list(root), "user": user, "session": session}, open(out, "w"))


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def getuser_lua(endpoint, keys_file, caller, out):
    keys = json.load(open(keys_file))
    # The user asks for itself (allowed by its policy through ${aws:username});
    # the root, the role session and `user-named` (the user, asking as the
    # session does) name the user.
    body = "Action=GetUser&Version=2010-05-08" + ("&UserName=bench" if caller != "user" else "")
    headers, body = signed_request(endpoint, tuple(keys["user" if caller == "user-named" else caller]), body)
    status, data = send(endpoint, headers, body)
    if status != 200 or b"<UserName>bench</UserName>" not in data:
        sys.exit("signed GetUser as %s: HTTP %d %s" % (caller, status, data[:300]))
    write_lua(out, headers, body)


def write_lua(out, headers, body, path="/"):
    """A wrk script replaying one request."""
    lines = ['wrk.method = "POST"', "wrk.path = " + lua_string(path), "wrk.body = " + lua_string(body)]
    for name, value in headers.items():
        lines.append("wrk.headers[%s] = %s" % (lua_string(name), lua_string(value)))
    open(out, "w").write("\n".join(lines) + "\n")


def authorize_setup(endpoint, data_dir, out):
    """A resource server allowed iamd:Authorize, and alice with a photo policy."""
    root = root_keys(data_dir)
    iam = client(endpoint, root)
    iam.create_user(UserName="objstore")
    iam.put_user_policy(UserName="objstore", PolicyName="ask", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iamd:Authorize", "Resource": "*"}]}))
    server = iam.create_access_key(UserName="objstore")["AccessKey"]
    iam.create_user(UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="photos", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::photos/*",
             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/secret/*"}]}))
    alice = iam.create_access_key(UserName="alice")["AccessKey"]
    account = boto3.client("sts", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=root[0],
                           aws_secret_access_key=root[1]).get_caller_identity()["Account"]
    json.dump({"server": [server["AccessKeyId"], server["SecretAccessKey"]],
               "alice": [alice["AccessKeyId"], alice["SecretAccessKey"]], "account": account}, open(out, "w"))


def authorize_lua(endpoint, keys_file, form, out):
    """One /iamd/v1/authorize call (FORM `principal` or `signed`), checked, as a wrk script."""
    keys = json.load(open(keys_file))
    question = {"action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a.jpg",
                "context": {"aws:SourceIp": "10.1.2.3"}}
    if form == "principal":
        question["principal_arn"] = "arn:aws:iam::%s:user/alice" % keys["account"]
    else:
        client_req = botocore.awsrequest.AWSRequest(method="GET", url="http://objects.local/photos/a.jpg", data=b"")
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials(*keys["alice"]), "s3", REGION).add_auth(client_req)
        question["signed_request"] = {
            "method": "GET", "path": "/photos/a.jpg", "body": "",
            "headers": [[k, v] for k, v in client_req.headers.items()] + [["Host", "objects.local"]]}
    body = json.dumps(question)
    path = "/iamd/v1/authorize"
    headers, body = signed_request(endpoint, tuple(keys["server"]), body, path, "iamd", "application/json")
    status, data = send(endpoint, headers, body, path=path)
    if status != 200 or json.loads(data).get("decision") != "Allow":
        sys.exit("authorize (%s): HTTP %d %s" % (form, status, data[:300]))
    write_lua(out, headers, body, path)


def policy_doc(i):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Read%d" % i, "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::bucket-%d" % i, "arn:aws:s3:::bucket-%d/*" % i]},
        {"Sid": "Deny%d" % i, "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "team-%d" % (i % 20)}}}]})


TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
SELF_READ = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:GetUser", "iam:ListAttachedUserPolicies"],
     "Resource": "arn:aws:iam::*:user/${aws:username}"}]})
N_GROUPS = 20
PROCESSES = 4

# Bulk calls go out as raw signed Query requests from a pool of processes,
# each with one kept-alive connection: boto3's per-call overhead (and the
# GIL) would otherwise make the client, not the server, the bottleneck.
_conn = None
_endpoint = None


def _call(key, action, **params):
    """One signed IAM call on this process's connection; the response body.
    Exits on any answer but 200."""
    global _conn
    params.update(Action=action, Version="2010-05-08")
    headers, body = signed_request(_endpoint, key, urllib.parse.urlencode(params))
    for attempt in range(3):
        try:
            if _conn is None:
                u = urllib.parse.urlsplit(_endpoint)
                _conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            status, data = send(_endpoint, headers, body, _conn)
            break
        except (OSError, http.client.HTTPException):
            _conn = None
            if attempt == 2:
                raise
    if status != 200:
        raise RuntimeError("%s %s: HTTP %d %s" % (action, params, status, data[:300]))
    return data


def _init(endpoint):
    global _endpoint
    _endpoint = endpoint


def _run(job):
    key, calls = job
    out = []
    for action, params in calls:
        out.append(_call(tuple(key), action, **params))
    return out


def bulk(pool, what, key, jobs):
    """Runs jobs (each a list of (action, params) done in order) on the pool."""
    start = time.time()
    results = pool.map(_run, [(key, calls) for calls in jobs], chunksize=16)
    took = time.time() - start
    n = sum(len(calls) for calls in jobs)
    print("  %-34s %6d calls in %6.1f s (%.0f/s)" % (what, n, took, n / max(took, 1e-9)), flush=True)
    return results


def populate(endpoint, data_dir, users, roles, policies, keys, out):
    import multiprocessing
    root = root_keys(data_dir)
    account = client(endpoint, root).get_user()["User"]["Arn"].split(":")[4]
    arn = lambda i: "arn:aws:iam::%s:policy/policy-%05d" % (account, i % policies)  # noqa: E731
    user = lambda i: "user-%05d" % i  # noqa: E731
    print("populating %s: %d users, %d roles, %d policies, %d groups, %d access keys" %
          (endpoint, users, roles, policies, N_GROUPS, keys), flush=True)
    with multiprocessing.Pool(PROCESSES, _init, (endpoint,)) as pool:
        bulk(pool, "CreatePolicy", root, [[("CreatePolicy", {
            "PolicyName": "policy-%05d" % i, "PolicyDocument": policy_doc(i)})] for i in range(policies)])
        bulk(pool, "CreateGroup + PutGroupPolicy", root, [[
            ("CreateGroup", {"GroupName": "team-%d" % g}),
            ("PutGroupPolicy", {"GroupName": "team-%d" % g, "PolicyName": "self-read",
                                "PolicyDocument": SELF_READ})] for g in range(N_GROUPS)])
        bulk(pool, "CreateUser (tagged)", root, [[("CreateUser", {
            "UserName": user(i), "Tags.member.1.Key": "team", "Tags.member.1.Value": "team-%d" % (i % N_GROUPS)})]
            for i in range(users)])
        bulk(pool, "AddUserToGroup", root, [[("AddUserToGroup", {
            "GroupName": "team-%d" % (i % N_GROUPS), "UserName": user(i)})] for i in range(users)])
        bulk(pool, "AttachUserPolicy x2", root, [[
            ("AttachUserPolicy", {"UserName": user(i), "PolicyArn": arn(i)}),
            ("AttachUserPolicy", {"UserName": user(i), "PolicyArn": arn(i + 1)})] for i in range(users)])
        bulk(pool, "CreateRole", root, [[("CreateRole", {
            "RoleName": "role-%05d" % i, "AssumeRolePolicyDocument": TRUST})] for i in range(roles)])
        bulk(pool, "AttachRolePolicy x2", root, [[
            ("AttachRolePolicy", {"RoleName": "role-%05d" % i, "PolicyArn": arn(3 * i)}),
            ("AttachRolePolicy", {"RoleName": "role-%05d" % i, "PolicyArn": arn(3 * i + 1)})] for i in range(roles)])
        made = bulk(pool, "CreateAccessKey", root, [[("CreateAccessKey", {"UserName": user(i)})] for i in range(keys)])
    found = []
    for i, (xml,) in enumerate(made):
        text = xml.decode()
        key_id = re.search(r"<AccessKeyId>([^<]+)</AccessKeyId>", text).group(1)
        secret = re.search(r"<SecretAccessKey>([^<]+)</SecretAccessKey>", text).group(1)
        found.append([user(i), key_id, secret])
    json.dump({"users": users, "roles": roles, "keys": found}, open(out, "w"))


def _as_user(k):
    name, key = k[0], (k[1], k[2])
    data = _call(key, "GetUser")
    assert ("<UserName>%s</UserName>" % name).encode() in data, data[:300]
    _call(key, "ListAttachedUserPolicies", UserName=name)


def warm(endpoint, data_dir, keys_file):
    import multiprocessing
    info = json.load(open(keys_file))
    root = root_keys(data_dir)
    with multiprocessing.Pool(PROCESSES, _init, (endpoint,)) as pool:
        start = time.time()
        pool.map(_as_user, info["keys"], chunksize=16)
        took = time.time() - start
        print("  %-34s %6d calls in %6.1f s (%.0f/s)" % ("GetUser etc. signed by each user", 2 * len(info["keys"]),
                                                        took, 2 * len(info["keys"]) / max(took, 1e-9)), flush=True)
        bulk(pool, "GetUser + ListAttachedUserPolicies", root, [[
            ("GetUser", {"UserName": "user-%05d" % i}),
            ("ListAttachedUserPolicies", {"UserName": "user-%05d" % i})] for i in range(info["users"])])
        bulk(pool, "GetRole", root, [[("GetRole", {"RoleName": "role-%05d" % i})] for i in range(info["roles"])])


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "getuser-setup":
        getuser_setup(*args)
    elif cmd == "getuser-lua":
        getuser_lua(*args)
    elif cmd == "authorize-setup":
        authorize_setup(*args)
    elif cmd == "authorize-lua":
        authorize_lua(*args)
    elif cmd == "populate":
        populate(args[0], args[1], *map(int, args[2:6]), args[6])
    elif cmd == "warm":
        warm(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
