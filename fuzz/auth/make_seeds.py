#!/usr/bin/python3
"""Writes seeds for sigv4_fuzzer from the botocore fixtures: each request
whole (mode 2), its Authorization header (mode 0) and its query (mode 1).
Usage: fuzz/auth/make_seeds.py OUT_DIR"""
import hashlib
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
fixtures = json.load(open(os.path.join(root, 'tests/auth/testdata/botocore_fixtures.json'),
                          encoding='utf-8'))
out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(seed):
    name = hashlib.sha1(seed).hexdigest()
    with open(os.path.join(out, name), 'wb') as f:
        f.write(seed)


for case in fixtures['cases']:
    lines = [case['method'], case['path'], case['query']]
    lines += [f'{name}:{value}' for name, value in case['headers']]
    write(b'\x02' + '\n'.join(lines + ['', case['body']]).encode('utf-8'))
    for name, value in case['headers']:
        if name.lower() == 'authorization':
            write(b'\x00' + value.encode('utf-8'))
    if case['query']:
        write(b'\x01' + case['query'].encode('utf-8'))
