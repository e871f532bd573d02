#!/usr/bin/python3
"""End-to-end test of AssumeRoleWithWebIdentity and AssumeRoleWithSAML with the
real AWS CLI and boto3 against `iamd serve`.

    /usr/bin/python3 federation_test.py path/to/iamd

The identity providers live here: RSA and EC P-256 keys and their JWKS (made
with python3-cryptography, served to iamd through --oidc-jwks-dir), ID tokens
signed here, and SAML responses signed with the xmlsec1 tool. Both calls go
unsigned, as AWS takes them; the credentials they return are then used.
"""
import base64
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.exceptions
from botocore import UNSIGNED
from botocore.config import Config
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mfa_federation_test  # noqa: E402  (make_idp: a SAML IdP's key, certificate and metadata)
from harness import Cli, Server, check, cli_env, finish  # noqa: E402

ISSUER = "https://idp.example.test/realms/kitchen"
PROVIDER = "idp.example.test/realms/kitchen"
CLIENT_ID = "kitchen-app"
SAML_ENTITY = "https://idp.example.test/saml"


def client_error(fn, code, what):
    try:
        fn()
        check(False, "%s: expected %s, succeeded" % (what, code))
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        check(got == code, "%s: expected %s, got %s (%s)" % (what, code, got, e.response["Error"]["Message"]))
        return e.response


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_int(n, size):
    return b64url(n.to_bytes(size, "big"))


class OidcIdp:
    """An RSA and an EC P-256 signing key, their JWKS, and ID tokens."""

    def __init__(self):
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())

    def jwks(self):
        rn = self.rsa.public_key().public_numbers()
        en = self.ec.public_key().public_numbers()
        return {"keys": [
            {"kty": "RSA", "kid": "rsa1", "use": "sig", "alg": "RS256", "n": b64url_int(rn.n, 256), "e": b64url_int(rn.e, 3)},
            {"kty": "EC", "kid": "ec1", "use": "sig", "alg": "ES256", "crv": "P-256",
             "x": b64url_int(en.x, 32), "y": b64url_int(en.y, 32)}]}

    def token(self, alg="RS256", key=None, kid=None, **overrides):
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": "chef-1", "aud": CLIENT_ID, "iat": now, "exp": now + 600}
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        header = {"alg": alg, "typ": "JWT", "kid": kid or ("rsa1" if alg == "RS256" else "ec1")}
        signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
        if alg == "RS256":
            sig = (key or self.rsa).sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "ES256":
            r, s = decode_dss_signature((key or self.ec).sign(signing_input, ec.ECDSA(hashes.SHA256())))
            sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        else:
            sig = b""
        return signing_input.decode() + "." + b64url(sig)


