"""Shared pieces of the integration tests (Debian's /usr/bin/python3): start
`iamd serve` on a free loopback port with a fresh data folder, drive it with
the AWS CLI (/usr/bin/aws) and boto3, record failed checks, stop it with
SIGTERM (exit status 0 expected).

    with Server(iamd) as srv:
        iam = srv.client("iam")
        check(iam.list_users()["Users"] == [], "no users yet")
        srv.cli().ok("iam", "get-user")
    finish()   # exit status 1 if any check failed
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import boto3
from botocore.config import Config

AWS = "/usr/bin/aws"
FAILURES = []


def check(cond, what):
    """Records a failed expectation (and prints it); returns cond."""
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, flush=True)
    return cond


def failures():
    """The failed expectations so far."""
    return FAILURES


def finish():
    """Exits with status 1 if any check failed."""
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        raise SystemExit(1)
    print("all checks passed")


def free_port():
    """A loopback port nobody listens on (now)."""
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


def wait_healthy(endpoint, proc, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("iamd exited early: %s %s" % (proc.returncode, proc.communicate()))
        try:
            with urllib.request.urlopen(endpoint + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.1)
    raise SystemExit("iamd did not become healthy")


def start(iamd, data, extra_args=()):
    """Starts `iamd serve` on a free loopback port; returns the process and its endpoint once healthy."""
    port = free_port()
    endpoint = "http://127.0.0.1:%d" % port
    proc = subprocess.Popen([iamd, "serve", "--listen", "127.0.0.1:%d" % port, "--data", data] + list(extra_args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_healthy(endpoint, proc)
    except BaseException:
        proc.kill()
        raise
    return proc, endpoint


def stop(proc):
    """SIGTERM, then the exit status ("timeout" if it did not exit), stdout and stderr."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = "timeout"
    out, err = proc.communicate()
    return rc, out, err


def cli_env(data, tmp):
    """An environment for the AWS CLI with the server's credentials file and nothing inherited."""
    env = dict(os.environ, AWS_SHARED_CREDENTIALS_FILE=os.path.join(data, "credentials"),
               AWS_CONFIG_FILE=os.path.join(tmp, "config"), AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
    for k in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(k, None)
    return env


class Cli:
    """The AWS CLI against one endpoint; ok() and error() record failed checks."""

    def __init__(self, endpoint, env):
        self.endpoint, self.env = endpoint, env

    def run(self, *args, profile=None):
        cmd = [AWS, "--endpoint-url", self.endpoint, "--output", "json"]
        if profile:
            cmd += ["--profile", profile]
        p = subprocess.run(cmd + list(args), env=self.env, capture_output=True, text=True, timeout=60)
        out = json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else None
        return p.returncode, out, p.stderr

    def ok(self, *args, profile=None):
        rc, out, err = self.run(*args, profile=profile)
        check(rc == 0, "aws %s: %s" % (" ".join(args), err.strip()))
        return out

    def error(self, code, *args, profile=None, message=None):
        rc, _, err = self.run(*args, profile=profile)
        check(rc != 0 and "(%s)" % code in err, "aws %s: expected %s, got rc=%d %s" % (" ".join(args), code, rc, err.strip()))
        if message is not None:
            check(message in err, "aws %s: expected message %r in %r" % (" ".join(args), message, err.strip()))
        return err


class Server:
    """One `iamd serve` in a fresh temporary folder (or on `data`), as a context
    manager or with start()/stop()."""

    def __init__(self, iamd, extra_args=(), data=None):
        self.iamd = os.path.abspath(iamd)
        self.tmp = tempfile.mkdtemp(prefix="iamd-test-")
        self.data = data or os.path.join(self.tmp, "data")
        self.extra_args = list(extra_args)
        self.proc = None

    def start(self):
        self.proc, self.endpoint = start(self.iamd, self.data, self.extra_args)
        self.port = int(self.endpoint.rsplit(":", 1)[1])
        self.host = "127.0.0.1:%d" % self.port
        self.root = read_credentials(os.path.join(self.data, "credentials"))
        return self

    def stop(self):
        """Stops the server, checks it exited 0; returns (status, stdout, stderr)."""
        rc, out, err = stop(self.proc)
        check(rc == 0, "SIGTERM: exit status %s" % rc)
        if FAILURES:
            print("--- iamd stdout ---\n" + out[-5000:] + "--- iamd stderr ---\n" + err[-5000:])
        return rc, out, err

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def client(self, service, key=None):
        key_id, secret = key or self.root
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=key_id, aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}))

    def cli(self):
        return Cli(self.endpoint, cli_env(self.data, self.tmp))
