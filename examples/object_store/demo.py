#!/usr/bin/python3
"""The seed's example, end to end: an application that runs as a role reads
and writes a bucket of an object store that asks iamd about every request,
and is denied another bucket.

    /usr/bin/python3 examples/object_store/demo.py path/to/iamd

It starts `iamd serve` and objstore.py on free loopback ports (fresh data
folder), then, as the account root:
  1. creates the store's own identity (user `objstore`, allowed iamd:Authorize);
  2. creates the role `photo-app` whose trust policy lets the user
     `web-instance` (standing in for an EC2 instance) assume it;
  3. gives the role a bucket policy on `photos` (the store keeps it);
and, as `web-instance`, assumes the role and uses the temporary credentials
with boto3's S3 client: write and read `photos`, denied `finance`.
Exits 1 if anything does not happen as told.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url, proc):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit("%s exited early" % url)
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except Exception:
            time.sleep(0.05)
    sys.exit("%s did not come up" % url)


def step(text):
    print("--", text, flush=True)


def expect(ok, what):
    print("   %s: %s" % ("ok" if ok else "FAILED", what), flush=True)
    if not ok:
        raise SystemExit(1)


def expect_error(call, code, what):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return expect(e.response["Error"]["Code"] == code, "%s: %s" % (what, code))
    expect(False, "%s: %s" % (what, code))


def main():
    iamd = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="iamd-example-")
    iamd_port, store_port = free_port(), free_port()
    iamd_url, store_url = "http://127.0.0.1:%d" % iamd_port, "http://127.0.0.1:%d" % store_port
    procs = []
    try:
        procs.append(subprocess.Popen([iamd, "serve", "--listen", "127.0.0.1:%d" % iamd_port,
                                       "--data", os.path.join(tmp, "data")], stdout=subprocess.DEVNULL))
        wait_up(iamd_url + "/healthz", procs[-1])
        creds = dict(l.strip().split(" = ", 1) for l in open(os.path.join(tmp, "data", "credentials")) if " = " in l)
        root = dict(endpoint_url=iamd_url, region_name="us-east-1", aws_access_key_id=creds["aws_access_key_id"],
                    aws_secret_access_key=creds["aws_secret_access_key"])
        iam, sts = boto3.client("iam", **root), boto3.client("sts", **root)
        account = sts.get_caller_identity()["Account"]

        step("the object store gets its own identity, allowed to ask iamd")
        iam.create_user(UserName="objstore")
        iam.put_user_policy(UserName="objstore", PolicyName="ask-iamd", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iamd:Authorize", "Resource": "*"}]}))
        k = iam.create_access_key(UserName="objstore")["AccessKey"]
        key_file = os.path.join(tmp, "objstore-key.json")
        json.dump([k["AccessKeyId"], k["SecretAccessKey"]], open(key_file, "w"))
        procs.append(subprocess.Popen([sys.executable, os.path.join(HERE, "objstore.py"), "--port", str(store_port),
                                       "--iamd", iamd_url, "--account", account, "--key-file", key_file]))
        wait_up(store_url + "/", procs[-1])

        step("role photo-app, which the instance may assume; the instance's user")
        iam.create_user(UserName="web-instance")
        instance_arn = "arn:aws:iam::%s:user/web-instance" % account
        iam.put_user_policy(UserName="web-instance", PolicyName="assume", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Resource": "arn:aws:iam::%s:role/photo-app" % account}]}))
        role = iam.create_role(RoleName="photo-app", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": instance_arn},
                                                    "Action": "sts:AssumeRole"}]}))["Role"]
        ik = iam.create_access_key(UserName="web-instance")["AccessKey"]

        step("the bucket policy of photos grants the role read and write (set by the root)")
        s3_root = boto3.client("s3", endpoint_url=store_url, region_name="us-east-1",
                               aws_access_key_id=root["aws_access_key_id"],
                               aws_secret_access_key=root["aws_secret_access_key"],
                               config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        s3_root.put_bucket_policy(Bucket="photos", Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": role["Arn"]},
                                                    "Action": ["s3:GetObject", "s3:PutObject"],
                                                    "Resource": "arn:aws:s3:::photos/*"}]}))

        step("the instance assumes photo-app")
        instance_sts = boto3.client("sts", endpoint_url=iamd_url, region_name="us-east-1",
                                    aws_access_key_id=ik["AccessKeyId"], aws_secret_access_key=ik["SecretAccessKey"])
        session = instance_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="web-1")["Credentials"]
        s3 = boto3.client("s3", endpoint_url=store_url, region_name="us-east-1",
                          aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"],
                          aws_session_token=session["SessionToken"],
                          config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))

        step("as the role: write and read photos/cat.jpg")
        s3.put_object(Bucket="photos", Key="cat.jpg", Body=b"meow")
        expect(s3.get_object(Bucket="photos", Key="cat.jpg")["Body"].read() == b"meow", "read back what was written")

        step("as the role: the finance bucket is denied")
        expect_error(lambda: s3.get_object(Bucket="finance", Key="q3.xlsx"), "AccessDenied", "read finance")
        expect_error(lambda: s3.put_object(Bucket="finance", Key="q3.xlsx", Body=b"x"), "AccessDenied", "write finance")

        step("the instance's own keys cannot read photos (only the role may)")
        s3_instance = boto3.client("s3", endpoint_url=store_url, region_name="us-east-1",
                                   aws_access_key_id=ik["AccessKeyId"], aws_secret_access_key=ik["SecretAccessKey"],
                                   config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        expect_error(lambda: s3_instance.get_object(Bucket="photos", Key="cat.jpg"), "AccessDenied", "instance user")

        step("a forged signature is refused by iamd")
        forged = boto3.client("s3", endpoint_url=store_url, region_name="us-east-1",
                              aws_access_key_id=session["AccessKeyId"], aws_secret_access_key="x" * 40,
                              aws_session_token=session["SessionToken"],
                              config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        expect_error(lambda: forged.get_object(Bucket="photos", Key="cat.jpg"), "SignatureDoesNotMatch", "forged")

        step("every decision is in iamd's audit trail (written within 0.2 s)")
        for _ in range(50):
            out = subprocess.run([iamd, "audit", "--data", os.path.join(tmp, "data"), "--action", "iamd:Authorize"],
                                 capture_output=True, text=True).stdout.splitlines()
            decisions = [json.loads(l)["additionalEventData"]["decision"] for l in out]
            if len(decisions) >= 6:
                break
            time.sleep(0.1)
        expect(decisions.count("Allow") >= 3 and decisions.count("ImplicitDeny") >= 3,
               "audit: %d decisions (%d allowed)" % (len(decisions), decisions.count("Allow")))
        print("example passed")
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
