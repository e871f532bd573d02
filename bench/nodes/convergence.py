#!/usr/bin/python3
"""Convergence time between two iamd nodes: a write on node A (an inline
policy put on alice, or deleted), then the decision endpoint on node B asked
about it in a tight loop until its answer changes. Prints one line:

    rounds=N p50_ms=… p90_ms=… max_ms=… write_p50_ms=…

measured from the write's acknowledgement on A to B's first changed answer
(write_p50_ms: how long the write itself took).

    convergence.py ENDPOINT_A ENDPOINT_B DATA_DIR_A KEYS_JSON [ROUNDS]

KEYS_JSON is what `iamd_client.py authorize-setup` wrote.
"""
import http.client
import json
import os
import random
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
import iamd_client  # noqa: E402


def main():
    a, b, data_a, keys_file = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    keys = json.load(open(keys_file))
    iam = iamd_client.client(a, iamd_client.root_keys(data_a))
    question = json.dumps({"principal_arn": "arn:aws:iam::%s:user/alice" % keys["account"],
                           "action": "s3:DeleteObject", "resource": "arn:aws:s3:::photos/a.jpg"})
    path = "/iamd/v1/authorize"
    headers, body = iamd_client.signed_request(b, tuple(keys["server"]), question, path, "iamd", "application/json")
    u = urllib.parse.urlsplit(b)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    def decision():
        status, data = iamd_client.send(b, headers, body, conn=conn, path=path)
        if status != 200:
            sys.exit("node B answered %d: %s" % (status, data[:200]))
        return json.loads(data)["decision"]

    extra = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::photos/*"}]})
    delays, writes = [], []
    for i in range(rounds):
        want = "Allow" if i % 2 == 0 else "ImplicitDeny"
        # A random pause, so that writes do not fall in step with B's polling.
        time.sleep(random.uniform(0.1, 1.1))
        t0 = time.monotonic()
        if want == "Allow":
            iam.put_user_policy(UserName="alice", PolicyName="extra", PolicyDocument=extra)
        else:
            iam.delete_user_policy(UserName="alice", PolicyName="extra")
        t1 = time.monotonic()
        while decision() != want:
            if time.monotonic() - t1 > 30:
                sys.exit("node B did not follow within 30 s")
        delays.append((time.monotonic() - t1) * 1000)
        writes.append((t1 - t0) * 1000)
    delays.sort()
    print("rounds=%d p50_ms=%.1f p90_ms=%.1f max_ms=%.1f write_p50_ms=%.1f" % (
        rounds, statistics.median(delays), delays[int(0.9 * (len(delays) - 1))], delays[-1],
        statistics.median(writes)))


if __name__ == "__main__":
    main()
