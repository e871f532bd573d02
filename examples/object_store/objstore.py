#!/usr/bin/python3
"""A tiny S3-like object store that asks iamd about every request.

    objstore.py --port 9400 --iamd http://127.0.0.1:9300 --account ACCOUNT --key-file KEYS.json

Path-style buckets and keys in memory: GET/HEAD/PUT/DELETE /bucket/key, and
PUT/GET /bucket?policy for bucket policies. It authenticates nobody itself:
it forwards each client's SigV4-signed request to iamd's decision endpoint
(POST /iamd/v1/authorize, signed with the store's own IAM identity) together
with the S3 action, the object's ARN, the bucket policy and the client's
address, and serves the request only on "Allow".
"""
import argparse
import hashlib
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

OBJECTS = {}          # (bucket, key) -> bytes
BUCKET_POLICIES = {}  # bucket -> policy text
LOCK = threading.Lock()


def s3_error(code, message):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>"
            % (code, message)).encode()


class Store(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    config = None  # set in main()

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status, body=b"", content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _ask_iamd(self, action, resource, bucket, body):
        """iamd's decision on this client request: (decision, error)."""
        path, _, query = self.path.partition("?")
        question = {
            "signed_request": {"method": self.command, "path": path, "query": query,
                               "headers": [[k, v] for k, v in self.headers.items()],
                               "payload_hash": hashlib.sha256(body).hexdigest()},
            "action": action, "resource": resource,
            "resource_account": self.config["account"],
            "context": {"aws:SourceIp": self.client_address[0], "aws:SecureTransport": "false"},
        }
        if bucket in BUCKET_POLICIES:
            question["resource_policy"] = BUCKET_POLICIES[bucket]
        data = json.dumps(question).encode()
        url = self.config["iamd"] + "/iamd/v1/authorize"
        req = AWSRequest(method="POST", url=url, data=data, headers={"Content-Type": "application/json"})
        SigV4Auth(Credentials(*self.config["key"]), "iamd", "us-east-1").add_auth(req)
        http_req = urllib.request.Request(url, data=data, method="POST", headers=dict(req.headers.items()))
        try:
            with urllib.request.urlopen(http_req, timeout=10) as r:
                return json.loads(r.read())["decision"], None
        except urllib.error.HTTPError as e:
            err = json.loads(e.read() or b"{}").get("error", {})
            return None, (err.get("code", "AccessDenied"), err.get("message", ""))

    def _handle(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path, _, query = self.path.partition("?")
        bucket, _, key = path.lstrip("/").partition("/")
        if not bucket:
            return self._answer(400, s3_error("InvalidRequest", "Name a bucket."))
        if query == "policy":
            action = "s3:PutBucketPolicy" if self.command == "PUT" else "s3:GetBucketPolicy"
            resource = "arn:aws:s3:::" + bucket
        else:
            action = {"GET": "s3:GetObject", "HEAD": "s3:GetObject", "PUT": "s3:PutObject",
                      "DELETE": "s3:DeleteObject"}.get(self.command)
            resource = "arn:aws:s3:::%s/%s" % (bucket, key)
        if action is None:
            return self._answer(405, s3_error("MethodNotAllowed", "Not supported."))
        decision, error = self._ask_iamd(action, resource, bucket, body)
        if error is not None:
            return self._answer(403, s3_error(*error))
        if decision != "Allow":
            return self._answer(403, s3_error("AccessDenied", "Access Denied"))
        with LOCK:
            if query == "policy":
                if self.command == "PUT":
                    BUCKET_POLICIES[bucket] = body.decode()
                    return self._answer(204)
                text = BUCKET_POLICIES.get(bucket)
                return self._answer(200, text.encode(), "application/json") if text else \
                    self._answer(404, s3_error("NoSuchBucketPolicy", "The bucket policy does not exist"))
            if self.command == "PUT":
                OBJECTS[(bucket, key)] = body
                return self._answer(200)
            if self.command == "DELETE":
                OBJECTS.pop((bucket, key), None)
                return self._answer(204)
            if (bucket, key) not in OBJECTS:
                return self._answer(404, s3_error("NoSuchKey", "The specified key does not exist."))
            return self._answer(200, OBJECTS[(bucket, key)], "application/octet-stream")

    do_GET = do_PUT = do_DELETE = do_HEAD = _handle


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--iamd", required=True)
    ap.add_argument("--account", required=True)
    ap.add_argument("--key-file", required=True, help='JSON ["AKIA...", "secret"] of the store\'s IAM user')
    args = ap.parse_args()
    Store.config = {"iamd": args.iamd, "account": args.account, "key": tuple(json.load(open(args.key_file)))}
    ThreadingHTTPServer(("127.0.0.1", args.port), Store).serve_forever()


if __name__ == "__main__":
    main()
