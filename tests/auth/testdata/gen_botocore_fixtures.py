#!/usr/bin/python3
"""Writes botocore_fixtures.json: IAM and STS requests signed by real botocore.

Each case is the request exactly as it would go on the wire (method, raw path,
raw query, headers including Host, body) plus the credentials that signed it,
so tests/auth/sigv4_botocore_test.cc can verify it and tamper with it. The
clock is frozen at NOW, so the output is the same on every run.

Regenerate (Debian's python3-botocore; do not use another interpreter's):
    /usr/bin/python3 tests/auth/testdata/gen_botocore_fixtures.py
"""

import datetime
import json
import os
import sys
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 11, 28, 1, 0, 0)
NOW_AMZ = NOW.strftime('%Y%m%dT%H%M%SZ')

LONG_TERM = ('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', None)
# A temporary key: the token is opaque to SigV4 (iamd seals its own later).
TEMPORARY = ('ASIAY34FZKBOKMUTVV7A', 'Xq8bS4Y0tMk1nH+Zp7rV/3uQe9wLc2JdEaFgRiKo',
             'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token==')


class _FrozenDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return NOW


class _FrozenDatetimeModule:
    timezone = datetime.timezone
    datetime = _FrozenDatetime


# botocore reads the clock through its modules' `datetime` global; clients
# sign with awscrt (botocore.crt.auth) when it is installed, as on Debian.
botocore.auth.datetime = _FrozenDatetimeModule
if botocore.compat.HAS_CRT:
    import botocore.crt.auth
    botocore.crt.auth.datetime = _FrozenDatetimeModule
CLIENT_SIGNER = 'awscrt' if botocore.compat.HAS_CRT else 'botocore'


class _Captured(Exception):
    def __init__(self, request):
        super().__init__('captured')
        self.request = request


def _wire_case(name, method, url, headers, body, creds, service, region, form, signer,
               expect='OK'):
    parts = urlsplit(url)
    wire_headers = []
    # The HTTP client adds Host unless the signer already did.
    if not any(key.lower() == 'host' for key in headers.keys()):
        wire_headers.append(['Host', botocore.auth._host_from_url(url)])
    for key, value in headers.items():
        value = value if isinstance(value, str) else value.decode()
        if key.lower() == 'amz-sdk-invocation-id':  # random and unsigned
            value = '00000000-0000-4000-8000-000000000000'
        wire_headers.append([key, value])
    if isinstance(body, bytes):
        body = body.decode('utf-8')
    return {
        'name': name,
        'signer': signer,
        'form': form,
        'service': service,
        'region': region,
        'method': method,
        'path': parts.path or '/',
        'query': parts.query,
        'headers': wire_headers,
        'body': body or '',
        'access_key_id': creds[0],
        'secret_access_key': creds[1],
        'session_token': creds[2] or '',
        'expect': expect,
    }


def _client(service, region, endpoint, creds):
    session = botocore.session.get_session()
    session.set_credentials(*creds)
    client = session.create_client(service, region_name=region, endpoint_url=endpoint)

    def capture(request, **kwargs):
        raise _Captured(request)

    client.meta.events.register('before-send', capture)
    return client


def client_case(name, service, region, endpoint, creds, operation, **params):
    client = _client(service, region, endpoint, creds)
    try:
        getattr(client, operation)(**params)
    except _Captured as captured:
        r = captured.request
        return _wire_case(name, r.method, r.url, r.headers, r.body, creds, service, region,
                          'header', CLIENT_SIGNER)
    raise RuntimeError('request not captured')


def presigned_client_case(name, service, region, endpoint, creds, operation, expires, **params):
    client = _client(service, region, endpoint, creds)
    url = client.generate_presigned_url(operation, Params=params, ExpiresIn=expires,
                                        HttpMethod='GET')
    return _wire_case(name, 'GET', url, {}, '', creds, service, region, 'presigned',
                      CLIENT_SIGNER)


def direct_case(name, method, url, headers, body, creds, service, region, presign_expires=None,
                expect='OK'):
    """Signs with SigV4Auth/SigV4QueryAuth directly, for shapes clients rarely send."""
    credentials = Credentials(*creds)
    request = AWSRequest(method=method, url=url, data=body)
    for key, value in headers:
        request.headers[key] = value  # email.message semantics: repeats append
    if presign_expires is None:
        botocore.auth.SigV4Auth(credentials, service, region).add_auth(request)
        form = 'header'
    else:
        botocore.auth.SigV4QueryAuth(credentials, service, region,
                                     expires=presign_expires).add_auth(request)
        form = 'presigned'
    prepared = request.prepare()
    # request.headers keeps repeated headers (email.message semantics);
    # prepared.headers adds Content-Length but keeps only one of each name.
    headers = list(request.headers.items())
    names = {key.lower() for key, _ in headers}
    headers += [(k, v) for k, v in prepared.headers.items() if k.lower() not in names]
    wire = _wire_case(name, prepared.method, prepared.url, {}, prepared.body, creds, service,
                      region, form, 'botocore', expect)
    for key, value in headers:
        wire['headers'].append([key, value])
    return wire


