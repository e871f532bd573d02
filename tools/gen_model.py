#!/usr/bin/env python3
"""Generates the C++ tables of src/api/model/model.h from botocore's models.

Usage: gen_model.py --iam IAM_SERVICE_2_JSON --sts STS_SERVICE_2_JSON
                    --out-model model_data.cc --out-unicode unicode_data.cc

Run by CMake at build time. Every operation (name, input/output shapes,
result wrapper, errors) and every shape (type, members in model order with
wire names and required flags, list/map wire names, length/range, pattern,
enum, timestamp format, error code/status) lands in constant arrays. The
Unicode general-category tables used by \\p{..} come from Python's
unicodedata.
"""

import argparse
import json
import os
import sys
import unicodedata

TYPES = {
    'structure': 'kStructure', 'list': 'kList', 'map': 'kMap', 'string': 'kString',
    'integer': 'kInteger', 'long': 'kLong', 'boolean': 'kBoolean', 'timestamp': 'kTimestamp',
    'blob': 'kBlob', 'double': 'kDouble', 'float': 'kFloat',
}


def cstr(s):
    """A C++ string literal for s (UTF-8), safe for any content."""
    out = ['"']
    for b in s.encode('utf-8'):
        c = chr(b)
        if c == '\\' or c == '"':
            out.append('\\' + c)
        elif 0x20 <= b < 0x7f and c != '?':  # '?' avoids trigraphs
            out.append(c)
        else:
            out.append('\\%03o' % b)
    out.append('"')
    return 'std::string_view(' + ''.join(out) + ', %d)' % len(s.encode('utf-8'))


def lower_camel(name):
    return name[:1].lower() + name[1:]


def load(path):
    if not os.path.isfile(path):
        sys.exit('gen_model.py: service model %s is missing; install Debian python3-botocore '
                 '(scripts/install-deps.sh)' % path)
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def gen_service(var, model):
    meta = model['metadata']
    shapes = model['shapes']
    names = sorted(shapes)
    index = {n: i for i, n in enumerate(names)}
    members, enums, errors, patterns = [], [], [], []
    pattern_index = {}
    shape_rows = []
    for n in names:
        s = shapes[n]
        t = s['type']
        if t not in TYPES:
            sys.exit('gen_model.py: shape %s has unsupported type %s' % (n, t))
        first_member, member_count = len(members), 0
        if t == 'structure':
            required = set(s.get('required', []))
            for mname, m in s['members'].items():
                wire = m.get('locationName', mname)
                members.append('  {%s, %s, %s, %d, %s},' % (
                    cstr(mname), cstr(wire), cstr(lower_camel(mname)), index[m['shape']],
                    'true' if mname in required else 'false'))
                member_count += 1
        list_member, list_member_name = -1, 'member'
        if t == 'list':
            list_member = index[s['member']['shape']]
            list_member_name = s['member'].get('locationName', 'member')
        map_key = map_value = -1
        key_name, value_name = 'key', 'value'
        if t == 'map':
            map_key = index[s['key']['shape']]
            map_value = index[s['value']['shape']]
            key_name = s['key'].get('locationName', 'key')
            value_name = s['value'].get('locationName', 'value')
        pattern = -1
        if 'pattern' in s:
            p = s['pattern']
            if p not in pattern_index:
                pattern_index[p] = len(patterns)
                patterns.append(p)
            pattern = pattern_index[p]
        first_enum, enum_count = len(enums), len(s.get('enum', []))
        enums.extend(s.get('enum', []))
        err = s.get('error')
        is_error = bool(s.get('exception')) or err is not None
        err = err or {}
        code = err.get('code', n)
        status = err.get('httpStatusCode', 400)
        sender = err.get('senderFault', False)
        shape_rows.append(
            '  {%s, ShapeType::%s, %d, %d, %d, %s, %s, %d, %d, %s, %s, %s, %s, %dLL, %dLL, %d, %d, %d, '
            '%s, %s, %s, %s, %d, %s},' % (
                cstr(n), TYPES[t], first_member, member_count, list_member, cstr(list_member_name),
                'true' if s.get('flattened') else 'false', map_key, map_value, cstr(key_name),
                cstr(value_name), 'true' if 'min' in s else 'false', 'true' if 'max' in s else 'false',
                int(s.get('min', 0)), int(s.get('max', 0)), pattern, first_enum, enum_count,
                'true' if s.get('sensitive') else 'false', cstr(s.get('timestampFormat', '')),
                'true' if is_error else 'false', cstr(code if is_error else ''), status if is_error else 0,
                'true' if sender else 'false'))
    ops = []
    for name in sorted(model['operations']):
        o = model['operations'][name]
        first_error = len(errors)
        for e in o.get('errors', []):
            errors.append(index[e['shape']])
        inp = index[o['input']['shape']] if 'input' in o else -1
        out = index[o['output']['shape']] if 'output' in o else -1
        wrapper = o['output'].get('resultWrapper', '') if 'output' in o else ''
        ops.append('  {%s, %d, %d, %s, %d, %d},' % (
            cstr(name), inp, out, cstr(wrapper), first_error, len(errors) - first_error))

    def arr(ctype, name, rows):
        if not rows:
            return 'const %s %s[1] = {};\nconstexpr std::size_t %sSize = 0;\n' % (ctype, name, name)
        return 'const %s %s[] = {\n%s\n};\nconstexpr std::size_t %sSize = std::size(%s);\n' % (
            ctype, name, '\n'.join(rows), name, name)

    out = []
    out.append(arr('Shape', 'k%sShapes' % var, shape_rows))
    out.append(arr('Member', 'k%sMembers' % var, members))
    out.append(arr('std::string_view', 'k%sEnums' % var, ['  %s,' % cstr(e) for e in enums]))
    out.append(arr('int', 'k%sErrors' % var, ['  %d,' % e for e in errors]))
    out.append(arr('std::string_view', 'k%sPatterns' % var, ['  %s,' % cstr(p) for p in patterns]))
    out.append(arr('Operation', 'k%sOperations' % var, ops))
    out.append('''
const Pattern& %(v)sPattern(int i) {
  static const std::vector<Pattern>* compiled =
      new std::vector<Pattern>(internal::CompilePatterns({k%(v)sPatterns, k%(v)sPatternsSize}));
  return (*compiled)[i];
}

}  // namespace

const Service& %(v)s() {
  static const Service service = {
      %(name)s, %(version)s, %(ns)s,
      {k%(v)sOperations, k%(v)sOperationsSize}, {k%(v)sShapes, k%(v)sShapesSize},
      {k%(v)sMembers, k%(v)sMembersSize}, {k%(v)sEnums, k%(v)sEnumsSize},
      {k%(v)sErrors, k%(v)sErrorsSize}, {k%(v)sPatterns, k%(v)sPatternsSize}, &%(v)sPattern};
  return service;
}

namespace {
''' % {'v': var, 'name': cstr(meta['endpointPrefix']), 'version': cstr(meta['apiVersion']),
       'ns': cstr(meta['xmlNamespace'])})
    return '\n'.join(out)


