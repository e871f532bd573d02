#!/usr/bin/python3
"""End-to-end test of iamd's STS with the real AWS CLI and boto3.

    /usr/bin/python3 sts_test.py path/to/iamd

The seed's restaurant: a part-time chef (IAM user) assumes the `chef` role
for a shift, uses the credentials for what the role allows, is denied the
rest, and is refused once the shift is over (the server runs with the
test-only --clock-offset-file, so expiry needs no sleep). Also: cross-account
trust between two accounts, ExternalId, session policies, role chaining,
get-caller-identity with every kind of credential, the refusals (untrusted
principal, wrong external id, duration out of range, bad session name,
tampered, expired and foreign tokens) and key rotation.
"""
import base64
import ctypes
import ctypes.util
import json
import os
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Cli, Server, check, cli_env, finish  # noqa: E402


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def trust(principal, **extra):
    st = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    st.update(extra)
    return policy(st)


def client_error(fn, code, message=None):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]
        check(got["Code"] == code, "expected %s, got %s: %s" % (code, got["Code"], got.get("Message")))
        if message is not None:
            check(message in got.get("Message", ""), "expected message %r in %r" % (message, got.get("Message")))
        return e.response
    check(False, "expected %s, the call succeeded" % code)
    return None


def env_with(base, creds):
    env = dict(base)
    env["AWS_ACCESS_KEY_ID"] = creds["AccessKeyId"]
    env["AWS_SECRET_ACCESS_KEY"] = creds["SecretAccessKey"]
    if "SessionToken" in creds:
        env["AWS_SESSION_TOKEN"] = creds["SessionToken"]
    return env


def token_key_id(token):
    return struct.unpack(">I", base64.b64decode(token)[1:5])[0]


def foreign_token(key_id):
    """A token sealed under a key id the server never had: a forgery with
    another ring (XChaCha20-Poly1305 via libsodium)."""
    lib = ctypes.CDLL(ctypes.util.find_library("sodium"))
    lib.sodium_init()
    plain = b"\x01\x03" + b"forged"
    nonce, key, aad = os.urandom(24), os.urandom(32), b"iamd-session-token-v1"
    out = ctypes.create_string_buffer(len(plain) + 16)
    n = ctypes.c_ulonglong(0)
    lib.crypto_aead_xchacha20poly1305_ietf_encrypt(out, ctypes.byref(n), plain, len(plain), aad, len(aad),
                                                   None, nonce, key)
    return base64.b64encode(b"\x01" + struct.pack(">I", key_id) + nonce + out.raw[: n.value]).decode()


def main():
    iamd = os.path.abspath(sys.argv[1])
    server = Server(iamd)
    offset_file = os.path.join(server.tmp, "clock-offset")
    with open(offset_file, "w") as f:
        f.write("0\n")
    server.extra_args = ["--clock-offset-file", offset_file]
    with server:
        run_checks(iamd, server.endpoint, server.data, server.tmp, offset_file)
    finish()