def main():
    local = 'http://127.0.0.1:8080'
    cases = [
        client_case('iam_list_users', 'iam', 'us-east-1', local, LONG_TERM, 'list_users'),
        client_case('iam_create_user_path', 'iam', 'us-east-1', local, LONG_TERM, 'create_user',
                    UserName='alice', Path='/division_abc/subdivision_xyz/'),
        client_case('iam_put_user_policy', 'iam', 'us-east-1', local, LONG_TERM,
                    'put_user_policy', UserName='alice', PolicyName='s3-read',
                    PolicyDocument=json.dumps({
                        'Version': '2012-10-17',
                        'Statement': [{'Effect': 'Allow', 'Action': ['s3:Get*', 's3:List*'],
                                       'Resource': 'arn:aws:s3:::bucket/${aws:username}/*'}]})),
        client_case('iam_tag_user_unicode', 'iam', 'us-east-1', local, LONG_TERM, 'tag_user',
                    UserName='zoë', Tags=[{'Key': 'team name', 'Value': 'Zoë ☃ +&=%/~*'}]),
        client_case('iam_other_region_https', 'iam', 'eu-west-3', 'https://iam.example.com',
                    LONG_TERM, 'get_user'),
        client_case('iam_port_endpoint', 'iam', 'us-west-2', 'http://localhost:9000', LONG_TERM,
                    'list_groups', PathPrefix='/teams/', MaxItems=10),
        client_case('sts_get_caller_identity', 'sts', 'us-east-1', local, LONG_TERM,
                    'get_caller_identity'),
        client_case('sts_assume_role_with_token', 'sts', 'us-east-1', local, TEMPORARY,
                    'assume_role', RoleArn='arn:aws:iam::123456789012:role/dev',
                    RoleSessionName='alice@example.com', DurationSeconds=900),
        client_case('iam_with_session_token', 'iam', 'us-east-1', local, TEMPORARY,
                    'list_access_keys'),
        presigned_client_case('sts_presigned_get_caller_identity', 'sts', 'us-east-1', local,
                              LONG_TERM, 'get_caller_identity', 900),
        presigned_client_case('sts_presigned_with_token', 'sts', 'us-east-1', local, TEMPORARY,
                              'get_caller_identity', 60),
        presigned_client_case('iam_presigned_week', 'iam', 'us-east-1', local, LONG_TERM,
                              'list_users', 604800, PathPrefix='/a b/', MaxItems=5),
        direct_case('header_whitespace_and_repeats', 'POST', local + '/',
                    [('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'),
                     ('X-Custom', '  a   b \t c  '), ('X-Repeat', 'one'), ('X-Repeat', 'two'),
                     ('X-Repeat', ' three ')],
                    'Action=ListUsers&Version=2010-05-08', LONG_TERM, 'iam', 'us-east-1'),
        direct_case('get_query_encoding', 'GET',
                    local + '/?Version=2010-05-08&Action=ListUsers&PathPrefix=%2Fa%20b%2F'
                    '&Marker=x%2By%3Dz&Empty=&Zeta=%E2%98%83&alpha=1',
                    [], '', LONG_TERM, 'iam', 'us-east-1'),
        direct_case('path_normalisation', 'GET', local + '/a%20b/./c/../d//e%2Ff/',
                    [], '', LONG_TERM, 'iam', 'us-east-1'),
        direct_case('date_header_instead_of_x_amz_date', 'POST', local + '/',
                    [('Date', 'Sat, 01 Jan 2000 00:00:00 GMT'),
                     ('Content-Type', 'application/x-www-form-urlencoded')],
                    'Action=GetUser&Version=2010-05-08', LONG_TERM, 'iam', 'us-east-1'),
        direct_case('presigned_post_body_moved_to_query', 'POST', local + '/',
                    [('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8')],
                    {'Action': 'GetCallerIdentity', 'Version': '2011-06-15'}, TEMPORARY, 'sts',
                    'us-east-1',
                    presign_expires=3600),
        direct_case('wrong_service_ec2', 'POST', local + '/',
                    [('Content-Type', 'application/x-www-form-urlencoded')],
                    'Action=DescribeRegions&Version=2016-11-15', LONG_TERM, 'ec2', 'us-east-1',
                    expect='SignatureDoesNotMatch'),
    ]
    for case in cases:
        for key, value in case['headers']:
            if key.lower() == 'authorization' and case['form'] == 'presigned':
                raise RuntimeError(case['name'] + ': presigned request with Authorization')
    out = {
        'generator': 'botocore ' + botocore.__version__,
        'now': NOW_AMZ,
        'cases': cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'botocore_fixtures.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f'wrote {len(cases)} cases to {path}', file=sys.stderr)


if __name__ == '__main__':
    main()
