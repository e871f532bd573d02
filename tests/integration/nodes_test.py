#!/usr/bin/python3
"""Three iamd nodes on three loopback ports over one store act as one:
writes spread over all nodes converge on every node; a user created on node
1 signs a request to node 3; a policy detached on node 2 stops an allow on
node 1 (the time it takes is printed); a key deactivated on one node stops
working on the others; session tokens sealed on any node verify on every
node, and a key rotation on one node reaches all.

    /usr/bin/python3 nodes_test.py path/to/iamd [--postgres]

With --postgres the nodes run on a throwaway PostgreSQL cluster
(scripts/pg-cluster.sh); without, on one SQLite file.
"""
import base64
import os
import struct
import subprocess
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from authorize_test import Endpoint, policy  # noqa: E402
from cluster import Nodes, eventually, run_on_store  # noqa: E402
from harness import check  # noqa: E402

POLL = 0.5  # --poll-interval: without notifications, changes are seen within this


def error_code(call):
    """The AWS error code of call(), or None when it succeeds."""
    try:
        call()
        return None
    except ClientError as e:
        return e.response["Error"]["Code"]


def token_key_id(token):
    """The key ring key that sealed a session token (the box's bytes 1-4)."""
    return struct.unpack(">I", base64.b64decode(token)[1:5])[0]


def run(iamd, url):
    with Nodes(iamd, 3, url, ["--poll-interval", str(POLL)]) as nodes:
        iam = [n.client("iam") for n in nodes]
        account = nodes[0].client("sts").get_caller_identity()["Account"]

        # 1. Writes spread over all nodes; every node converges.
        for i in range(9):
            iam[i % 3].create_user(UserName="u%d" % i)
        for g in range(3):
            iam[g].create_group(GroupName="g%d" % g)
        for i in range(9):
            iam[(i + 1) % 3].add_user_to_group(GroupName="g%d" % (i % 3), UserName="u%d" % i)
        for k, client in enumerate(iam):
            users = sorted(u["UserName"] for u in client.list_users()["Users"])
            check(users == ["u%d" % i for i in range(9)], "node %d lists every user: %s" % (k + 1, users))
            for g in range(3):
                members = sorted(u["UserName"] for u in client.get_group(GroupName="g%d" % g)["Users"])
                check(members == ["u%d" % i for i in range(g, 9, 3)], "node %d: members of g%d %s" % (k + 1, g, members))

        # 2. A user created on node 1 signs a request to node 3.
        iam[0].create_user(UserName="alice")
        iam[0].attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        ak = iam[0].create_access_key(UserName="alice")["AccessKey"]
        alice_key = (ak["AccessKeyId"], ak["SecretAccessKey"])
        alice = [n.client("iam", alice_key) for n in nodes]
        check(alice[2].get_user()["User"]["UserName"] == "alice", "node 3 knows alice, created on node 1")
        ident = nodes[2].client("sts", alice_key).get_caller_identity()
        check(ident["Arn"] == "arn:aws:iam::%s:user/alice" % account, "node 3: alice's identity %s" % ident["Arn"])

        # 3. A policy detached on node 2 stops an allow on node 1 (whose
        # compiled policies for alice are cached).
        check(error_code(lambda: alice[0].list_users()) is None, "node 1 allows alice ListUsers")
        iam[1].detach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        took = eventually("node 1 denies after the detach on node 2",
                          lambda: error_code(lambda: alice[0].list_users()) == "AccessDenied", POLL + 2)
        print("detach on node 2 -> AccessDenied on node 1: %.0f ms" % (1000 * (took or 0)))

        # The decision endpoint too: an inline policy put on node 3 and
        # deleted on node 2, as node 1 answers a resource server.
        iam[2].create_user(UserName="objstore")
        iam[2].put_user_policy(UserName="objstore", PolicyName="ask", PolicyDocument=policy(
            {"Effect": "Allow", "Action": "iamd:Authorize", "Resource": "*"}))
        ok = iam[2].create_access_key(UserName="objstore")["AccessKey"]
        iam[2].put_user_policy(UserName="alice", PolicyName="photos", PolicyDocument=policy(
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*"}))
        ask = {"principal_arn": "arn:aws:iam::%s:user/alice" % account, "action": "s3:GetObject",
               "resource": "arn:aws:s3:::photos/cat.jpg"}
        ep1 = Endpoint(nodes[0], (ok["AccessKeyId"], ok["SecretAccessKey"]))
        decision = lambda: ep1.call(ask)[1].get("decision")  # noqa: E731
        eventually("node 1 allows the photo", lambda: decision() == "Allow", POLL + 2)
        iam[1].delete_user_policy(UserName="alice", PolicyName="photos")
        took = eventually("node 1's decision follows the delete on node 2",
                          lambda: decision() == "ImplicitDeny", POLL + 2)
        print("policy deleted on node 2 -> decision on node 1: %.0f ms" % (1000 * (took or 0)))

        # 4. A key deactivated on node 3 stops working on node 2.
        check(error_code(lambda: nodes[1].client("sts", alice_key).get_caller_identity()) is None, "key works on 2")
        iam[2].update_access_key(UserName="alice", AccessKeyId=alice_key[0], Status="Inactive")
        eventually("node 2 refuses the key deactivated on node 3",
                   lambda: error_code(lambda: nodes[1].client("sts", alice_key).get_caller_identity())
                   == "InvalidClientTokenId", POLL + 2)
        iam[0].update_access_key(UserName="alice", AccessKeyId=alice_key[0], Status="Active")
        eventually("node 3 takes the key back", lambda: error_code(
            lambda: nodes[2].client("sts", alice_key).get_caller_identity()) is None, POLL + 2)

        # 5. Session tokens sealed on any node verify on every node.
        def session(k):
            c = nodes[k].client("sts", alice_key).get_session_token(DurationSeconds=900)["Credentials"]
            return c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]

        def verifies_everywhere(creds, label):
            for j, n in enumerate(nodes):
                c = boto3.client("sts", endpoint_url=n.endpoint, region_name="us-east-1",
                                 aws_access_key_id=creds[0], aws_secret_access_key=creds[1],
                                 aws_session_token=creds[2], config=Config(retries={"max_attempts": 1}))
                who = error_code(lambda: c.get_caller_identity())
                check(who is None, "%s verifies on node %d: %s" % (label, j + 1, who))

        tokens = [session(k) for k in range(3)]
        for k, creds in enumerate(tokens):
            verifies_everywhere(creds, "token sealed on node %d" % (k + 1))
        old_key = token_key_id(tokens[0][2])
        check(all(token_key_id(t[2]) == old_key for t in tokens), "all nodes seal with one key")

        # A rotation on node 2 (`iamd keys rotate`) reaches every node: new
        # tokens carry the new key; old tokens still verify.
        p = subprocess.run([iamd, "keys", "rotate", "--data", nodes[1].data, "--store", url] + nodes.key_args,
                           capture_output=True, text=True, timeout=60)
        check(p.returncode == 0, "iamd keys rotate: %s" % p.stderr)
        for k in range(3):
            eventually("node %d seals with the new key" % (k + 1),
                       lambda: token_key_id(session(k)[2]) != old_key, POLL + 3)
        fresh = session(0)
        verifies_everywhere(fresh, "token sealed after the rotation")
        verifies_everywhere(tokens[2], "token sealed before the rotation")


if __name__ == "__main__":
    run_on_store(run)
