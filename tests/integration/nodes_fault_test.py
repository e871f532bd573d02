#!/usr/bin/python3
"""Static stability: PostgreSQL stops under load and comes back.

Two nodes on a throwaway PostgreSQL (durable commits) serve decisions and
writes from several threads. The database is stopped (pg_ctl -m immediate):
decisions keep flowing from the nodes' caches with the same answers, writes
and reads that miss the cache fail cleanly with ServiceFailure (HTTP 503);
once --max-stale passes without the database, decisions are refused too
(503), and /healthz answers 503 (saying why) so that a load balancer takes
the node out. The database starts again: the nodes recover by themselves
(/healthz 200 again), and every write acknowledged before, during or after
the outage is there.

    /usr/bin/python3 nodes_fault_test.py path/to/iamd --postgres
"""
import collections
import os
import urllib.error
import urllib.request
import sys
import threading
import time

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from authorize_test import Endpoint, policy, signed_s3_request  # noqa: E402
from cluster import Nodes, eventually, run_on_store  # noqa: E402
from harness import check  # noqa: E402

MAX_STALE = 6.0  # --max-stale, seconds
POLL = 0.5


class Load:
    """Threads asking for decisions and creating users on every node until
    stopped; each result is recorded with its time."""

    def __init__(self, nodes, endpoints, questions):
        self.stop = threading.Event()
        self.decisions = []  # (time, node, status, decision or error code)
        self.writes = []     # (time, node, user name, "ok" or error code, http status)
        self.lock = threading.Lock()
        self.threads = []
        for k, node in enumerate(nodes):
            self.threads.append(threading.Thread(target=self.decide, args=(k, endpoints[k], questions)))
            self.threads.append(threading.Thread(target=self.write, args=(k, node.client("iam"))))

    def decide(self, k, endpoint, questions):
        while not self.stop.is_set():
            for q, _ in questions:
                status, body = endpoint.call(q)
                answer = body.get("decision") if status == 200 else body.get("error", {}).get("code")
                with self.lock:
                    self.decisions.append((time.monotonic(), k, status, answer, q["action"]))
            time.sleep(0.01)

    def write(self, k, iam):
        i = 0
        while not self.stop.is_set():
            name = "w%d-%d" % (k, i)
            i += 1
            try:
                iam.create_user(UserName=name)
                outcome = ("ok", 200)
            except ClientError as e:
                outcome = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
            except Exception as e:
                outcome = (type(e).__name__, 0)
            with self.lock:
                self.writes.append((time.monotonic(), k, name) + outcome)
            time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()
        return False

    def between(self, kind, t0, t1):
        with self.lock:
            return [r for r in getattr(self, kind) if t0 <= r[0] < t1]


