#!/usr/bin/env python3
"""Reads XML rendered by iamd's Query layer back with botocore's own
QueryParser and checks that botocore sees exactly the values iamd meant.

Usage: check_responses.py RENDERED.json
RENDERED.json (written by query_response_test.cc) is a list of
  {"kind": "response", "service", "operation", "request_id", "xml", "expected"}
  {"kind": "error", "service", "operation", "request_id", "xml", "http_status",
   "expected": {"Code", "Message", "Type"}}
Timestamps compare as ISO 8601 'YYYY-MM-DDTHH:MM:SSZ', blobs as base64.
Exit status 0 when every item matches; otherwise each mismatch is printed.
"""

import base64
import datetime
import json
import sys

import botocore.model
import botocore.session
from botocore.parsers import create_parser


def normalize(value):
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    if isinstance(value, bytes):
        return base64.b64encode(value).decode('ascii')
    return value


def main():
    items = json.load(open(sys.argv[1], encoding='utf-8'))
    loader = botocore.session.get_session().get_component('data_loader')
    models = {}
    failures = 0
    for item in items:
        service = item['service']
        if service not in models:
            models[service] = botocore.model.ServiceModel(loader.load_service_model(service, 'service-2'), service)
        op = models[service].operation_model(item['operation'])
        parser = create_parser('query')
        status = item.get('http_status', 200)
        response = {'body': item['xml'].encode('utf-8'), 'headers': {}, 'status_code': status}
        try:
            parsed = parser.parse(response, op.output_shape)
        except Exception as e:  # noqa: BLE001 - report any parser failure
            print('FAIL %s %s: botocore could not parse: %r\n%s' % (service, item['operation'], e, item['xml']))
            failures += 1
            continue
        meta = parsed.pop('ResponseMetadata', {})
        label = '%s %s %s' % (item['kind'], service, item['operation'])
        if meta.get('RequestId') != item['request_id']:
            print('FAIL %s: RequestId %r != %r' % (label, meta.get('RequestId'), item['request_id']))
            failures += 1
        if item['kind'] == 'error':
            got = parsed.get('Error', {})
        else:
            got = normalize(parsed)
        if got != item['expected']:
            print('FAIL %s:\n  botocore read: %s\n  iamd meant:    %s\n  xml:\n%s' % (
                label, json.dumps(got, sort_keys=True, ensure_ascii=False),
                json.dumps(item['expected'], sort_keys=True, ensure_ascii=False), item['xml']))
            failures += 1
    print('%d of %d renderings read back exactly by botocore %s' % (
        len(items) - failures, len(items), botocore.__version__))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
