#!/usr/bin/python3
"""End-to-end test of virtual MFA devices and identity providers with the real
AWS CLI and boto3 against `iamd serve`.

The AWS CLI is kept where its own path is under test (the device seed and QR
code written to --outfile, shorthand --tags, file:// documents, its JSON
output and error lines); everything else goes through boto3 in process,
since each CLI start costs seconds.

    /usr/bin/python3 mfa_federation_test.py path/to/iamd

TOTP codes are computed here with hmac (RFC 6238); SAML metadata certificates
are made with python3-cryptography. Nothing leaves the loopback interface.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import struct
import sys
import time

import boto3
import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, check, finish  # noqa: E402


def totp(seed_b32, step):
    """RFC 6238: HMAC-SHA-1 over the 30-second step, dynamic truncation, 6 digits."""
    key = base64.b32decode(seed_b32 + "=" * (-len(seed_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


def now_step():
    return int(time.time()) // 30


def client_error(fn, code, what):
    try:
        fn()
        check(False, "%s: expected %s, succeeded" % (what, code))
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        check(got == code, "%s: expected %s, got %s (%s)" % (what, code, got, e.response["Error"]["Message"]))
        return e.response


def mfa_checks(cli, iam, tmp, account):
    iam.create_user(UserName="alice")
    # The CLI writes the QR code (a real PNG) or the Base32 seed to a file.
    png_path = os.path.join(tmp, "qr.png")
    out = cli.ok("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "qr",
                 "--outfile", png_path, "--bootstrap-method", "QRCodePNG")
    check(out and out["VirtualMFADevice"]["SerialNumber"] == "arn:aws:iam::%s:mfa/qr" % account, "serial: %r" % out)
    png = open(png_path, "rb").read()
    check(png.startswith(b"\x89PNG\r\n\x1a\n") and b"IHDR" in png[:16] and png.endswith(b"IEND\xaeB`\x82"),
          "QRCodePNG is a PNG: %r" % png[:16])
    seed_path = os.path.join(tmp, "seed.txt")
    cli.ok("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice", "--outfile", seed_path,
           "--bootstrap-method", "Base32StringSeed", "--tags", "Key=team,Value=kitchen")
    seed = open(seed_path).read().strip()
    check(len(seed) == 32 and set(seed) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), "Base32 seed: %r" % seed)
    serial = "arn:aws:iam::%s:mfa/alice" % account
    client_error(lambda: iam.create_virtual_mfa_device(VirtualMFADeviceName="alice"), "EntityAlreadyExists",
                 "a second device named alice")

    # Enabling needs two consecutive codes.
    s = now_step()
    cli.error("InvalidAuthenticationCode", "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
              "--authentication-code1", totp(seed, s), "--authentication-code2", totp(seed, s + 2),
              message="Authentication code for device is not valid.")
    enable = lambda user, c1, c2: iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1=c1,
                                                        AuthenticationCode2=c2)
    client_error(lambda: enable("alice", "123456", "654321"), "InvalidAuthenticationCode", "enable with wrong codes")
    client_error(lambda: enable("nobody", totp(seed, s - 1), totp(seed, s)), "NoSuchEntity", "enable for nobody")
    cli.ok("iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
           "--authentication-code1", totp(seed, s - 1), "--authentication-code2", totp(seed, s))
    devices = cli.ok("iam", "list-mfa-devices", "--user-name", "alice")
    check(devices and [d["SerialNumber"] for d in devices["MFADevices"]] == [serial], "list-mfa-devices: %r" % devices)
    check(devices and "EnableDate" in devices["MFADevices"][0], "EnableDate listed")
    client_error(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial), "DeleteConflict", "delete an enabled device")

    # Resync: the codes used to enable are spent; fresh consecutive ones work once.
    resync = lambda c1, c2: iam.resync_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1=c1,
                                                  AuthenticationCode2=c2)
    client_error(lambda: resync(totp(seed, s - 1), totp(seed, s)), "InvalidAuthenticationCode", "resync with spent codes")
    resync(totp(seed, s + 1), totp(seed, s + 2))
    client_error(lambda: resync(totp(seed, s + 1), totp(seed, s + 2)), "InvalidAuthenticationCode",
                 "resync with the same codes again")

    # Listing by assignment status, with pagination.
    assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    check([d["SerialNumber"] for d in assigned] == [serial], "assigned devices: %r" % assigned)
    check(assigned and assigned[0]["User"]["UserName"] == "alice" and "EnableDate" in assigned[0], "device's user: %r" % assigned)
    unassigned = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    check([d["SerialNumber"] for d in unassigned] == ["arn:aws:iam::%s:mfa/qr" % account], "unassigned: %r" % unassigned)
    for i in range(3):
        iam.create_virtual_mfa_device(VirtualMFADeviceName="spare%d" % i)
    page = iam.list_virtual_mfa_devices(MaxItems=2)
    check(len(page["VirtualMFADevices"]) == 2 and page["IsTruncated"], "first page: %r" % page)
    seen = [d["SerialNumber"] for d in page["VirtualMFADevices"]]
    while page.get("IsTruncated"):
        page = iam.list_virtual_mfa_devices(MaxItems=2, Marker=page["Marker"])
        seen += [d["SerialNumber"] for d in page["VirtualMFADevices"]]
    check(len(seen) == 5 and len(set(seen)) == 5, "all pages: %r" % seen)
    paginated = [d["SerialNumber"] for p in iam.get_paginator("list_virtual_mfa_devices").paginate(
        PaginationConfig={"PageSize": 1}) for d in p["VirtualMFADevices"]]
    check(paginated == seen, "boto3 paginator: %r" % paginated)

    # Tags (those given at creation through the CLI's shorthand).
    tags = iam.list_mfa_device_tags(SerialNumber=serial)
    check(tags["Tags"] == [{"Key": "team", "Value": "kitchen"}], "tags at creation: %r" % tags)
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "shift", "Value": "night"}])
    iam.untag_mfa_device(SerialNumber=serial, TagKeys=["team"])
    tags = iam.list_mfa_device_tags(SerialNumber=serial)
    check(tags["Tags"] == [{"Key": "shift", "Value": "night"}], "tags after change: %r" % tags)

    # Deactivate, then the spent codes cannot re-enable it; delete.
    client_error(lambda: iam.deactivate_mfa_device(UserName="nobody", SerialNumber=serial), "NoSuchEntity",
                 "deactivate for nobody")
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial)
    check(iam.list_mfa_devices(UserName="alice")["MFADevices"] == [], "deactivated")
    client_error(lambda: enable("alice", totp(seed, s + 1), totp(seed, s + 2)), "InvalidAuthenticationCode",
                 "re-enable with spent codes")
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    client_error(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial), "NoSuchEntity", "delete it again")


def self_service_checks(srv, iam, account):
    """A user allowed to manage only the device named after them (the policy AWS documents)."""
    iam.create_user(UserName="bob")
    iam.put_user_policy(UserName="bob", PolicyName="own-mfa", PolicyDocument="""{"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
                     "Resource": "arn:aws:iam::*:mfa/${aws:username}"},
                    {"Effect": "Allow", "Action": "iam:ListMFADevices", "Resource": "arn:aws:iam::*:user/${aws:username}"}]}""")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = srv.client("iam", (key["AccessKeyId"], key["SecretAccessKey"]))
    bob.create_virtual_mfa_device(VirtualMFADeviceName="bob")
    r = client_error(lambda: bob.create_virtual_mfa_device(VirtualMFADeviceName="carol"), "AccessDenied", "bob creates carol's device")
    check(r and "arn:aws:iam::%s:mfa/carol" % account in r["Error"]["Message"], "denial names the device: %r" % r)
    bob.list_mfa_devices()
    client_error(lambda: bob.list_mfa_devices(UserName="alice"), "AccessDenied", "bob lists alice's devices")
    bob.delete_virtual_mfa_device(SerialNumber="arn:aws:iam::%s:mfa/bob" % account)


def mfa_role_checks(srv, iam, account):
    """A role whose trust policy requires MFA: AssumeRole needs a fresh code of
    the caller's device, and the session then carries aws:MultiFactorAuthPresent."""
    iam.create_user(UserName="carol")
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    carol = srv.client("sts", (key["AccessKeyId"], key["SecretAccessKey"]))
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="carol")["VirtualMFADevice"]
    seed, serial = device["Base32StringSeed"].decode(), device["SerialNumber"]
    s = now_step()
    iam.enable_mfa_device(UserName="carol", SerialNumber=serial, AuthenticationCode1=totp(seed, s - 1),
                          AuthenticationCode2=totp(seed, s))
    role_arn = "arn:aws:iam::%s:role/safe-keeper" % account
    iam.create_role(RoleName="safe-keeper", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:user/carol" % account}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
    iam.put_role_policy(RoleName="safe-keeper", PolicyName="with-mfa", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
                                                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
    assume = lambda **kw: carol.assume_role(RoleArn=role_arn, RoleSessionName="open-safe", **kw)
    client_error(lambda: assume(), "AccessDenied", "MFA role without a code")
    client_error(lambda: assume(SerialNumber=serial, TokenCode="000000" if totp(seed, s + 1) != "000000" else "111111"),
                 "AccessDenied", "MFA role with a wrong code")
    client_error(lambda: assume(SerialNumber=serial, TokenCode=totp(seed, s)), "AccessDenied",
                 "MFA role with the code spent enabling the device")
    client_error(lambda: assume(SerialNumber=serial), "ValidationError", "SerialNumber without TokenCode")
    creds = assume(SerialNumber=serial, TokenCode=totp(seed, s + 1))["Credentials"]
    client_error(lambda: assume(SerialNumber=serial, TokenCode=totp(seed, s + 1)), "AccessDenied",
                 "MFA role with a reused code")
    session = boto3.client("iam", endpoint_url=srv.endpoint, region_name="us-east-1",
                           aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])
    users = session.list_users()["Users"]  # allowed only when aws:MultiFactorAuthPresent is true
    check(any(u["UserName"] == "carol" for u in users), "MFA session lists users: %r" % users)


def retag(iam, noun, arn_param, arn):
    """tag_NOUN, untag_NOUN, list_NOUN_tags (boto3, to keep the AWS CLI calls
    few): the env=test tag of creation becomes a=b."""
    getattr(iam, "tag_" + noun)(**{arn_param: arn, "Tags": [{"Key": "a", "Value": "b"}]})
    getattr(iam, "untag_" + noun)(**{arn_param: arn, "TagKeys": ["env"]})
    tags = getattr(iam, "list_%s_tags" % noun)(**{arn_param: arn})["Tags"]
    check(tags == [{"Key": "a", "Value": "b"}], "%s tags: %r" % (noun, tags))


def oidc_checks(cli, iam, account):
    url = "https://idp.example.test/realms/kitchen"
    arn = "arn:aws:iam::%s:oidc-provider/idp.example.test/realms/kitchen" % account
    thumb = "a" * 40
    out = cli.ok("iam", "create-open-id-connect-provider", "--url", url, "--client-id-list", "app-1",
                 "--thumbprint-list", thumb, "--tags", "Key=env,Value=test")
    check(out and out["OpenIDConnectProviderArn"] == arn, "OIDC provider ARN: %r" % out)
    client_error(lambda: iam.create_open_id_connect_provider(Url=url, ThumbprintList=[thumb]), "EntityAlreadyExists",
                 "the same OIDC provider again")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-2")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-2")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-1")
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=["b" * 40, "c" * 40])
    got = cli.ok("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn)
    check(got and got["Url"] == "idp.example.test/realms/kitchen" and got["ClientIDList"] == ["app-2"]
          and got["ThumbprintList"] == ["b" * 40, "c" * 40] and got["Tags"] == [{"Key": "env", "Value": "test"}],
          "get-open-id-connect-provider: %r" % got)
    listed = iam.list_open_id_connect_providers()
    check({"Arn": arn} in listed["OpenIDConnectProviderList"], "listed: %r" % listed)
    retag(iam, "open_id_connect_provider", "OpenIDConnectProviderArn", arn)
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    cli.error("NoSuchEntity", "iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn)


def make_idp(tmp, entity_id):
    """A self-signed IdP certificate and key (PEM files) and its SAML metadata."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.test")])
    now = datetime.datetime.utcnow()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))
    key_path, cert_path = os.path.join(tmp, "idp-key.pem"), os.path.join(tmp, "idp-cert.pem")
    open(key_path, "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    open(cert_path, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    der = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    metadata = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
""" % (entity_id, der)
    return key_path, cert_path, metadata


def saml_checks(cli, iam, tmp, account):
    _, _, metadata = make_idp(tmp, "https://idp.example.test/saml")
    meta_path = os.path.join(tmp, "metadata.xml")
    open(meta_path, "w").write(metadata)
    arn = "arn:aws:iam::%s:saml-provider/corp" % account
    out = cli.ok("iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", "file://" + meta_path,
                 "--tags", "Key=env,Value=test")
    check(out and out["SAMLProviderArn"] == arn, "SAML provider ARN: %r" % out)
    client_error(lambda: iam.create_saml_provider(Name="corp", SAMLMetadataDocument=metadata), "EntityAlreadyExists",
                 "the same SAML provider again")
    bad = metadata.replace("IDPSSODescriptor", "SPSSODescriptor")
    client_error(lambda: iam.create_saml_provider(Name="bad", SAMLMetadataDocument=bad), "InvalidInput",
                 "SAML metadata without an IdP")
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    check(got["SAMLMetadataDocument"] == metadata and got["Tags"] == [{"Key": "env", "Value": "test"}],
          "get-saml-provider: %r" % {k: v for k, v in got.items() if k != "SAMLMetadataDocument"})
    listed = iam.list_saml_providers()
    check([p["Arn"] for p in listed["SAMLProviderList"]] == [arn], "listed: %r" % listed)
    client_error(lambda: iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=bad), "InvalidInput",
                 "update to metadata without an IdP")
    updated = metadata.replace("https://idp.example.test/sso", "https://idp.example.test/sso2")
    open(meta_path, "w").write(updated)
    out = cli.ok("iam", "update-saml-provider", "--saml-provider-arn", arn, "--saml-metadata-document", "file://" + meta_path)
    check(out and out["SAMLProviderArn"] == arn, "update answer: %r" % out)
    check(cli.ok("iam", "get-saml-provider", "--saml-provider-arn", arn)["SAMLMetadataDocument"] == updated, "updated")
    retag(iam, "saml_provider", "SAMLProviderArn", arn)
    iam.delete_saml_provider(SAMLProviderArn=arn)
    client_error(lambda: iam.get_saml_provider(SAMLProviderArn=arn), "NoSuchEntity", "get a deleted SAML provider")


def main():
    with Server(sys.argv[1]) as srv:
        cli = srv.cli()
        iam = srv.client("iam")
        account = srv.client("sts").get_caller_identity()["Account"]
        mfa_checks(cli, iam, srv.tmp, account)
        self_service_checks(srv, iam, account)
        mfa_role_checks(srv, iam, account)
        oidc_checks(cli, iam, account)
        saml_checks(cli, iam, srv.tmp, account)
    finish()


if __name__ == "__main__":
    main()
