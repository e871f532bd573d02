"""Shared pieces of the integration tests: start `iamd serve` on a free
loopback port with a fresh data folder, make boto3 clients with its root
credentials, record failed checks, stop it with SIGTERM.

    with Server(iamd) as srv:
        iam = srv.client("iam")
        check(iam.list_users()["Users"] == [], "no users yet")
    finish()   # exit status 1 if any check failed
"""
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import boto3
from botocore.config import Config

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, flush=True)
    return cond


def finish():
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        raise SystemExit(1)
    print("all checks passed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_credentials(path):
    """The first profile of an AWS shared-credentials file: (key id, secret)."""
    values = {}
    for line in open(path):
        if " = " in line:
            k, v = line.strip().split(" = ", 1)
            values.setdefault(k, v)
    return values["aws_access_key_id"], values["aws_secret_access_key"]


class Server:
    def __init__(self, iamd, extra_args=()):
        self.iamd = os.path.abspath(iamd)
        self.tmp = tempfile.mkdtemp(prefix="iamd-test-")
        self.data = os.path.join(self.tmp, "data")
        self.port = free_port()
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self.extra_args = list(extra_args)
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [self.iamd, "serve", "--listen", "127.0.0.1:%d" % self.port, "--data", self.data] + self.extra_args,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("iamd exited early: %s" % self.proc.returncode)
            try:
                with urllib.request.urlopen(self.endpoint + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        self.root = read_credentials(os.path.join(self.data, "credentials"))
                        return self
            except Exception:
                time.sleep(0.1)
        raise SystemExit("iamd did not become healthy")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "timeout"
        out, err = self.proc.communicate()
        check(rc == 0, "SIGTERM: exit status %s" % rc)
        if FAILURES:
            print("--- iamd stdout ---\n" + out + "--- iamd stderr ---\n" + err)
        return False

    def client(self, service, key=None):
        key_id, secret = key or self.root
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=key_id, aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}))
