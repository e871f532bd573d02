#!/usr/bin/env python3
"""Serializes IAM and STS calls with botocore's own QuerySerializer (no
network) into the exact form bodies a client sends, and writes them with the
call parameters to testdata/requests.json. query_request_test.cc parses each
body with iamd's Query layer and expects back exactly these parameters.

Run from anywhere: python3 tests/api/gen_request_fixtures.py
"""

import json
import os

import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.serialize import create_serializer

POLICY = json.dumps({
    'Version': '2012-10-17',
    'Statement': [{'Effect': 'Allow', 'Action': ['s3:Get*', 'iam:List*'],
                   'Resource': 'arn:aws:s3:::bucket/a b+c&d=e%f?g#h', 'Sid': 'caf\u00e9'}],
}, indent=2, ensure_ascii=False)
TRUST = json.dumps({
    'Version': '2012-10-17',
    'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'ec2.amazonaws.com'},
                   'Action': 'sts:AssumeRole'}],
})

CALLS = [
    ('iam', 'CreateUser', {'UserName': 'alice', 'Path': '/engineering/',
                           'Tags': [{'Key': 'team', 'Value': 'devs'},
                                    {'Key': 'cost center', 'Value': '12 + 3 = 15'}],
                           'PermissionsBoundary': 'arn:aws:iam::123456789012:policy/boundary'}),
    ('iam', 'GetUser', {}),
    ('iam', 'GetUser', {'UserName': 'bob.smith@example.com'}),
    ('iam', 'PutUserPolicy', {'UserName': 'alice', 'PolicyName': 'read-things', 'PolicyDocument': POLICY}),
    ('iam', 'ListUsers', {'PathPrefix': '/engineering/', 'Marker': 'abc/def+ghi==', 'MaxItems': 25}),
    ('iam', 'CreateRole', {'RoleName': 'web-server', 'AssumeRolePolicyDocument': TRUST,
                           'Description': 'Role for the web tier', 'MaxSessionDuration': 7200,
                           'Path': '/service-role/',
                           'Tags': [{'Key': 'env', 'Value': 'prod'}]}),
    ('iam', 'AttachRolePolicy', {'RoleName': 'web-server',
                                 'PolicyArn': 'arn:aws:iam::aws:policy/ReadOnlyAccess'}),
    ('iam', 'CreateAccessKey', {'UserName': 'alice'}),
    ('iam', 'UpdateAccessKey', {'UserName': 'alice', 'AccessKeyId': 'AKIAIOSFODNN7EXAMPLE',
                                'Status': 'Inactive'}),
    ('iam', 'UntagUser', {'UserName': 'alice', 'TagKeys': ['team', 'cost center']}),
    ('iam', 'UntagRole', {'RoleName': 'web-server', 'TagKeys': []}),
    ('iam', 'CreatePolicyVersion', {'PolicyArn': 'arn:aws:iam::123456789012:policy/p',
                                    'PolicyDocument': POLICY, 'SetAsDefault': True}),
    ('iam', 'UpdateAccountPasswordPolicy', {'MinimumPasswordLength': 14, 'RequireSymbols': True,
                                            'RequireNumbers': False, 'AllowUsersToChangePassword': True,
                                            'MaxPasswordAge': 90, 'PasswordReusePrevention': 5,
                                            'HardExpiry': False}),
    ('iam', 'GetAccountAuthorizationDetails', {'Filter': ['User', 'Role', 'AWSManagedPolicy'],
                                               'MaxItems': 100}),
    ('iam', 'ListPolicies', {'Scope': 'Local', 'OnlyAttached': True, 'PathPrefix': '/',
                             'PolicyUsageFilter': 'PermissionsPolicy', 'MaxItems': 1000}),
    ('iam', 'SimulatePrincipalPolicy', {
        'PolicySourceArn': 'arn:aws:iam::123456789012:user/alice',
        'ActionNames': ['s3:GetObject', 'iam:CreateUser'],
        'ResourceArns': ['arn:aws:s3:::bucket/key'],
        'ContextEntries': [{'ContextKeyName': 'aws:SourceIp', 'ContextKeyValues': ['10.0.0.1', '10.0.0.2'],
                            'ContextKeyType': 'ipList'},
                           {'ContextKeyName': 'aws:MultiFactorAuthPresent', 'ContextKeyValues': ['true'],
                            'ContextKeyType': 'boolean'}]}),
    ('iam', 'ChangePassword', {'OldPassword': 'old p@ss&word=1', 'NewPassword': 'n\u00e9w+Pass%20word!'}),
    ('iam', 'CreateLoginProfile', {'UserName': 'alice', 'Password': 'Secr3t!Secr3t!',
                                   'PasswordResetRequired': False}),
    ('iam', 'AddUserToGroup', {'GroupName': 'developers', 'UserName': 'alice'}),
    ('iam', 'CreatePolicy', {'PolicyName': 'p', 'PolicyDocument': POLICY, 'Path': '/x/y/',
                             'Description': 'A policy', 'Tags': [{'Key': 'k', 'Value': ''}]}),
    ('sts', 'AssumeRole', {'RoleArn': 'arn:aws:iam::123456789012:role/web-server',
                           'RoleSessionName': 'session-1@example.com', 'DurationSeconds': 3600,
                           'ExternalId': 'ext-id', 'Policy': POLICY,
                           'PolicyArns': [{'arn': 'arn:aws:iam::123456789012:policy/a'},
                                          {'arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess'}],
                           'Tags': [{'Key': 'project', 'Value': 'x'}, {'Key': 'dept', 'Value': 'y'}],
                           'TransitiveTagKeys': ['project'],
                           'SerialNumber': 'arn:aws:iam::123456789012:mfa/alice', 'TokenCode': '123456'}),
    ('sts', 'GetCallerIdentity', {}),
    ('sts', 'GetSessionToken', {'DurationSeconds': 900}),
    ('sts', 'GetFederationToken', {'Name': 'fed-user', 'Policy': POLICY,
                                   'PolicyArns': [{'arn': 'arn:aws:iam::123456789012:policy/a'}],
                                   'Tags': [{'Key': 'a', 'Value': 'b'}], 'DurationSeconds': 43200}),
]


def main():
    session = botocore.session.get_session()
    loader = session.get_component('data_loader')
    out = []
    for service, op_name, params in CALLS:
        model = botocore.model.ServiceModel(loader.load_service_model(service, 'service-2'), service)
        op = model.operation_model(op_name)
        serializer = create_serializer(model.metadata['protocol'], include_validation=True)
        request = serializer.serialize_to_request(params, op)
        prepared = AWSRequest(method='POST', url='https://%s.amazonaws.com/' % service,
                              data=request['body'], headers=request['headers']).prepare()
        body = prepared.body
        if isinstance(body, bytes):
            body = body.decode('ascii')
        out.append({'service': service, 'operation': op_name, 'params': params, 'body': body})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'testdata', 'requests.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'botocore_version': botocore.__version__, 'requests': out}, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('wrote %d requests to %s' % (len(out), path))


if __name__ == '__main__':
    import botocore.model  # noqa: F401  (used above)
    main()