def saml_response(key_path, tmp, role_pairs, session_name="alice@example.test", subject="alice", issuer=SAML_ENTITY,
                  not_on_or_after=None, audience="https://signin.aws.amazon.com/saml", extra_attributes=(), sign=True):
    """A samlp:Response with one Assertion signed by `key_path` (xmlsec1 --sign), base64."""
    now = datetime.datetime.utcnow()
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    until = (not_on_or_after or now + datetime.timedelta(minutes=5)).strftime(fmt)
    attrs = [("https://aws.amazon.com/SAML/Attributes/Role", role_pairs),
             ("https://aws.amazon.com/SAML/Attributes/RoleSessionName", [session_name])] + list(extra_attributes)
    attribute_xml = "".join(
        '<saml:Attribute Name="%s">%s</saml:Attribute>' % (name, "".join(
            "<saml:AttributeValue>%s</saml:AttributeValue>" % v for v in values)) for name, values in attrs)
    signature = """<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>
<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
<ds:Reference URI="#_a1"><ds:Transforms>
<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>
<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>
</ds:SignedInfo><ds:SignatureValue/></ds:Signature>""" if sign else ""
    xml = """<?xml version="1.0"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="{now}" Destination="https://signin.aws.amazon.com/saml">
<saml:Issuer>{issuer}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion ID="_a1" Version="2.0" IssueInstant="{now}">
<saml:Issuer>{issuer}</saml:Issuer>{signature}
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{subject}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{until}" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>
<saml:Conditions NotBefore="{before}" NotOnOrAfter="{until}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AttributeStatement>{attributes}</saml:AttributeStatement>
</saml:Assertion></samlp:Response>""".format(now=now.strftime(fmt), issuer=issuer, signature=signature, subject=subject,
                                              until=until, before=(now - datetime.timedelta(minutes=1)).strftime(fmt),
                                              audience=audience, attributes=attribute_xml)
    if sign:
        fd, path = tempfile.mkstemp(suffix=".xml", dir=tmp)
        os.write(fd, xml.encode())
        os.close(fd)
        p = subprocess.run(["xmlsec1", "--sign", "--privkey-pem", key_path,
                            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", path],
                           capture_output=True, timeout=30)
        check(p.returncode == 0, "xmlsec1 --sign: %s" % p.stderr.decode())
        xml = p.stdout.decode()
    return base64.b64encode(xml.encode()).decode()


def unsigned_post(endpoint, params):
    """A raw unsigned Query request: (HTTP status, body)."""
    data = urllib.parse.urlencode(params).encode()
    req = urllib.request.Request(endpoint, data=data,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def trust(principal, action, condition=None, extra_actions=()):
    st = {"Effect": "Allow", "Principal": principal, "Action": [action] + list(extra_actions)}
    if condition:
        st["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


def session_clients(srv, creds):
    key = (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    make = lambda service: boto3.client(service, endpoint_url=srv.endpoint, region_name="us-east-1",
                                        aws_access_key_id=key[0], aws_secret_access_key=key[1],
                                        aws_session_token=key[2], config=Config(retries={"max_attempts": 1}))
    return make("sts"), make("iam")


def web_identity_checks(srv, cli, iam, account, idp, jwks_dir):
    provider_arn = "arn:aws:iam::%s:oidc-provider/%s" % (account, PROVIDER)
    iam.create_open_id_connect_provider(Url=ISSUER, ClientIDList=[CLIENT_ID], ThumbprintList=["a" * 40])
    os.makedirs(os.path.join(jwks_dir, PROVIDER))
    with open(os.path.join(jwks_dir, PROVIDER, "jwks.json"), "w") as f:
        json.dump(idp.jwks(), f)
    # A registered provider whose keys iamd has no file for.
    iam.create_open_id_connect_provider(Url="https://nokeys.example.test", ClientIDList=[CLIENT_ID],
                                        ThumbprintList=["a" * 40])

    role_arn = "arn:aws:iam::%s:role/web-cook" % account
    iam.create_role(RoleName="web-cook", MaxSessionDuration=7200, AssumeRolePolicyDocument=trust(
        {"Federated": provider_arn}, "sts:AssumeRoleWithWebIdentity",
        {"StringEquals": {PROVIDER + ":aud": CLIENT_ID}, "StringLike": {PROVIDER + ":sub": "chef-*"}}))
    iam.put_role_policy(RoleName="web-cook", PolicyName="read-roles", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}))
    iam.create_role(RoleName="other-trust", AssumeRolePolicyDocument=trust(
        {"Federated": "arn:aws:iam::%s:oidc-provider/nokeys.example.test" % account}, "sts:AssumeRoleWithWebIdentity"))
    iam.create_role(RoleName="tagged-cook", AssumeRolePolicyDocument=trust(
        {"Federated": provider_arn}, "sts:AssumeRoleWithWebIdentity", extra_actions=["sts:TagSession"]))
    iam.put_role_policy(RoleName="tagged-cook", PolicyName="by-tag", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*",
                                                 "Condition": {"StringEquals": {"aws:PrincipalTag/team": "kitchen"}}}]}))

    # The AWS CLI, with no credentials at all: the call goes unsigned.
    out = cli.ok("sts", "assume-role-with-web-identity", "--role-arn", role_arn, "--role-session-name", "web1",
                 "--web-identity-token", idp.token())
    check(out is not None, "CLI assume-role-with-web-identity answered")
    if out:
        check(out["SubjectFromWebIdentityToken"] == "chef-1" and out["Audience"] == CLIENT_ID
              and out["Provider"] == provider_arn, "web identity answer: %r" % {k: v for k, v in out.items() if k != "Credentials"})
        check(out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::%s:assumed-role/web-cook/web1" % account
              and out["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
              and out["AssumedRoleUser"]["AssumedRoleId"].endswith(":web1"), "AssumedRoleUser: %r" % out["AssumedRoleUser"])
        check(out["Credentials"]["AccessKeyId"].startswith("ASIA") and "PackedPolicySize" not in out, "credentials: %r" % out)
        sts_s, iam_s = session_clients(srv, out["Credentials"])
        who = sts_s.get_caller_identity()
        check(who["Arn"] == out["AssumedRoleUser"]["Arn"] and who["Account"] == account, "web session identity: %r" % who)
        check(any(r["RoleName"] == "web-cook" for r in iam_s.list_roles()["Roles"]), "the role allows ListRoles")
        client_error(lambda: iam_s.list_users(), "AccessDenied", "the role allows nothing else")

    # boto3 (it sends the call unsigned, even with credentials configured), ES256, a session policy, 900 s.
    anon = boto3.client("sts", endpoint_url=srv.endpoint, region_name="us-east-1",
                        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
    before = datetime.datetime.now(datetime.timezone.utc)
    out = anon.assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="web2", WebIdentityToken=idp.token("ES256", sub="chef-2"), DurationSeconds=900,
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:ListRoles", "Resource": "*"}]}))
    check(out["SubjectFromWebIdentityToken"] == "chef-2" and out["PackedPolicySize"] > 0, "ES256 answer: %r" % out)
    after = datetime.datetime.now(datetime.timezone.utc)
    expires = out["Credentials"]["Expiration"]
    check(before + datetime.timedelta(seconds=898) <= expires <= after + datetime.timedelta(seconds=901),
          "DurationSeconds 900: expires %s, called %s to %s" % (expires, before, after))
    _, iam_s = session_clients(srv, out["Credentials"])
    client_error(lambda: iam_s.list_roles(), "AccessDenied", "the session policy narrows the role")

    # Session tags from the token's https://aws.amazon.com/tags claim.
    tags = {"principal_tags": {"team": ["kitchen"]}, "transitive_tag_keys": ["team"]}
    out = anon.assume_role_with_web_identity(RoleArn="arn:aws:iam::%s:role/tagged-cook" % account, RoleSessionName="t1",
                                             WebIdentityToken=idp.token(**{"https://aws.amazon.com/tags": tags}))
    _, iam_s = session_clients(srv, out["Credentials"])
    iam_s.list_roles()  # allowed only with aws:PrincipalTag/team = kitchen
    client_error(lambda: anon.assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="t2", WebIdentityToken=idp.token(**{"https://aws.amazon.com/tags": tags})),
        "AccessDenied", "tags need sts:TagSession in the trust policy")

    # Every refusal.
    call = lambda token, role=role_arn, **kw: anon.assume_role_with_web_identity(
        RoleArn=role, RoleSessionName="bad", WebIdentityToken=token, **kw)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client_error(lambda: call(idp.token(key=forger)), "InvalidIdentityToken", "bad signature")
    tok = idp.token()
    head, payload, sig = tok.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "chef-9"
    client_error(lambda: call(head + "." + b64url(json.dumps(claims).encode()) + "." + sig), "InvalidIdentityToken",
                 "tampered claims")
    client_error(lambda: call(idp.token(alg="none")), "InvalidIdentityToken", "alg none")
    client_error(lambda: call("not-a-jwt-at-all"), "InvalidIdentityToken", "malformed token")
    r = client_error(lambda: call(idp.token(aud="someone-else")), "InvalidIdentityToken", "wrong audience")
    check(r and "audience" in r["Error"]["Message"], "wrong audience message: %r" % r)
    client_error(lambda: call(idp.token(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)),
                 "ExpiredTokenException", "expired token")
    client_error(lambda: call(idp.token(nbf=int(time.time()) + 3600)), "InvalidIdentityToken", "not valid yet")
    client_error(lambda: call(idp.token(exp=None)), "InvalidIdentityToken", "no exp")
    r = client_error(lambda: call(idp.token(iss="https://unknown.example.test")), "InvalidIdentityToken", "unknown provider")
    check(r and "No OpenIDConnect provider found" in r["Error"]["Message"], "unknown provider message: %r" % r)
    client_error(lambda: call(idp.token(iss="https://nokeys.example.test"), role="arn:aws:iam::%s:role/other-trust" % account),
                 "IDPCommunicationError", "provider without keys")
    client_error(lambda: call(idp.token(), role="arn:aws:iam::%s:role/other-trust" % account), "AccessDenied",
                 "role not trusting the provider")
    client_error(lambda: call(idp.token(sub="waiter-1")), "AccessDenied", "trust condition on sub")
    client_error(lambda: call(idp.token(), role="arn:aws:iam::%s:role/missing" % account), "AccessDenied", "missing role")
    client_error(lambda: call(idp.token(), DurationSeconds=7201), "ValidationError", "duration over the role's maximum")
    client_error(lambda: call(idp.token(), Policy="{not json"), "MalformedPolicyDocument", "bad session policy")
    cli.error("InvalidIdentityToken", "sts", "assume-role-with-web-identity", "--role-arn", role_arn,
              "--role-session-name", "web1", "--web-identity-token", idp.token(key=forger))

    # Only these two actions go unsigned.
    status, body = unsigned_post(srv.endpoint, {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    check(status == 403 and "MissingAuthenticationToken" in body, "unsigned GetCallerIdentity: %s %s" % (status, body))
    status, body = unsigned_post(srv.endpoint, {"Action": "ListUsers", "Version": "2010-05-08"})
    check(status == 403 and "MissingAuthenticationToken" in body, "unsigned ListUsers: %s %s" % (status, body))
    status, body = unsigned_post(srv.endpoint, {"Action": "AssumeRole", "Version": "2011-06-15",
                                                "RoleArn": role_arn, "RoleSessionName": "x"})
    check(status == 403 and "MissingAuthenticationToken" in body, "unsigned AssumeRole: %s %s" % (status, body))


def saml_checks(srv, cli, iam, account, tmp):
    key_path, _, metadata = mfa_federation_test.make_idp(tmp, SAML_ENTITY)
    forger_key, _, _ = mfa_federation_test.make_idp(os.path.join(tmp, "forger"), SAML_ENTITY)
    provider_arn = iam.create_saml_provider(Name="corp", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    role_arn = "arn:aws:iam::%s:role/saml-cook" % account
    iam.create_role(RoleName="saml-cook", AssumeRolePolicyDocument=trust(
        {"Federated": provider_arn}, "sts:AssumeRoleWithSAML",
        {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml", "saml:iss": SAML_ENTITY}},
        extra_actions=["sts:TagSession"]))
    iam.put_role_policy(RoleName="saml-cook", PolicyName="by-tag", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*",
                                                 "Condition": {"StringEquals": {"aws:PrincipalTag/team": "kitchen"}}}]}))
    iam.create_role(RoleName="saml-untrusting", AssumeRolePolicyDocument=trust(
        {"Federated": "arn:aws:iam::%s:saml-provider/other" % account}, "sts:AssumeRoleWithSAML"))
    pair = "%s,%s" % (role_arn, provider_arn)
    extra = [("https://aws.amazon.com/SAML/Attributes/SessionDuration", ["1800"]),
             ("https://aws.amazon.com/SAML/Attributes/PrincipalTag:team", ["kitchen"])]

    assertion = saml_response(key_path, tmp, [pair], extra_attributes=extra)
    path = os.path.join(tmp, "assertion.b64")
    open(path, "w").write(assertion)
    before = datetime.datetime.now(datetime.timezone.utc)
    out = cli.ok("sts", "assume-role-with-saml", "--role-arn", role_arn, "--principal-arn", provider_arn,
                 "--saml-assertion", "file://" + path)
    after = datetime.datetime.now(datetime.timezone.utc)
    check(out is not None, "CLI assume-role-with-saml answered")
    if out:
        qualifier = base64.b64encode(hashlib.sha1((SAML_ENTITY + account + "/corp").encode()).digest()).decode()
        check(out["Subject"] == "alice" and out["SubjectType"] == "persistent" and out["Issuer"] == SAML_ENTITY
              and out["Audience"] == "https://signin.aws.amazon.com/saml" and out["NameQualifier"] == qualifier,
              "SAML answer: %r" % {k: v for k, v in out.items() if k != "Credentials"})
        check(out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::%s:assumed-role/saml-cook/alice@example.test" % account,
              "SAML AssumedRoleUser: %r" % out["AssumedRoleUser"])
        expires = datetime.datetime.fromisoformat(out["Credentials"]["Expiration"].replace("Z", "+00:00"))
        check(before + datetime.timedelta(seconds=1798) <= expires <= after + datetime.timedelta(seconds=1801),
              "SessionDuration 1800: expires %s, called %s to %s" % (expires, before, after))
        sts_s, iam_s = session_clients(srv, out["Credentials"])
        check(sts_s.get_caller_identity()["Arn"] == out["AssumedRoleUser"]["Arn"], "SAML session identity")
        iam_s.list_roles()  # allowed only with the PrincipalTag the assertion passed
        client_error(lambda: iam_s.list_users(), "AccessDenied", "SAML session: nothing else")

    anon = boto3.client("sts", endpoint_url=srv.endpoint, region_name="us-east-1",
                        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
    call = lambda assertion, role=role_arn, principal=provider_arn: anon.assume_role_with_saml(
        RoleArn=role, PrincipalArn=principal, SAMLAssertion=assertion)
    out = call(saml_response(key_path, tmp, [pair], subject="bob", extra_attributes=extra))
    check(out["Subject"] == "bob" and out["Credentials"]["AccessKeyId"].startswith("ASIA"), "boto3 SAML: %r" % out)

    good = base64.b64decode(saml_response(key_path, tmp, [pair])).decode()
    client_error(lambda: call(base64.b64encode(good.replace(">alice<", ">mallory<").encode()).decode()),
                 "InvalidIdentityToken", "tampered assertion")
    client_error(lambda: call(saml_response(forger_key, tmp, [pair])), "InvalidIdentityToken", "signed by another key")
    client_error(lambda: call(saml_response(key_path, tmp, [pair], sign=False)), "InvalidIdentityToken", "unsigned")
    client_error(lambda: call(saml_response(key_path, tmp, [pair], audience="https://elsewhere.example.test")),
                 "InvalidIdentityToken", "wrong audience")
    client_error(lambda: call(saml_response(key_path, tmp, [pair],
                                            not_on_or_after=datetime.datetime.utcnow() - datetime.timedelta(hours=1))),
                 "ExpiredTokenException", "expired assertion")
    client_error(lambda: call(saml_response(key_path, tmp, [pair]), principal="arn:aws:iam::%s:saml-provider/nobody" % account),
                 "InvalidIdentityToken", "unknown provider")
    client_error(lambda: call(saml_response(key_path, tmp, [pair]), role="arn:aws:iam::%s:role/saml-untrusting" % account),
                 "AccessDenied", "role not in the assertion")
    untrusting = "arn:aws:iam::%s:role/saml-untrusting,%s" % (account, provider_arn)
    client_error(lambda: call(saml_response(key_path, tmp, [untrusting]), role="arn:aws:iam::%s:role/saml-untrusting" % account),
                 "AccessDenied", "role not trusting the provider")
    client_error(lambda: call(saml_response(key_path, tmp, [pair], issuer="https://other.example.test")),
                 "InvalidIdentityToken", "issuer not the provider's")
    for bad_name in ("a", "alice smith", "x" * 65):  # [\w+=,.@-]{2,64}
        client_error(lambda: call(saml_response(key_path, tmp, [pair], session_name=bad_name)),
                     "IDPRejectedClaim", "RoleSessionName %r" % bad_name)
    check(call(saml_response(key_path, tmp, [pair], session_name="x" * 64))["AssumedRoleUser"]["Arn"].endswith("x" * 64),
          "RoleSessionName of 64 characters")
    cli.error("InvalidIdentityToken", "sts", "assume-role-with-saml", "--role-arn", role_arn, "--principal-arn",
              provider_arn, "--saml-assertion", saml_response(forger_key, tmp, [pair]))


def main():
    jwks_dir = tempfile.mkdtemp(prefix="iamd-jwks-")
    with Server(sys.argv[1], ["--oidc-jwks-dir", jwks_dir]) as srv:
        # The CLI with no credentials: these two calls need none.
        empty = os.path.join(srv.tmp, "no-credentials")
        open(empty, "w").close()
        cli = Cli(srv.endpoint, dict(cli_env(srv.data, srv.tmp), AWS_SHARED_CREDENTIALS_FILE=empty))
        iam = srv.client("iam")
        account = srv.client("sts").get_caller_identity()["Account"]
        web_identity_checks(srv, cli, iam, account, OidcIdp(), jwks_dir)
        os.makedirs(os.path.join(srv.tmp, "forger"))
        saml_checks(srv, cli, iam, account, srv.tmp)
    finish()


if __name__ == "__main__":
    main()