def run_checks(iamd, endpoint, data, tmp, offset_file):
    creds_path = os.path.join(data, "credentials")
    base_env = cli_env(data, tmp)
    cli = Cli(endpoint, base_env)
    cfg = Config(retries={"max_attempts": 1})

    def clients(creds, config=cfg):
        s = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                  aws_secret_access_key=creds["SecretAccessKey"],
                                  aws_session_token=creds.get("SessionToken"), region_name="us-east-1")
        return (s.client("iam", endpoint_url=endpoint, config=config),
                s.client("sts", endpoint_url=endpoint, config=config))

    lines = open(creds_path).read().splitlines()
    root = {"AccessKeyId": lines[1].split(" = ")[1], "SecretAccessKey": lines[2].split(" = ")[1]}
    iam, sts = clients(root)
    account = sts.get_caller_identity()["Account"]

    # The restaurant: a part-time chef, the chef role, and a guest who is not staff.
    iam.create_user(UserName="pat")
    iam.create_user(UserName="eve")
    pat = iam.create_access_key(UserName="pat")["AccessKey"]
    eve = iam.create_access_key(UserName="eve")["AccessKey"]
    with open(creds_path, "a") as f:
        f.write("[pat]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (pat["AccessKeyId"], pat["SecretAccessKey"]))
    pat_arn = "arn:aws:iam::%s:user/pat" % account
    chef_arn = "arn:aws:iam::%s:role/chef" % account
    iam.create_role(RoleName="chef", AssumeRolePolicyDocument=trust(pat_arn))
    iam.put_role_policy(RoleName="chef", PolicyName="kitchen", PolicyDocument=policy(
        allow(["iam:ListUsers", "iam:GetUser"]), allow("sts:AssumeRole")))

    # --- The shift: assume the role with the CLI, use it, be denied the rest.
    shift = cli.ok("sts", "assume-role", "--role-arn", chef_arn, "--role-session-name", "monday-shift",
                   "--duration-seconds", "900", profile="pat")
    creds = shift["Credentials"]
    check(creds["AccessKeyId"].startswith("ASIA"), "temporary key %r" % creds["AccessKeyId"])
    session_arn = "arn:aws:sts::%s:assumed-role/chef/monday-shift" % account
    check(shift["AssumedRoleUser"]["Arn"] == session_arn, "assumed role arn %r" % shift["AssumedRoleUser"])
    check(shift["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA") and
          shift["AssumedRoleUser"]["AssumedRoleId"].endswith(":monday-shift"), "assumed role id")
    chef_cli = Cli(endpoint, env_with(base_env, creds))
    who = chef_cli.ok("sts", "get-caller-identity")
    check(who["Arn"] == session_arn and who["Account"] == account, "chef identity %r" % who)
    listed = chef_cli.ok("iam", "list-users")
    check(listed and {"pat", "eve"} <= {u["UserName"] for u in listed["Users"]}, "the chef lists users")
    chef_cli.error("AccessDenied", "iam", "create-user", "--user-name", "mallory",
                   message="User: %s is not authorized to perform: iam:CreateUser on resource: "
                           "arn:aws:iam::%s:user/mallory because no identity-based policy allows the "
                           "iam:CreateUser action" % (session_arn, account))
    chef_iam, chef_sts = clients(creds)
    check(chef_iam.get_user(UserName="eve")["User"]["UserName"] == "eve", "the chef reads a user (boto3)")
    last_used = iam.get_role(RoleName="chef")["Role"].get("RoleLastUsed", {})
    check("LastUsedDate" in last_used, "RoleLastUsed recorded %r" % last_used)

    # The presigned (query) form carries the token as X-Amz-Security-Token
    # (botocore signs IAM's operations as POSTs).
    url = chef_iam.generate_presigned_url("list_users", ExpiresIn=300)
    check("X-Amz-Security-Token=" in url, "presigned url carries the token")
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST"), timeout=10) as r:
            check(r.status == 200 and b"<ListUsersResult>" in r.read(), "presigned list-users with a session")
    except urllib.error.HTTPError as e:
        check(False, "presigned list-users with a session: %s %s" % (e.code, e.read()))

    # --- Refusals with the token.
    tampered = dict(creds)
    t = creds["SessionToken"]
    mid = len(t) // 2
    tampered["SessionToken"] = t[:mid] + ("A" if t[mid] != "A" else "B") + t[mid + 1:]
    client_error(lambda: clients(tampered)[0].list_users(), "InvalidClientTokenId",
                 "The security token included in the request is invalid.")
    no_token = {"AccessKeyId": creds["AccessKeyId"], "SecretAccessKey": creds["SecretAccessKey"]}
    client_error(lambda: clients(no_token)[0].list_users(), "InvalidClientTokenId")
    forged = dict(creds, SessionToken=foreign_token(4242))
    client_error(lambda: clients(forged)[0].list_users(), "InvalidClientTokenId")

    # --- Refusals of AssumeRole.
    pat_iam, pat_sts = clients(pat)
    eve_iam, eve_sts = clients(eve)
    # botocore checks lengths and ranges itself; let the server see bad values.
    _, pat_raw_sts = clients(pat, Config(retries={"max_attempts": 1}, parameter_validation=False))
    client_error(lambda: sts.assume_role(RoleArn=chef_arn, RoleSessionName="owner"), "AccessDenied",
                 "Roles may not be assumed by root accounts.")
    client_error(lambda: eve_sts.assume_role(RoleArn=chef_arn, RoleSessionName="sneaky"), "AccessDenied",
                 "User: arn:aws:iam::%s:user/eve is not authorized to perform: sts:AssumeRole on resource: %s"
                 % (account, chef_arn))
    client_error(lambda: pat_sts.assume_role(RoleArn=chef_arn, RoleSessionName="visit", DurationSeconds=7200),
                 "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
    client_error(lambda: pat_raw_sts.assume_role(RoleArn=chef_arn, RoleSessionName="visit", DurationSeconds=600),
                 "ValidationError", "failed to satisfy constraint: Member must have value greater than or equal to 900")
    client_error(lambda: pat_sts.assume_role(RoleArn=chef_arn, RoleSessionName="bad name!"), "ValidationError",
                 "at 'roleSessionName' failed to satisfy constraint")
    client_error(lambda: pat_raw_sts.assume_role(RoleArn=chef_arn, RoleSessionName="x"), "ValidationError")

    # --- ExternalId: the supplier's role requires one.
    iam.create_role(RoleName="supplier", AssumeRolePolicyDocument=trust(
        pat_arn, Condition={"StringEquals": {"sts:ExternalId": "farm-42"}}))
    supplier_arn = "arn:aws:iam::%s:role/supplier" % account
    client_error(lambda: pat_sts.assume_role(RoleArn=supplier_arn, RoleSessionName="visit"), "AccessDenied")
    client_error(lambda: pat_sts.assume_role(RoleArn=supplier_arn, RoleSessionName="visit", ExternalId="farm-41"),
                 "AccessDenied", "is not authorized to perform: sts:AssumeRole on resource: " + supplier_arn)
    check(pat_sts.assume_role(RoleArn=supplier_arn, RoleSessionName="visit", ExternalId="farm-42")["Credentials"],
          "the right external id")

    # --- A session policy narrows the role.
    narrow = pat_sts.assume_role(RoleArn=chef_arn, RoleSessionName="prep", Policy=policy(allow("iam:GetUser")))
    check(isinstance(narrow.get("PackedPolicySize"), int), "PackedPolicySize %r" % narrow.get("PackedPolicySize"))
    narrow_iam, _ = clients(narrow["Credentials"])
    check(narrow_iam.get_user(UserName="pat")["User"]["UserName"] == "pat", "the narrowed session reads a user")
    client_error(lambda: narrow_iam.list_users(), "AccessDenied", "because no session policy allows the iam:ListUsers action")

    # --- Role chaining: the chef hands over to the sous-chef, one hour at most.
    iam.create_role(RoleName="sous-chef", AssumeRolePolicyDocument=trust(chef_arn), MaxSessionDuration=7200)
    sous_arn = "arn:aws:iam::%s:role/sous-chef" % account
    client_error(lambda: chef_sts.assume_role(RoleArn=sous_arn, RoleSessionName="handover", DurationSeconds=3601),
                 "ValidationError", "1 hour session limit for roles assumed by role chaining")
    sous = chef_sts.assume_role(RoleArn=sous_arn, RoleSessionName="handover", DurationSeconds=3600)
    _, sous_sts = clients(sous["Credentials"])
    check(sous_sts.get_caller_identity()["Arn"] == "arn:aws:sts::%s:assumed-role/sous-chef/handover" % account,
          "chained identity")

    # --- get-caller-identity with every kind of credential.
    check(cli.ok("sts", "get-caller-identity")["Arn"] == "arn:aws:iam::%s:root" % account, "root identity")
    check(pat_sts.get_caller_identity()["Arn"] == pat_arn, "user identity")
    gst = pat_sts.get_session_token(DurationSeconds=900)["Credentials"]
    gst_iam, gst_sts = clients(gst)
    check(gst_sts.get_caller_identity()["Arn"] == pat_arn, "GetSessionToken identity")
    client_error(lambda: gst_iam.list_users(), "InvalidClientTokenId")  # no MFA: IAM refuses these credentials
    root_gst = sts.get_session_token()["Credentials"]
    check(clients(root_gst)[1].get_caller_identity()["Arn"] == "arn:aws:iam::%s:root" % account, "root session identity")
    iam.put_user_policy(UserName="pat", PolicyName="broker", PolicyDocument=policy(
        allow(["sts:GetFederationToken", "iam:ListUsers"])))
    fed = pat_sts.get_federation_token(Name="guest-cook", Policy=policy(allow("iam:ListUsers")), DurationSeconds=900)
    check(fed["FederatedUser"]["Arn"] == "arn:aws:sts::%s:federated-user/guest-cook" % account, "federated arn")
    fed_who = clients(fed["Credentials"])[1].get_caller_identity()
    check(fed_who["Arn"] == "arn:aws:sts::%s:federated-user/guest-cook" % account and
          fed_who["UserId"] == "%s:guest-cook" % account, "federated identity %r" % fed_who)
    client_error(lambda: clients(fed["Credentials"])[0].list_users(), "InvalidClientTokenId")
    check(sts.get_access_key_info(AccessKeyId=creds["AccessKeyId"])["Account"] == account, "GetAccessKeyInfo")

    # --- Cross-account: a delivery company's account assumes the restaurant's role.
    out = subprocess.run([iamd, "account", "create", "--data", data], capture_output=True, text=True, timeout=30)
    check(out.returncode == 0, "account create: %s" % out.stderr)
    other = out.stdout.splitlines()
    b_account = other[0].strip("[]")
    b_root = {"AccessKeyId": other[1].split(" = ")[1], "SecretAccessKey": other[2].split(" = ")[1]}
    b_iam, _ = clients(b_root)
    b_iam.create_user(UserName="driver")
    driver = b_iam.create_access_key(UserName="driver")["AccessKey"]
    _, driver_sts = clients(driver)
    iam.create_role(RoleName="delivery", AssumeRolePolicyDocument=trust("arn:aws:iam::%s:root" % b_account))
    delivery_arn = "arn:aws:iam::%s:role/delivery" % account
    client_error(lambda: driver_sts.assume_role(RoleArn=delivery_arn, RoleSessionName="drop-off"), "AccessDenied",
                 "User: arn:aws:iam::%s:user/driver is not authorized to perform: sts:AssumeRole" % b_account)
    b_iam.put_user_policy(UserName="driver", PolicyName="deliver", PolicyDocument=policy(
        allow("sts:AssumeRole", delivery_arn)))
    crossed = driver_sts.assume_role(RoleArn=delivery_arn, RoleSessionName="drop-off")
    check(crossed["AssumedRoleUser"]["Arn"] == "arn:aws:sts::%s:assumed-role/delivery/drop-off" % account,
          "cross-account session %r" % crossed["AssumedRoleUser"])
    check(clients(crossed["Credentials"])[1].get_caller_identity()["Account"] == account, "cross-account identity")

    # --- Key rotation: new tokens under the new key, old ones still valid.
    old_key = token_key_id(creds["SessionToken"])
    out = subprocess.run([iamd, "keys", "rotate", "--data", data], capture_output=True, text=True, timeout=30)
    check(out.returncode == 0 and "rotated" in out.stdout, "keys rotate: %s %s" % (out.stdout, out.stderr))
    rotated = None
    for _ in range(50):  # the server picks the key up within seconds
        rotated = pat_sts.assume_role(RoleArn=chef_arn, RoleSessionName="after-rotation")["Credentials"]
        if token_key_id(rotated["SessionToken"]) != old_key:
            break
        time.sleep(0.2)
    check(token_key_id(rotated["SessionToken"]) == old_key + 1, "new tokens sealed by the new key")
    check(clients(rotated)[0].list_users()["Users"], "a token of the new key works")
    check(chef_iam.list_users()["Users"], "a token of the old key still works")

    # --- The shift ends: move the session clock past the expiry.
    with open(offset_file, "w") as f:
        f.write("901\n")
    chef_cli.error("ExpiredToken", "iam", "list-users",
                   message="The security token included in the request is expired")
    client_error(lambda: chef_sts.get_caller_identity(), "ExpiredToken")
    check(clients(rotated)[0].list_users()["Users"], "an hour-long session outlives the shift")
    with open(offset_file, "w") as f:
        f.write("0\n")


if __name__ == "__main__":
    main()
