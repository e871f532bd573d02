#!/usr/bin/python3
"""Bad input and faults sent to a running `iamd serve`, over raw sockets.

    /usr/bin/python3 bad_input_test.py path/to/iamd

Each case sends something broken (garbage, truncated or oversized requests,
slow or vanishing clients, requests with a wrong action, version, parameters
or signature) and checks AWS's answer: the error code and HTTP status. After
each case a kept-alive boto3 client still works (one signed request
succeeds) and nothing was written (ListUsers and ListGroups unchanged). Most
broken requests are CreateUser or CreateGroup calls, so a request that got
through by mistake would show up as a new user or group.

Requests are signed with botocore.auth.SigV4Auth and sent with raw sockets,
so that every byte on the wire is under the test's control.
"""
import datetime
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config

import harness  # noqa: E402
from harness import check, finish  # noqa: E402

READ_TIMEOUT = 2.0  # seconds; iamd serve --read-timeout
FORM = "application/x-www-form-urlencoded; charset=utf-8"


class Response:
    def __init__(self, raw):
        self.raw = raw
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0]) if lines else None
        self.status = int(m.group(1)) if m else None
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        text = self.body.decode("utf-8", "replace")
        code = re.search(r"<Code>([^<]*)</Code>", text)
        message = re.search(r"<Message>([^<]*)</Message>", text)
        self.code = code.group(1) if code else None
        self.message = message.group(1) if message else None

    def __repr__(self):
        return "HTTP %s %s: %s" % (self.status, self.code, self.message or self.body[:200])


class Server(harness.Server):
    """The server with a short read timeout, and raw-socket exchanges."""

    def __init__(self, iamd):
        super().__init__(iamd, extra_args=["--read-timeout", str(READ_TIMEOUT)])

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def exchange(self, data, shut_write=False, timeout=10):
        """Sends raw bytes on a new connection, reads until the server closes
        (or timeout). Returns (Response or None, seconds until closed)."""
        s = self.connect()
        start = time.time()
        try:
            s.sendall(data)
            if shut_write:
                s.shutdown(socket.SHUT_WR)
            s.settimeout(timeout)
            got = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
                if not shut_write and complete(got):
                    break
        except socket.timeout:
            return (Response(got) if got else None), None
        except ConnectionResetError:
            pass
        finally:
            s.close()
        return (Response(got) if got else None), time.time() - start


