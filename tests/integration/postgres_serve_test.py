#!/usr/bin/python3
"""`iamd serve --store postgres://...`: three nodes on one empty database.

Run through the throwaway cluster script, which sets IAMD_TEST_PG_URL:
    scripts/pg-cluster.sh run /usr/bin/python3 postgres_serve_test.py path/to/iamd
Checks: nodes refuse to start without the master key; three nodes started at
once create one account and one set of root credentials between them; the
root authenticates on every node; a user made on one node is seen on the
others; a session token issued by one node works on another; SQLite keeps
root keys in its store as well.
"""
import os
import subprocess
import sys
import tempfile

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import FAILURES, check, free_port, read_credentials, stop, wait_healthy  # noqa: E402


def start(iamd, data, url, key_file, wait=True):
    port = free_port()
    endpoint = "http://127.0.0.1:%d" % port
    cmd = [iamd, "serve", "--listen", "127.0.0.1:%d" % port, "--data", data, "--store", url]
    if key_file:
        cmd += ["--master-key-file", key_file]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if wait:
        wait_healthy(endpoint, proc)
    return proc, endpoint


def client(service, endpoint, key, secret, token=None):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token,
                        config=Config(retries={"max_attempts": 1}))


def main():
    iamd = os.path.abspath(sys.argv[1])
    url = os.environ.get("IAMD_TEST_PG_URL")
    if not url:
        raise SystemExit("IAMD_TEST_PG_URL is not set: run through scripts/pg-cluster.sh run")
    tmp = tempfile.mkdtemp(prefix="iamd-pg-serve-")
    key_file = os.path.join(tmp, "master.key")
    with open(os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
        f.write(os.urandom(32))

    # Without the master key: a clear refusal.
    p = subprocess.run([iamd, "serve", "--listen", "127.0.0.1:%d" % free_port(), "--data", os.path.join(tmp, "x"),
                        "--store", url], capture_output=True, text=True, timeout=30)
    check(p.returncode != 0 and "--master-key-file" in p.stderr, "no master key: %d %r" % (p.returncode, p.stderr))

    datas = [os.path.join(tmp, "node%d" % i) for i in range(3)]
    nodes = [start(iamd, d, url, key_file, wait=False) for d in datas]
    try:
        for proc, endpoint in nodes:
            wait_healthy(endpoint, proc, seconds=40)
        made = [d for d in datas if os.path.exists(os.path.join(d, "credentials"))]
        check(len(made) == 1, "one node wrote root credentials: %r" % made)
        key, secret = read_credentials(os.path.join(made[0], "credentials"))

        accounts = set()
        for _, endpoint in nodes:
            ident = client("sts", endpoint, key, secret).get_caller_identity()
            accounts.add(ident["Account"])
            check(ident["Arn"].endswith(":root"), "root on every node: %r" % ident)
        check(len(accounts) == 1, "one account: %r" % accounts)

        iam0 = client("iam", nodes[0][1], key, secret)
        iam0.create_user(UserName="alice")
        for _, endpoint in nodes[1:]:
            got = client("iam", endpoint, key, secret).get_user(UserName="alice")["User"]
            check(got["UserName"] == "alice", "user seen on another node: %r" % got)

        creds = client("sts", nodes[1][1], key, secret).get_session_token()["Credentials"]
        ident = client("sts", nodes[2][1], creds["AccessKeyId"], creds["SecretAccessKey"],
                       creds["SessionToken"]).get_caller_identity()
        check(ident["Account"] in accounts, "a session token from node 1 works on node 2: %r" % ident)
    finally:
        for proc, _ in nodes:
            rc, out, err = stop(proc)
            check(rc == 0, "SIGTERM: exit status %s" % rc)
            if FAILURES:
                print("--- iamd stdout ---\n" + out + "--- iamd stderr ---\n" + err)

    # SQLite keeps root keys in the store too: no root_keys file, and the root signs in after a restart.
    data = os.path.join(tmp, "sqlite")
    for _ in range(2):
        proc, endpoint = start(iamd, data, "sqlite://" + data + "/iamd.db", None)
        try:
            key, secret = read_credentials(os.path.join(data, "credentials"))
            ident = client("sts", endpoint, key, secret).get_caller_identity()
            check(ident["Arn"].endswith(":root"), "SQLite root: %r" % ident)
        finally:
            check(stop(proc)[0] == 0, "SQLite node: SIGTERM exit 0")
    check(not os.path.exists(os.path.join(data, "root_keys")), "no root_keys file is written any more")
    if not FAILURES:
        print("ok")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
