#!/usr/bin/env python3
"""Seeds for session_token_fuzzer: unsealed session records (first byte 0)
and tokens sealed with the fuzzer's fixed ring (key id 1, 32 bytes of 'k'),
in the layout of src/auth/session_token.cc. Usage: make_token_seeds.py DIR"""
import base64
import ctypes
import ctypes.util
import hashlib
import os
import struct
import sys


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def s(text):
    b = text.encode()
    return varint(len(b)) + b


def record(kind, strings, arns=(), tags=(), transitive=(), flags=(0, 0, 0), issued=1700000000, expires=1700000900):
    out = bytes([1, kind]) + b"".join(s(x) for x in strings)
    out += varint(len(arns)) + b"".join(s(a) for a in arns)
    out += varint(len(tags)) + b"".join(s(k) + s(v) for k, v in tags)
    out += varint(len(transitive)) + b"".join(s(k) for k in transitive)
    return out + bytes(flags) + varint(issued) + varint(expires)


def seal(plain, aad=b"iamd-session-token-v1"):
    lib = ctypes.CDLL(ctypes.util.find_library("sodium"))
    lib.sodium_init()
    nonce = os.urandom(24)
    out = ctypes.create_string_buffer(len(plain) + 16)
    n = ctypes.c_ulonglong(0)
    lib.crypto_aead_xchacha20poly1305_ietf_encrypt(out, ctypes.byref(n), plain, len(plain), aad, len(aad),
                                                   None, nonce, b"k" * 32)
    return base64.b64encode(b"\x01" + struct.pack(">I", 1) + nonce + out.raw[: n.value])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    role = record(1, ["123456789012", "ASIAAAAAAAAAAAAAAAAA", "secret", "arn:aws:iam::123456789012:role/chef",
                      "AROAAAAAAAAAAAAAAAAAA", "chef", "shift", "", "", "",
                      '{"Version":"2012-10-17","Statement":[]}', "alice"],
                  arns=["arn:aws:iam::aws:policy/IAMReadOnlyAccess"], tags=[("team", "grill")], transitive=["team"],
                  flags=(0, 1, 1))
    user = record(3, ["123456789012", "ASIABBBBBBBBBBBBBBBB", "secret", "", "", "", "", "pat", "AIDAAAAAAAAAAAAAAAAAA",
                      "arn:aws:iam::123456789012:user/pat", "", ""])
    fed = record(2, ["123456789012", "ASIACCCCCCCCCCCCCCCC", "secret", "", "", "", "guest", "", "", "", "", ""],
                 flags=(1, 0, 0))
    seeds = [b"\x00" + r for r in (role, user, fed)]
    try:
        seeds += [b"\x01" + seal(r) for r in (role, user, fed)]
    except (OSError, AttributeError, TypeError):
        pass  # no libsodium for ctypes: records only
    for data in seeds:
        with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
