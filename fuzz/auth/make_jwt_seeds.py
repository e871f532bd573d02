#!/usr/bin/python3
"""Seeds for jwt_fuzzer: "JWKS NUL token" pairs that verify (RS256 and ES256,
issuer https://issuer.example, audience app), and a few that must not.
Usage: make_jwt_seeds.py OUT_DIR"""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n, size=None):
    return n.to_bytes(size or (n.bit_length() + 7) // 8, "big")


def main(out):
    os.makedirs(out, exist_ok=True)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rn = rsa_key.public_key().public_numbers()
    en = ec_key.public_key().public_numbers()
    jwks = json.dumps({"keys": [
        {"kty": "RSA", "kid": "r1", "use": "sig", "n": b64url(uint(rn.n)), "e": b64url(uint(rn.e))},
        {"kty": "EC", "kid": "e1", "crv": "P-256", "x": b64url(uint(en.x, 32)), "y": b64url(uint(en.y, 32))}]})
    claims = {"iss": "https://issuer.example", "sub": "s", "aud": "app", "exp": 1700000600, "iat": 1699999990}
    seeds = []
    for alg, kid in (("RS256", "r1"), ("ES256", "e1")):
        signed = b64url(json.dumps({"alg": alg, "kid": kid}).encode()) + "." + b64url(json.dumps(claims).encode())
        if alg == "RS256":
            sig = rsa_key.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256())
        else:
            r, s = decode_dss_signature(ec_key.sign(signed.encode(), ec.ECDSA(hashes.SHA256())))
            sig = uint(r, 32) + uint(s, 32)
        seeds.append(jwks + "\0" + signed + "." + b64url(sig))
    seeds.append(jwks + "\0" + b64url(b'{"alg":"none"}') + "." + b64url(json.dumps(claims).encode()) + ".")
    seeds.append(b64url(b'{"alg":"ES256","kid":"k1"}') + "." + b64url(json.dumps(claims).encode()) + "." + "A" * 86)
    for seed in seeds:
        data = seed.encode()
        open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb").write(data)


if __name__ == "__main__":
    main(sys.argv[1])