def gen_unicode():
    cats = {}
    prev = None
    for cp in range(0x110000):
        major = unicodedata.category(chr(cp))[0]
        if prev is not None and prev[0] == major and prev[2] == cp - 1:
            prev[2] = cp
            continue
        prev = [major, cp, cp]
        cats.setdefault(major, []).append(prev)
    out = ['// Generated by tools/gen_model.py from Python unicodedata %s. Do not edit.' %
           unicodedata.unidata_version,
           '#include <iterator>', '#include "api/model/pattern.h"', '',
           'namespace iam::api::model {', 'namespace {']
    for major in sorted(cats):
        out.append('const CodePointRange k%s[] = {' % major)
        row = []
        for _, lo, hi in cats[major]:
            row.append('{0x%X, 0x%X}' % (lo, hi))
            if len(row) == 8:
                out.append('  ' + ', '.join(row) + ',')
                row = []
        if row:
            out.append('  ' + ', '.join(row) + ',')
        out.append('};')
    out.append('}  // namespace')
    out.append('')
    out.append('std::vector<CodePointRange> UnicodeCategory(std::string_view name) {')
    for major in sorted(cats):
        out.append('  if (name == "%s") return {std::begin(k%s), std::end(k%s)};' % (major, major, major))
    out.append('  return {};')
    out.append('}')
    out.append('')
    out.append('}  // namespace iam::api::model')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--iam', required=True)
    ap.add_argument('--sts', required=True)
    ap.add_argument('--out-model', required=True)
    ap.add_argument('--out-unicode', required=True)
    args = ap.parse_args()
    iam = load(args.iam)
    sts = load(args.sts)
    body = ['// Generated by tools/gen_model.py from %s and %s. Do not edit.' % (args.iam, args.sts),
            '#include <iterator>', '#include <vector>', '',
            '#include "api/model/model.h"', '#include "api/model/model_internal.h"', '',
            'namespace iam::api::model {', 'namespace {', '',
            gen_service('Iam', iam), gen_service('Sts', sts),
            '}  // namespace', '}  // namespace iam::api::model', '']
    for path, text in ((args.out_model, '\n'.join(body)), (args.out_unicode, gen_unicode())):
        tmp = path + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(text)
        os.replace(tmp, path)


if __name__ == '__main__':
    main()
