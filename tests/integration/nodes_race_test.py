#!/usr/bin/python3
"""Many clients on three nodes race on the same entities, and get exactly
what AWS would answer: one CreateUser of a name succeeds and the others get
EntityAlreadyExists; attaching past the quota of 10 managed policies per
user gives LimitExceeded and never an 11th; adding to the same group is
idempotent, and past 10 groups per user is LimitExceeded. No duplicates,
quotas never exceeded, every node agrees.

    /usr/bin/python3 nodes_race_test.py path/to/iamd [--postgres]
"""
import collections
import json
import os
import sys
import threading

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import Nodes, run_on_store  # noqa: E402
from harness import check  # noqa: E402

PER_NODE = 5  # clients per node


def race(clients, calls):
    """Runs calls[i](clients[i]) at once on every client; a Counter of the
    outcomes ("ok" or the AWS error code)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def one(i):
        barrier.wait()
        try:
            calls[i](clients[i % len(clients)])
            outcomes[i] = "ok"
        except ClientError as e:
            outcomes[i] = e.response["Error"]["Code"]
        except Exception as e:  # a transport error is an outcome too
            outcomes[i] = type(e).__name__

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return collections.Counter(outcomes)


def run(iamd, url):
    with Nodes(iamd, 3, url, ["--threads", "4"]) as nodes:
        # Clients spread over the nodes: client i talks to node i % 3.
        clients = [nodes[i % 3].client("iam") for i in range(3 * PER_NODE)]
        n = len(clients)
        iam = clients[0]

        # 1. The same user name from every client: one winner.
        for k in range(3):
            name = "racer%d" % k
            got = race(clients, [lambda c, name=name: c.create_user(UserName=name)] * n)
            check(got == collections.Counter({"ok": 1, "EntityAlreadyExists": n - 1}),
                  "CreateUser %s from %d clients: %s" % (name, n, dict(got)))
        for node in nodes:
            names = [u["UserName"] for u in node.client("iam").list_users()["Users"]]
            check(sorted(names) == ["racer0", "racer1", "racer2"], "node lists each racer once: %s" % names)

        # 2. 15 different managed policies attached to one user at once: 10 fit.
        iam.create_user(UserName="q")
        arns = []
        for i in range(n):
            doc = json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b%d/*" % i}]})
            arns.append(iam.create_policy(PolicyName="p%d" % i, PolicyDocument=doc)["Policy"]["Arn"])
        got = race(clients, [lambda c, a=a: c.attach_user_policy(UserName="q", PolicyArn=a) for a in arns])
        check(got == collections.Counter({"ok": 10, "LimitExceeded": n - 10}),
              "AttachUserPolicy x%d past the quota: %s" % (n, dict(got)))
        for node in nodes:
            attached = node.client("iam").list_attached_user_policies(UserName="q")["AttachedPolicies"]
            check(len(attached) == 10, "node sees 10 attached policies, not %d" % len(attached))
        # The same policy from every client: idempotent, attached once.
        iam.create_user(UserName="q2")
        got = race(clients, [lambda c: c.attach_user_policy(UserName="q2", PolicyArn=arns[0])] * n)
        check(got == collections.Counter({"ok": n}), "the same AttachUserPolicy x%d: %s" % (n, dict(got)))
        attached = iam.list_attached_user_policies(UserName="q2")["AttachedPolicies"]
        check(len(attached) == 1, "attached once: %s" % attached)
        on_q = {p["PolicyName"] for p in iam.list_attached_user_policies(UserName="q")["AttachedPolicies"]}
        counts = {p["PolicyName"]: p["AttachmentCount"] for p in iam.list_policies(Scope="Local")["Policies"]}
        check(all(counts[name] == (name in on_q) + (name == "p0") for name in counts),
              "AttachmentCount matches the attachments: %s" % counts)

        # 3. One user into one group from every client: all succeed, once.
        iam.create_user(UserName="m")
        iam.create_group(GroupName="team")
        got = race(clients, [lambda c: c.add_user_to_group(GroupName="team", UserName="m")] * n)
        check(got == collections.Counter({"ok": n}), "the same AddUserToGroup x%d: %s" % (n, dict(got)))
        members = [u["UserName"] for u in iam.get_group(GroupName="team")["Users"]]
        check(members == ["m"], "m is a member once: %s" % members)
        # Into 15 groups at once: 10 fit (GroupsPerUser).
        for i in range(n):
            iam.create_group(GroupName="g%d" % i)
        got = race(clients, [lambda c, i=i: c.add_user_to_group(GroupName="g%d" % i, UserName="q")
                             for i in range(n)])
        check(got == collections.Counter({"ok": 10, "LimitExceeded": n - 10}),
              "AddUserToGroup x%d past the quota: %s" % (n, dict(got)))
        for node in nodes:
            groups = node.client("iam").list_groups_for_user(UserName="q")["Groups"]
            check(len(groups) == 10, "node sees q in 10 groups, not %d" % len(groups))


if __name__ == "__main__":
    run_on_store(run)