def complete(raw):
    """True once raw holds one whole HTTP response (Content-Length framed)."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return False
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return m is not None and len(body) >= int(m.group(1))


def read_response(sock):
    """Reads one response from a kept-alive socket; None if closed first."""
    got = b""
    while not complete(got):
        chunk = sock.recv(65536)
        if not chunk:
            break
        got += chunk
    return Response(got) if got else None


def sign(server, body, key=None, when=None, service="iam", region="us-east-1", content_type=FORM):
    """Headers of a POST / with this body, signed with SigV4 (botocore) as
    `key` (default: the account root) at time `when` (default: now)."""
    key = key or server.root
    headers = {"Content-Type": content_type} if content_type else {}
    req = botocore.awsrequest.AWSRequest(method="POST", url=server.endpoint + "/", data=body, headers=headers)
    auth = botocore.auth.SigV4Auth(botocore.credentials.Credentials(*key), service, region)
    if when is None:
        auth.add_auth(req)
    else:
        # add_auth() stamps the current time; the same steps with a chosen one.
        req.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
        auth._modify_request_before_signing(req)
        string_to_sign = auth.string_to_sign(req, auth.canonical_request(req))
        auth._inject_signature_to_request(req, auth.signature(string_to_sign, req))
    out = dict(req.headers.items())
    out["Host"] = server.host
    return out


def http_bytes(headers, body, method="POST", content_length=None):
    body = body.encode() if isinstance(body, str) else body
    lines = ["%s / HTTP/1.1" % method]
    headers = dict(headers)
    headers.setdefault("Host", "127.0.0.1")
    headers["Content-Length"] = str(len(body) if content_length is None else content_length)
    for name, value in headers.items():
        lines.append("%s: %s" % (name, value))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def form(**params):
    params.setdefault("Version", "2010-05-08")
    return urllib.parse.urlencode(params)


class Checker:
    """The after-each-case checks: a kept-alive boto3 client still gets a
    signed answer, and users and groups are as they were."""

    def __init__(self, server):
        self.server = server
        session = boto3.session.Session(aws_access_key_id=server.root[0], aws_secret_access_key=server.root[1],
                                        region_name="us-east-1")
        self.iam = session.client("iam", endpoint_url=server.endpoint,
                                  config=Config(retries={"max_attempts": 1}, max_pool_connections=2))
        self.snapshot = self.state()

    def state(self):
        users = sorted(u["UserName"] for u in self.iam.list_users()["Users"])
        groups = sorted(g["GroupName"] for g in self.iam.list_groups()["Groups"])
        return users, groups

    def after(self, case):
        try:
            ok = self.iam.get_user(UserName="alice")["User"]["UserName"] == "alice"
            check(ok, "%s: then a signed GetUser on the kept-alive pool fails" % case)
            state = self.state()
        except Exception as e:  # noqa: BLE001 (any failure here is a test failure)
            check(False, "%s: then a signed request fails: %r" % (case, e))
            return
        check(state == self.snapshot, "%s: users/groups changed: %r -> %r" % (case, self.snapshot, state))


def expect(case, resp, status, code=None, message=None):
    """Checks one answer; message may be a regular expression."""
    if not check(resp is not None, "%s: no answer" % case):
        return
    check(resp.status == status, "%s: expected HTTP %d, got %r" % (case, status, resp))
    if code is not None:
        check(resp.code == code, "%s: expected %s, got %r" % (case, code, resp))
    if message is not None:
        check(resp.message is not None and re.fullmatch(message, resp.message, re.S) is not None,
              "%s: message %r does not match %r" % (case, resp.message, message))
    if code is not None and resp.code is not None:
        check(resp.headers.get("x-amzn-requestid"), "%s: no x-amzn-RequestId" % case)


def run(server, checker):
    s = server
    create = form(Action="CreateUser", UserName="mallory")

    # --- Not HTTP, or broken HTTP framing: 400 and the connection closed.
    case = "garbage bytes instead of HTTP"
    resp, closed = s.exchange(b"\x16\x03\x01\x00\xa5garbage\x00\xff\r\n\r\n")
    expect(case, resp, 400)
    check(closed is not None, "%s: connection not closed" % case)
    checker.after(case)

    case = "garbage request line"
    resp, closed = s.exchange(b"HELLO WORLD\r\n\r\n")
    expect(case, resp, 400)
    check(closed is not None, "%s: connection not closed" % case)
    checker.after(case)

    case = "bad Content-Length"
    resp, closed = s.exchange(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")
    expect(case, resp, 400)
    checker.after(case)

    # --- Garbage bodies: a signed garbage body is not an action.
    case = "signed binary garbage body"
    garbage = bytes(range(256)) * 4
    resp, _ = s.exchange(http_bytes(sign(s, garbage), garbage))
    expect(case, resp, 404, "MalformedQueryString")
    checker.after(case)

    case = "signed body with broken percent-encoding"
    body = "Action=CreateUser&Version=2010-05-08&UserName=%ZZmallory"
    resp, _ = s.exchange(http_bytes(sign(s, body), body))
    expect(case, resp, 404, "MalformedQueryString")
    checker.after(case)

    case = "signed truncated body (Action cut short)"
    body = create[:12]  # "Action=Creat"
    resp, _ = s.exchange(http_bytes(sign(s, body), body))
    expect(case, resp, 400, "InvalidAction")
    checker.after(case)

    # --- Values that are not UTF-8, or hold characters XML 1.0 forbids, echoed
    # in error messages: the answer is still well-formed XML (expat, strict),
    # each bad sequence shown as U+FFFD.
    bad_values = [b"\xff\xfe", b"ab\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"x\x00y", b"x\x01\x1b\x7f",
                  b"\xef\xbf\xbe", b"<&\r]]>"]
    for raw in bad_values:
        value = urllib.parse.quote_from_bytes(raw)
        for member, body, status, code in [
                ("UserName", "Action=CreateUser&Version=2010-05-08&UserName=" + value, 400, "ValidationError"),
                ("Action", "Action=Create" + value + "&Version=2010-05-08&UserName=m", 400, "InvalidAction"),
                ("Version", "Action=CreateUser&Version=" + value + "&UserName=m", 400, "InvalidAction")]:
            case = "%s %r echoed in the error" % (member, raw)
            resp, _ = s.exchange(http_bytes(sign(s, body), body))
            expect(case, resp, status, code)
            try:
                message = ElementTree.fromstring(resp.body).findtext("{*}Error/{*}Message")
            except (ElementTree.ParseError, AttributeError) as e:
                check(False, "%s: not well-formed XML (%s): %r" % (case, e, resp.body if resp else None))
                continue
            shown = "<&\r]]>" if raw == b"<&\r]]>" else "\ufffd"  # the one valid value reads back as sent
            check(message is not None and shown in message, "%s: %r not in the message %r" % (case, shown, message))
    checker.after("invalid UTF-8 and control characters in echoed values")

    # --- The body is shorter than Content-Length: no answer to a request
    # that never arrived, the connection is closed, nothing is written.
    case = "Content-Length larger than the body, then close"
    headers = sign(s, create)
    resp, closed = s.exchange(http_bytes(headers, create[: len(create) // 2], content_length=len(create)),
                              shut_write=True)
    check(resp is None or resp.status == 400, "%s: unexpected answer %r" % (case, resp))
    check(closed is not None, "%s: connection not closed" % case)
    checker.after(case)

    case = "client disconnects mid-request (half a signed CreateUser)"
    sock = s.connect()
    sock.sendall(http_bytes(headers, create[: len(create) // 2], content_length=len(create)))
    time.sleep(0.2)
    sock.close()
    time.sleep(0.2)
    checker.after(case)

    case = "client resets mid-request (RST after half a signed CreateUser)"
    sock = s.connect()
    sock.sendall(http_bytes(headers, create[: len(create) // 2], content_length=len(create)))
    time.sleep(0.1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()
    time.sleep(0.2)
    checker.after(case)

    case = "Content-Length larger than the body, client waits"
    start = time.time()
    resp, closed = s.exchange(http_bytes(headers, create[:10], content_length=len(create)),
                              timeout=READ_TIMEOUT + 5)
    check(closed is not None and closed < READ_TIMEOUT + 3,
          "%s: not closed within the read timeout (%s s)" % (case, closed))
    check(resp is None or resp.status in (400, 408), "%s: unexpected answer %r" % (case, resp))
    checker.after(case)

    # --- Huge headers: 431 and closed, the server stays up.
    case = "one 64 KiB header"
    resp, closed = s.exchange(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n")
    expect(case, resp, 431)
    check(closed is not None, "%s: connection not closed" % case)
    checker.after(case)

    case = "24 KiB of headers in one send (over the 16 KiB limit, under twice it)"
    many = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 300) for i in range(80))
    resp, closed = s.exchange(b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    expect(case, resp, 431)
    checker.after(case)

    case = "24 KiB of headers dribbled in 1 KiB pieces"
    sock = s.connect()
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        for i in range(24):
            sock.sendall(b"X-H%d: %s\r\n" % (i, b"v" * 1000))
            time.sleep(0.005)
        sock.sendall(b"\r\n")
        sock.settimeout(READ_TIMEOUT + 3)
        resp = read_response(sock)
    except OSError as e:
        resp = None
        check(False, "%s: %r" % (case, e))
    finally:
        sock.close()
    expect(case, resp, 431)
    checker.after(case)

    case = "2000 headers"
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(2000))
    resp, closed = s.exchange(b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    check(resp is not None and resp.status in (400, 431), "%s: expected 431 or 400, got %r" % (case, resp))
    checker.after(case)

    case = "signed request with a huge extra (signed) header"
    big = sign(s, create)
    big["X-Padding"] = "p" * 40000
    resp, closed = s.exchange(http_bytes(big, create))
    expect(case, resp, 431)
    checker.after(case)

    case = "body over the size limit (2 MiB)"
    body = create + "&Path=" + "a" * (2 * 1024 * 1024)
    resp, _ = s.exchange(http_bytes(sign(s, body), body))
    expect(case, resp, 413)
    checker.after(case)

    # --- Slowloris: a client dribbling header bytes is cut off after the read
    # timeout, while others are served meanwhile.
    case = "slowloris"
    slow = s.connect()
    slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
    closed_after = []

    def dribble():
        start = time.time()
        try:
            for _ in range(int((READ_TIMEOUT + 6) / 0.2)):
                slow.sendall(b"X")
                time.sleep(0.2)
                slow.settimeout(0.01)
                try:
                    if slow.recv(4096) == b"":
                        closed_after.append(time.time() - start)
                        return
                except socket.timeout:
                    pass
        except OSError:
            closed_after.append(time.time() - start)

    t = threading.Thread(target=dribble)
    t.start()
    served = 0
    while t.is_alive():
        try:
            served += checker.iam.get_user(UserName="alice")["User"]["UserName"] == "alice"
        except Exception as e:  # noqa: BLE001
            check(False, "%s: a normal client failed meanwhile: %r" % (case, e))
            break
        time.sleep(0.05)
    t.join()
    slow.close()
    check(closed_after and READ_TIMEOUT / 2 < closed_after[0] < READ_TIMEOUT + 3,
          "%s: dribbling connection not closed after the read timeout: %r" % (case, closed_after))
    check(served >= 5, "%s: only %d requests served meanwhile" % (case, served))
    checker.after(case)

    # --- Query protocol errors (signed, valid requests otherwise).
    for case, body, status, code, message in [
        ("unknown action", form(Action="CreateUserNow", UserName="mallory"), 400, "InvalidAction",
         "Could not find operation CreateUserNow for version 2010-05-08"),
        ("wrong Version", form(Action="CreateUser", UserName="mallory", Version="2011-06-15"), 400, "InvalidAction",
         "Could not find operation CreateUser for version 2011-06-15"),
        ("no Version", "Action=CreateUser&UserName=mallory", 400, "InvalidAction", None),
        ("no Action", form(UserName="mallory"), 400, "MissingAction", None),
        ("missing required parameter", form(Action="CreateUser"), 400, "ValidationError",
         r"1 validation error detected: Value null at 'userName' failed to satisfy constraint: "
         r"Member must not be null"),
        ("parameter breaking its pattern", form(Action="CreateGroup", GroupName="bad group/name"), 400,
         "ValidationError", None),
        ("duplicated parameter", form(Action="CreateUser", UserName="mallory") + "&UserName=eve", 400,
         "InvalidQueryParameter", None),
        ("duplicated Action", form(Action="CreateUser", UserName="mallory") + "&Action=CreateGroup&GroupName=m", 400,
         "InvalidQueryParameter", None),
    ]:
        resp, _ = s.exchange(http_bytes(sign(s, body), body))
        expect(case, resp, status, code, message)
        checker.after(case)

    # --- Authentication failures, each on a CreateUser that would write.
    def auth_header(pattern, replacement):
        return lambda h: h.update(Authorization=re.sub(pattern, replacement, h["Authorization"]))

    def flip_signature(h):
        sig = h["Authorization"][-64:]
        h["Authorization"] = h["Authorization"][:-64] + ("0" if sig[0] != "0" else "1") + sig[1:]

    now = datetime.datetime.now(datetime.timezone.utc)
    minutes = lambda m: now + datetime.timedelta(minutes=m)  # noqa: E731
    unknown_key = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    amz_time = r"\d{8}T\d{6}Z"
    # (case, signing arguments, change to the signed headers, sent body, status, code, message)
    for case, how, mutate, body, status, code, message in [
        ("broken signature", {}, flip_signature, create, 403, "SignatureDoesNotMatch",
         r"The request signature we calculated does not match the signature you provided\..*"),
        ("body changed after signing", {}, None, create, 403, "SignatureDoesNotMatch", None),
        ("wrong secret", {"key": (s.root[0], "x" * 40)}, None, create, 403, "SignatureDoesNotMatch", None),
        ("unknown access key", {"key": unknown_key}, None, create, 403, "InvalidClientTokenId",
         r"The security token included in the request is invalid\.?"),
        ("request dated 16 minutes ago (a replay after 15 minutes)", {"when": minutes(-16)}, None, create, 403,
         "SignatureDoesNotMatch",
         r"Signature expired: %s is now earlier than %s \(%s - 15 min\.\)" % (amz_time, amz_time, amz_time)),
        ("request dated 16 minutes ahead", {"when": minutes(16)}, None, create, 403, "SignatureDoesNotMatch",
         r"Signature not yet current: %s is still later than %s \(%s \+ 15 min\.\)" % (amz_time, amz_time, amz_time)),
        ("request dated 14 minutes ago is accepted (ListUsers)", {"when": minutes(-14)}, None, form(Action="ListUsers"),
         200, None, None),
        ("Authorization without Signature", {}, auth_header(r", Signature=[0-9a-f]+", ""), create, 400,
         "IncompleteSignature", None),
        ("Authorization without Credential", {}, auth_header(r"Credential=[^,]+, ", ""), create, 400,
         "IncompleteSignature", None),
        ("Authorization with a malformed Credential", {}, auth_header(r"Credential=[^,]+", "Credential=AKIA/nope"),
         create, 400, "IncompleteSignature",
         r"Credential must have exactly 5 slash-delimited elements, e\.g\. keyid/date/region/service/term, "
         r"got 'AKIA/nope'"),
        ("Authorization that is not SigV4", {}, lambda h: h.update(Authorization="Basic YWxpY2U6c2VjcmV0"), create, 403,
         "MissingAuthenticationToken", None),
        ("no X-Amz-Date", {}, lambda h: h.pop("X-Amz-Date"), create, 400, "IncompleteSignature",
         r"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\..*"),
        ("missing authentication", {}, lambda h: h.pop("Authorization"), create, 403, "MissingAuthenticationToken",
         r"Request is missing Authentication Token"),
        ("signed for another service", {"service": "s3"}, None, create, 403, "SignatureDoesNotMatch",
         r"Credential should be scoped to correct service: .*"),
        # Authenticated, but a user with no policy may not create users.
        ("user without permissions", {"key": s.alice}, None, create, 403, "AccessDenied", None),
    ]:
        headers = sign(s, body, **how)
        if mutate:
            mutate(headers)
        if case == "body changed after signing":
            body = body.replace("mallory", "mallorz")
        resp, _ = s.exchange(http_bytes(headers, body))
        expect(case, resp, status, code, message)
        checker.after(case)

    # --- Many broken requests on one kept-alive connection: each answered.
    case = "errors on one kept-alive connection"
    sock = s.connect()
    answered = 0
    try:
        for body in (form(Action="Nope"), form(Action="CreateUser"), form(Action="ListUsers")):
            sock.sendall(http_bytes(sign(s, body), body))
            resp = read_response(sock)
            answered += resp is not None and resp.status is not None
    finally:
        sock.close()
    check(answered == 3, "%s: %d of 3 answered" % (case, answered))
    checker.after(case)


def main():
    iamd = os.path.abspath(sys.argv[1])
    server = Server(iamd).start()
    started = time.time()
    try:
        session = boto3.session.Session(aws_access_key_id=server.root[0], aws_secret_access_key=server.root[1],
                                        region_name="us-east-1")
        iam = session.client("iam", endpoint_url=server.endpoint, config=Config(retries={"max_attempts": 1}))
        iam.create_user(UserName="alice")
        iam.create_group(GroupName="developers")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        server.alice = (key["AccessKeyId"], key["SecretAccessKey"])
        checker = Checker(server)
        run(server, checker)
    finally:
        server.stop()
    print("took %.1f s" % (time.time() - started))
    finish()


if __name__ == "__main__":
    main()