def healthz(node):
    """(status, body) of GET /healthz."""
    try:
        with urllib.request.urlopen(node.endpoint + "/healthz", timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def run(iamd, url, pg):
    args = ["--poll-interval", str(POLL), "--max-stale", str(MAX_STALE)]
    with Nodes(iamd, 2, url, args) as nodes:
        iam = nodes[0].client("iam")
        account = nodes[0].client("sts").get_caller_identity()["Account"]
        iam.create_user(UserName="objstore")
        iam.put_user_policy(UserName="objstore", PolicyName="ask", PolicyDocument=policy(
            {"Effect": "Allow", "Action": "iamd:Authorize", "Resource": "*"}))
        ok = iam.create_access_key(UserName="objstore")["AccessKey"]
        iam.create_user(UserName="alice")
        iam.put_user_policy(UserName="alice", PolicyName="photos", PolicyDocument=policy(
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*"}))
        ak = iam.create_access_key(UserName="alice")["AccessKey"]
        alice_key = (ak["AccessKeyId"], ak["SecretAccessKey"])
        arn = "arn:aws:iam::%s:user/alice" % account
        questions = [
            ({"principal_arn": arn, "action": "s3:GetObject", "resource": "arn:aws:s3:::photos/a.jpg"}, "Allow"),
            ({"principal_arn": arn, "action": "s3:PutObject", "resource": "arn:aws:s3:::photos/a.jpg"},
             "ImplicitDeny"),
            ({"signed_request": signed_s3_request(nodes[0], alice_key), "action": "s3:GetObject",
              "resource": "arn:aws:s3:::photos/a.jpg"}, "Allow"),
        ]
        expected = {q["action"]: d for q, d in questions}
        endpoints = [Endpoint(n, (ok["AccessKeyId"], ok["SecretAccessKey"])) for n in nodes]
        time.sleep(2 * POLL)  # both nodes have seen the setup

        with Load(nodes, endpoints, questions) as load:
            time.sleep(2)
            t_kill = time.monotonic()
            pg.kill()
            t_killed = time.monotonic()
            print("PostgreSQL stopped (%.2f s)" % (t_killed - t_kill))
            time.sleep(MAX_STALE / 2)

            # During the outage, before max-stale: decisions from cache,
            # same answers; writes and cache misses refused with 503; the
            # node stays in a load balancer's rotation.
            t_mid = time.monotonic()
            for n in nodes:
                check(healthz(n)[0] == 200, "/healthz 200 within --max-stale on %s: %s" % (n.endpoint, healthz(n)))
                sts = n.client("sts", alice_key)
                check(sts.get_caller_identity()["Arn"] == arn, "alice authenticates from cache on %s" % n.endpoint)
                for call, what in [(lambda: n.client("iam").get_user(UserName="nobody"), "a read missing the cache"),
                                   (lambda: n.client("iam").create_group(GroupName="down"), "a write")]:
                    try:
                        call()
                        check(False, "%s succeeded with the database down" % what)
                    except ClientError as e:
                        got = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
                        check(got == ("ServiceFailure", 503), "%s while down: %s" % (what, got))

            # Past max-stale: decisions are refused too.
            time.sleep(max(0.0, t_killed + MAX_STALE + 1 - time.monotonic()))
            t_stale = time.monotonic()
            for n in nodes:
                status, body = healthz(n)
                check(status == 503 and "longer than --max-stale" in body,
                      "/healthz past --max-stale on %s: %s %r" % (n.endpoint, status, body))
            time.sleep(1)
            t_restart = time.monotonic()
            pg.restart()
            print("PostgreSQL restarted (%.2f s)" % (time.monotonic() - t_restart))
            recovered = eventually("decisions flow again after the restart", lambda: all(
                e.call(questions[0][0])[0] == 200 for e in endpoints), 15)
            print("decisions back %.2f s after the restart" % (recovered or 0))
            eventually("/healthz 200 again after the restart", lambda: all(healthz(n)[0] == 200 for n in nodes), 15)
            eventually("writes succeed again", lambda: load.between(
                "writes", time.monotonic() - 0.5, time.monotonic() + 1) and all(
                w[3] == "ok" for w in load.between("writes", time.monotonic() - 0.5, time.monotonic() + 1)), 15)
            time.sleep(1)
            t_end = time.monotonic()

        before = load.between("decisions", 0, t_kill)
        during = load.between("decisions", t_killed + 0.1, t_killed + MAX_STALE - 0.5)
        stale = load.between("decisions", t_stale, t_restart)
        after = load.between("decisions", t_end - 1, t_end)
        for label, rows in [("before", before), ("during the outage", during), ("after", after)]:
            bad = [r for r in rows if r[2] != 200 or r[3] != expected[r[4]]]
            check(rows and not bad, "decisions %s: %d, bad %s" % (label, len(rows), bad[:3]))
        check(stale and all(r[2] == 503 and r[3] == "ServiceFailure" for r in stale),
              "past --max-stale every decision is ServiceFailure/503: %s" %
              collections.Counter((r[2], r[3]) for r in stale))
        print("decisions: %d before, %d during the outage from cache, %d refused past max-stale, %d after" %
              (len(before), len(during), len(stale), len(after)))

        refused = load.between("writes", t_killed + 0.1, t_restart)
        outcomes = collections.Counter((w[3], w[4]) for w in refused)
        check(refused and set(outcomes) == {("ServiceFailure", 503)}, "writes while down: %s" % dict(outcomes))
        acknowledged = [w[2] for w in load.writes if w[3] == "ok"]
        names = set()
        for page in nodes[1].client("iam").get_paginator("list_users").paginate():
            names.update(u["UserName"] for u in page["Users"])
        lost = [n for n in acknowledged if n not in names]
        check(not lost, "acknowledged writes lost: %s" % lost[:5])
        print("writes: %d acknowledged (none lost), %s while down" % (len(acknowledged), dict(outcomes)))


if __name__ == "__main__":
    run_on_store(run, needs_postgres=True)
