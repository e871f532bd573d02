#!/usr/bin/env node
// Seeded generator of random, valid AWS policy evaluation cases in the
// JSON Lines format of shared/eval-cases.md (one case per line on stdout).
//
//   node generate_cases.mjs --seed 42 --count 2000 > cases.jsonl
//
// Options:
//   --seed N         PRNG seed (default 1); same seed + count = same file.
//   --count N        number of cases (default 1000).
//   --with-scps      also attach service control policies to some cases.
//   --id-prefix S    prefix of case ids (default "s<seed>-").
//
// The space covers identity, resource (bucket/queue/table/key/trust),
// boundary and session policies; Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal; every condition operator family with IfExists and
// ForAnyValue/ForAllValues; policy variables; anonymous, user, role,
// assumed-role and federated-user principals; same- and cross-account.
//
// Deliberately NOT generated (AWS documents no behaviour for them, so two
// correct engines may differ): single-valued operators on multivalued keys,
// set operators on single-valued keys, empty strings in the context, wildcards
// inside the resource-type part of an ARN pattern, Version 2008-10-17.
//
// The distribution of the decisions is not known here (this generator has no
// engine); run_differential.sh prints it from the engines' answers.

import process from 'node:process';

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const opts = { seed: 1, count: 1000, withScps: false, idPrefix: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--seed') opts.seed = Number.parseInt(next(), 10);
    else if (a === '--count') opts.count = Number.parseInt(next(), 10);
    else if (a === '--with-scps') opts.withScps = true;
    else if (a === '--id-prefix') opts.idPrefix = next();
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: generate_cases.mjs [--seed N] [--count N] [--with-scps] [--id-prefix S]\n');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isFinite(opts.seed) || !Number.isFinite(opts.count) || opts.count < 0) {
    throw new Error('--seed and --count must be integers');
  }
  if (opts.idPrefix === null) opts.idPrefix = `s${opts.seed}-`;
  return opts;
}

// ---------------------------------------------------------------- PRNG
// mulberry32: tiny, fast, and identical on every Node version.
function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    chance: (p) => next() < p,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    // weighted pick: [[weight, value], ...]
    weighted: (pairs) => {
      let total = 0;
      for (const [w] of pairs) total += w;
      let r = next() * total;
      for (const [w, v] of pairs) {
        if ((r -= w) < 0) return v;
      }
      return pairs[pairs.length - 1][1];
    },
    sample: (arr, n) => {
      const copy = arr.slice();
      const out = [];
      while (out.length < n && copy.length) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return out;
    },
  };
  return rng;
}

// ---------------------------------------------------------------- world
const ACCT_A = '111122223333';
const ACCT_B = '444455556666';
const ACCT_C = '777788889999';
const REGION = 'us-east-1';

// Principals. `kind` drives which policies may apply; tags/userid feed the
// context and the policy variables.
const PRINCIPALS = [
  { kind: 'user', arn: `arn:aws:iam::${ACCT_A}:user/alice`, account: ACCT_A, username: 'alice', userid: 'AIDAALICEEXAMPLE01', team: 'red' },
  { kind: 'user', arn: `arn:aws:iam::${ACCT_A}:user/eng/bob`, account: ACCT_A, username: 'bob', userid: 'AIDABOBEXAMPLE0002', team: 'blue' },
  { kind: 'user', arn: `arn:aws:iam::${ACCT_B}:user/carol`, account: ACCT_B, username: 'carol', userid: 'AIDACAROLEXAMPLE03', team: 'red' },
  { kind: 'role', arn: `arn:aws:iam::${ACCT_A}:role/app-role`, account: ACCT_A, role: 'app-role', userid: 'AROAAPPROLEEXAMPLE', team: 'blue' },
  { kind: 'assumed-role', arn: `arn:aws:sts::${ACCT_A}:assumed-role/app-role/sess-1`, roleArn: `arn:aws:iam::${ACCT_A}:role/app-role`, account: ACCT_A, role: 'app-role', userid: 'AROAAPPROLEEXAMPLE:sess-1', team: 'blue' },
  { kind: 'assumed-role', arn: `arn:aws:sts::${ACCT_A}:assumed-role/admin/alice`, roleArn: `arn:aws:iam::${ACCT_A}:role/admin`, account: ACCT_A, role: 'admin', userid: 'AROAADMINEXAMPLE00:alice', team: 'red' },
  { kind: 'assumed-role', arn: `arn:aws:sts::${ACCT_B}:assumed-role/ops/jane`, roleArn: `arn:aws:iam::${ACCT_B}:role/ops`, account: ACCT_B, role: 'ops', userid: 'AROAOPSEXAMPLE0000:jane', team: 'green' },
  { kind: 'federated-user', arn: `arn:aws:sts::${ACCT_A}:federated-user/dave`, account: ACCT_A, username: null, userid: `${ACCT_A}:dave`, team: 'green' },
  { kind: 'anonymous', arn: 'anonymous', account: null, userid: null, team: null },
];

const TEAMS = ['red', 'blue', 'green'];
const USERNAMES = ['alice', 'bob', 'carol', 'mallory'];

// Actions by service: [action, resource-kind]. resource-kind "*" = the
// action has no resource types.
const ACTIONS = {
  s3: [['GetObject', 'object'], ['PutObject', 'object'], ['DeleteObject', 'object'], ['GetObjectTagging', 'object'],
       ['ListBucket', 'bucket'], ['GetBucketPolicy', 'bucket'], ['ListAllMyBuckets', '*']],
  iam: [['GetUser', 'user'], ['CreateUser', 'user'], ['DeleteUser', 'user'], ['TagUser', 'user'],
        ['GetRole', 'role'], ['PassRole', 'role'], ['ListUsers', '*'], ['ListRoles', '*']],
  ec2: [['StartInstances', 'instance'], ['StopInstances', 'instance'], ['TerminateInstances', 'instance'],
        ['DescribeInstances', '*'], ['DescribeRegions', '*']],
  sqs: [['SendMessage', 'queue'], ['ReceiveMessage', 'queue'], ['DeleteMessage', 'queue'], ['GetQueueAttributes', 'queue']],
  dynamodb: [['GetItem', 'table'], ['PutItem', 'table'], ['Query', 'table'], ['DeleteItem', 'table']],
  sts: [['AssumeRole', 'trustrole'], ['GetCallerIdentity', '*']],
  kms: [['Decrypt', 'key'], ['Encrypt', 'key'], ['GenerateDataKey', 'key'], ['DescribeKey', 'key']],
};
const SERVICES = Object.keys(ACTIONS);
const SERVICE_WEIGHTS = [[5, 's3'], [3, 'iam'], [2, 'ec2'], [2, 'sqs'], [2, 'dynamodb'], [2, 'sts'], [2, 'kms']];

const BUCKETS = ['media-bucket', 'logs-bucket'];
const KMS_KEYS = ['1234abcd-12ab-34cd-56ef-1234567890ab', '0987dcba-09fe-87dc-65ba-ab0987654321'];
const QUEUES = ['orders-queue', 'audit-queue'];
const TABLES = ['Orders', 'Customers'];
const INSTANCES = ['i-0abcd1234efgh5678', 'i-0fedc9876ba543210'];

// ---------------------------------------------------------------- request
// Makes the concrete request: action, resource ARN and owner account.
function makeRequest(rng, principal) {
  const service = rng.weighted(SERVICE_WEIGHTS);
  let [action, kind] = rng.pick(ACTIONS[service]);
  // Anonymous callers only reach resources with resource policies that
  // accept unsigned requests (bucket, queue, table).
  if (principal.kind === 'anonymous' && !['object', 'bucket', 'queue', 'table'].includes(kind)) {
    [action, kind] = rng.pick(ACTIONS.s3.filter(([, k]) => k === 'object' || k === 'bucket'));
    return finishRequest(rng, principal, 's3', action, kind);
  }
  return finishRequest(rng, principal, service, action, kind);
}

function otherAccount(rng, account) {
  return rng.pick([ACCT_A, ACCT_B, ACCT_C].filter((a) => a !== account));
}

function finishRequest(rng, principal, service, action, kind) {
  const home = principal.account ?? ACCT_A;
  // ~30 % cross-account for resources that can carry resource policies.
  const crossable = ['object', 'bucket', 'queue', 'table', 'key', 'trustrole'].includes(kind);
  const owner = principal.kind === 'anonymous' ? rng.pick([ACCT_A, ACCT_B])
    : crossable && rng.chance(0.3) ? otherAccount(rng, home) : home;
  let resource;
  const user = principal.username ?? rng.pick(USERNAMES);
  const team = principal.team ?? rng.pick(TEAMS);
  switch (kind) {
    case '*': resource = '*'; break;
    case 'object': {
      const bucket = rng.pick(BUCKETS);
      const key = rng.weighted([
        [3, `home/${rng.chance(0.7) ? user : rng.pick(USERNAMES)}/notes.txt`],
        [2, `teams/${rng.chance(0.7) ? team : rng.pick(TEAMS)}/plan.doc`],
        [2, 'public/index.html'],
        [1, 'Public/Index.html'],
        [1, 'private/keys/backup.tar'],
      ]);
      resource = `arn:aws:s3:::${bucket}/${key}`;
      break;
    }
    case 'bucket': resource = `arn:aws:s3:::${rng.pick(BUCKETS)}`; break;
    case 'user': resource = `arn:aws:iam::${owner}:user/${rng.pick(['alice', 'eng/bob', 'carol', 'svc/deploy'])}`; break;
    case 'role': resource = `arn:aws:iam::${owner}:role/${rng.pick(['app-role', 'admin', 'service-role/batch'])}`; break;
    case 'trustrole': resource = `arn:aws:iam::${owner}:role/${rng.pick(['app-role', 'admin', 'ops'])}`; break;
    case 'instance': resource = `arn:aws:ec2:${REGION}:${owner}:instance/${rng.pick(INSTANCES)}`; break;
    case 'queue': resource = `arn:aws:sqs:${REGION}:${owner}:${rng.pick(QUEUES)}`; break;
    case 'table': resource = `arn:aws:dynamodb:${REGION}:${owner}:table/${rng.pick(TABLES)}`; break;
    case 'key': resource = `arn:aws:kms:${REGION}:${owner}:key/${rng.pick(KMS_KEYS)}`; break;
    default: throw new Error(kind);
  }
  return { service, action: `${service}:${action}`, actionName: action, kind, resource, owner };
}

// ---------------------------------------------------------------- context
// Context keys. Type drives the operator family; `multi` keys are arrays.
const IPS_V4 = ['10.1.2.3', '10.200.0.9', '203.0.113.7', '198.51.100.20', '192.0.2.7', '172.16.5.4'];
const IPS_V6 = ['2001:db8::1', '2001:db8:abcd:12::5', '2600:1f18::42', 'fd00::7'];
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '203.0.113.0/24', '192.0.2.7/32', '198.51.100.0/25', '172.16.0.0/12',
  '2001:db8::/32', '2001:db8:abcd::/48', '2600:1f18::/32', 'fd00::/8', '0.0.0.0/0'];
const TIMES = ['2024-05-01T12:00:00Z', '2024-01-15T08:30:00Z', '2025-03-10T23:59:59Z', '2023-11-30T00:00:00Z'];
const DATE_VALUES = ['2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z', '2025-01-01T00:00:00Z', '2023-12-31T23:59:59Z',
  '1714564800', '1704067200', '2024-05-01T12:00:00Z'];
const ORG_PATHS = ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/', 'o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/', 'o-zz9988/r-zz99/ou-zz99-33333333/'];
const TAG_KEYS = ['env', 'team', 'cost-center', 'Owner', 'project'];
const CALLED_VIA = ['cloudformation.amazonaws.com', 'athena.amazonaws.com', 'dynamodb.amazonaws.com'];
const ATTRS = ['id', 'status', 'price', 'secret'];
const B64 = ['QmluYXJ5VmFsdWU=', 'aGVsbG8gd29ybGQ=', 'c2VjcmV0'];

function epochOf(iso) { return String(Math.floor(Date.parse(iso) / 1000)); }

// Builds the complete request context. Each key is present with some
// probability so that conditions are tested both ways.
function makeContext(rng, principal, req) {
  const ctx = {};
  const put = (p, key, value) => {
    if (rng.chance(p)) ctx[rng.chance(0.1) ? varyCase(rng, key) : key] = value;
  };
  const authenticated = principal.kind !== 'anonymous';
  if (authenticated) {
    if (principal.username) put(0.85, 'aws:username', principal.username);
    put(0.8, 'aws:userid', principal.userid);
    put(0.8, 'aws:PrincipalArn', principal.kind === 'assumed-role' ? principal.roleArn : principal.arn);
    put(0.75, 'aws:PrincipalAccount', principal.account);
    put(0.7, 'aws:PrincipalTag/team', rng.chance(0.85) ? principal.team : rng.pick(TEAMS));
    put(0.6, 'aws:MultiFactorAuthPresent', rng.pick(['true', 'false']));
    put(0.45, 'aws:MultiFactorAuthAge', rng.pick(['30', '600', '3600', '7200', '86400']));
    put(0.35, 'aws:PrincipalOrgPaths', rng.sample(ORG_PATHS, rng.int(1, 2)));
  }
  put(0.8, 'aws:SourceIp', rng.chance(0.7) ? rng.pick(IPS_V4) : rng.pick(IPS_V6));
  put(0.7, 'aws:SecureTransport', rng.pick(['true', 'false']));
  const t = rng.pick(TIMES);
  put(0.6, 'aws:CurrentTime', t);
  put(0.5, 'aws:EpochTime', epochOf(t));
  put(0.4, 'aws:RequestTag/env', rng.pick(['prod', 'dev', 'Prod', 'staging']));
  put(0.4, 'aws:ResourceTag/env', rng.pick(['prod', 'dev', 'staging']));
  put(0.45, 'aws:TagKeys', rng.sample(TAG_KEYS, rng.int(1, 3)));
  put(0.3, 'aws:CalledVia', rng.sample(CALLED_VIA, rng.int(1, 2)));
  put(0.4, 'aws:SourceArn', rng.pick([`arn:aws:sns:${REGION}:${ACCT_A}:alerts`, `arn:aws:s3:::${BUCKETS[0]}`, `arn:aws:lambda:${REGION}:${ACCT_B}:function:etl`]));
  put(0.3, 'aws:RequestTag/cert', rng.pick(B64));
  if (req.service === 's3') {
    put(0.5, 's3:prefix', rng.pick(['home/', 'public/', 'teams/red/', `home/${principal.username ?? 'alice'}/`]));
    put(0.5, 's3:max-keys', rng.pick(['10', '100', '1000', '2.5']));
  }
  if (req.service === 'ec2') put(0.6, 'ec2:InstanceType', rng.pick(['t3.micro', 't3.large', 'm5.xlarge', 'T3.Micro']));
  if (req.service === 'dynamodb') {
    put(0.6, 'dynamodb:LeadingKeys', rng.sample([principal.userid ?? 'x', 'AIDAOTHER', 'cust-1'], rng.int(1, 2)));
    put(0.6, 'dynamodb:Attributes', rng.sample(ATTRS, rng.int(1, 3)));
  }
  if (req.service === 'kms') put(0.5, 'kms:EncryptionContext:purpose', rng.pick(['backup', 'billing']));
  if (req.service === 'sts') put(0.5, 'sts:ExternalId', rng.pick(['ext-123', 'ext-999']));
  return ctx;
}

function varyCase(rng, s) {
  let out = '';
  for (const c of s) out += rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase();
  return out;
}

// ---------------------------------------------------------------- conditions
// Each family: keys it applies to and a value generator.
const STRING_KEYS = [
  ['aws:username', (r) => r.weighted([[3, r.pick(USERNAMES)], [1, 'a*'], [1, '${aws:username}']])],
  ['aws:PrincipalTag/team', (r) => r.pick(TEAMS)],
  ['aws:RequestTag/env', (r) => r.pick(['prod', 'dev', 'staging', 'PROD'])],
  ['aws:ResourceTag/env', (r) => r.weighted([[3, r.pick(['prod', 'dev', 'staging'])], [1, '${aws:RequestTag/env}']])],
  ['aws:PrincipalAccount', (r) => r.pick([ACCT_A, ACCT_B])],
  ['aws:userid', (r) => r.weighted([[2, r.pick(['AIDAALICEEXAMPLE01', 'AROAAPPROLEEXAMPLE:sess-1', `${ACCT_A}:dave`])], [1, 'AROA*:*']])],
  ['s3:prefix', (r) => r.pick(['home/', 'public/', 'home/${aws:username}/', 'teams/red/'])],
  ['ec2:InstanceType', (r) => r.pick(['t3.micro', 't3.*', 'm5.xlarge', 't3.large'])],
  ['kms:EncryptionContext:purpose', (r) => r.pick(['backup', 'billing', 'b*'])],
  ['sts:ExternalId', (r) => r.pick(['ext-123', 'ext-999'])],
];
const LIKE_PATTERNS = {
  'aws:username': ['a*', '?ob', '*o*', 'car?l'],
  'aws:PrincipalTag/team': ['r*', '*e*', 'gr??n'],
  'aws:RequestTag/env': ['pr*', '*ev', 'stag?ng'],
  'aws:ResourceTag/env': ['p*', 'd?v'],
  'aws:PrincipalAccount': ['1111*', '4444????????'],
  'aws:userid': ['AIDA*', 'AROA*:*', '*:dave', 'AROAAPPROLEEXAMPLE:${aws:username}'],
  's3:prefix': ['home/*', 'public/*', 'home/${aws:username}/*', 'teams/${aws:PrincipalTag/team}/*'],
  'ec2:InstanceType': ['t3.*', 'm5.*', '*.micro'],
  'kms:EncryptionContext:purpose': ['b*', '*ing'],
  'sts:ExternalId': ['ext-*', 'ext-1??'],
};
const NUMERIC_KEYS = [
  ['aws:MultiFactorAuthAge', (r) => r.pick(['60', '600', '3600', '7200', '43200'])],
  ['s3:max-keys', (r) => r.pick(['10', '100', '500', '1000', '2.5', '99.5'])],
];
const DATE_KEYS = [
  ['aws:CurrentTime', (r) => r.pick(DATE_VALUES)],
  ['aws:EpochTime', (r) => r.pick(DATE_VALUES)],
];
const BOOL_KEYS = ['aws:MultiFactorAuthPresent', 'aws:SecureTransport'];
const ARN_KEYS = [
  ['aws:PrincipalArn', (r) => r.pick([`arn:aws:iam::${ACCT_A}:user/*`, `arn:aws:iam::${ACCT_A}:role/app-role`, `arn:aws:iam::*:role/*`,
    `arn:aws:iam::${ACCT_B}:*`, `arn:aws:iam::${ACCT_A}:user/eng/*`, `arn:aws:iam::${ACCT_A}:user/alice`, `arn:aws:iam::????????????:role/ops`])],
  ['aws:SourceArn', (r) => r.pick([`arn:aws:sns:${REGION}:${ACCT_A}:alerts`, `arn:aws:s3:::${BUCKETS[0]}`, `arn:aws:lambda:*:${ACCT_B}:function:*`,
    `arn:aws:sns:*:*:*`, 'arn:aws:s3:::*-bucket'])],
];
const MULTI_KEYS = [
  ['aws:TagKeys', (r) => r.pick(TAG_KEYS), ['env', 'team', 'cost-*', 'own*', 'p?oject']],
  ['aws:PrincipalOrgPaths', (r) => r.pick(ORG_PATHS), ['o-a1b2c3d4e5/*', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*', 'o-zz9988/*']],
  ['aws:CalledVia', (r) => r.pick(CALLED_VIA), ['*.amazonaws.com', 'athena.*']],
  ['dynamodb:Attributes', (r) => r.pick(ATTRS), ['s*', 'p?ice']],
  ['dynamodb:LeadingKeys', (r) => r.weighted([[2, '${aws:userid}'], [1, 'cust-1']]), ['cust-*', 'AIDA*']],
];
const NULL_KEYS = ['aws:username', 'aws:PrincipalTag/team', 'aws:SourceIp', 'aws:MultiFactorAuthAge', 'aws:TagKeys',
  'aws:RequestTag/env', 'aws:CalledVia', 'aws:SourceArn'];

function values(rng, gen, max = 3) {
  const n = rng.weighted([[5, 1], [3, 2], [1, 3]]);
  const out = new Set();
  for (let i = 0; i < Math.min(n, max); i++) out.add(gen(rng));
  const arr = [...out];
  // A single value is written as a string or a one-element array.
  return arr.length === 1 && rng.chance(0.6) ? arr[0] : arr;
}

function maybeIfExists(rng, op) {
  return rng.chance(0.2) ? `${op}IfExists` : op;
}

function keyCase(rng, key) {
  return rng.chance(0.1) ? varyCase(rng, key) : key;
}

// One "operator: {key: values}" entry; returns [operator, key, values].
function makeConditionEntry(rng) {
  const family = rng.weighted([[6, 'string'], [3, 'like'], [2, 'numeric'], [2, 'date'], [2, 'bool'], [3, 'ip'],
    [2, 'arn'], [2, 'null'], [4, 'set'], [1, 'binary']]);
  switch (family) {
    case 'string': {
      const [key, gen] = rng.pick(STRING_KEYS);
      const op = rng.pick(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']);
      return [maybeIfExists(rng, op), keyCase(rng, key), values(rng, gen)];
    }
    case 'like': {
      const [key] = rng.pick(STRING_KEYS);
      const op = rng.pick(['StringLike', 'StringNotLike']);
      return [maybeIfExists(rng, op), keyCase(rng, key), values(rng, (r) => r.pick(LIKE_PATTERNS[key]), 2)];
    }
    case 'numeric': {
      const [key, gen] = rng.pick(NUMERIC_KEYS);
      const op = rng.pick(['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals',
        'NumericGreaterThan', 'NumericGreaterThanEquals']);
      return [maybeIfExists(rng, op), keyCase(rng, key), values(rng, gen, 2)];
    }
    case 'date': {
      const [key, gen] = rng.pick(DATE_KEYS);
      const op = rng.pick(['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan',
        'DateGreaterThanEquals']);
      return [maybeIfExists(rng, op), keyCase(rng, key), values(rng, gen, 2)];
    }
    case 'bool': {
      const key = rng.pick(BOOL_KEYS);
      return [maybeIfExists(rng, 'Bool'), keyCase(rng, key), rng.pick(['true', 'false', ['true'], ['false']])];
    }
    case 'ip': {
      const op = rng.pick(['IpAddress', 'NotIpAddress']);
      return [maybeIfExists(rng, op), keyCase(rng, 'aws:SourceIp'), values(rng, (r) => r.pick(CIDRS))];
    }
    case 'arn': {
      const [key, gen] = rng.pick(ARN_KEYS);
      const op = rng.pick(['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']);
      return [maybeIfExists(rng, op), keyCase(rng, key), values(rng, gen, 2)];
    }
    case 'null': {
      return ['Null', keyCase(rng, rng.pick(NULL_KEYS)), rng.pick(['true', 'false'])];
    }
    case 'set': {
      const [key, gen, likes] = rng.pick(MULTI_KEYS);
      const prefix = rng.pick(['ForAnyValue:', 'ForAllValues:']);
      const op = rng.pick(['StringEquals', 'StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike',
        'StringEqualsIgnoreCase']);
      const gen2 = op.includes('Like') ? (r) => r.pick(likes) : gen;
      return [prefix + maybeIfExists(rng, op), keyCase(rng, key), values(rng, gen2)];
    }
    case 'binary': {
      return [maybeIfExists(rng, 'BinaryEquals'), 'aws:RequestTag/cert', values(rng, (r) => r.pick(B64), 2)];
    }
    default: throw new Error(family);
  }
}

function makeCondition(rng) {
  const cond = {};
  const n = rng.weighted([[5, 1], [3, 2], [1, 3]]);
  for (let i = 0; i < n; i++) {
    const [op, key, vals] = makeConditionEntry(rng);
    cond[op] ??= {};
    // Never write the same key twice in one block (even in another case):
    // that is a duplicate JSON key for AWS.
    const lower = key.toLowerCase();
    if (Object.keys(cond[op]).some((k) => k.toLowerCase() === lower)) continue;
    cond[op][key] = vals;
  }
  return cond;
}

// ---------------------------------------------------------------- actions
function actionCase(rng, s) {
  return rng.weighted([[6, s], [1, s.toLowerCase()], [1, varyCase(rng, s)]]);
}

function wildcardAction(rng, service, name) {
  const forms = [
    [5, `${service}:${name}`],
    [2, `${service}:${name.slice(0, 3)}*`],
    [2, `${service}:*`],
    [1, '*'],
    [1, `${service}:*${name.slice(-4)}`],
    [1, `${service}:?${name.slice(1)}`],
    [1, `${service}:${name.slice(0, -1)}?`],
  ];
  return actionCase(rng, rng.weighted(forms));
}

// An Action element that often, not always, covers the request's action.
function actionElement(rng, req) {
  const n = rng.weighted([[5, 1], [3, 2], [1, 3]]);
  const out = [];
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.7)) out.push(wildcardAction(rng, req.service, req.actionName));
    else {
      const svc = rng.chance(0.5) ? req.service : rng.pick(SERVICES);
      const [name] = rng.pick(ACTIONS[svc]);
      out.push(wildcardAction(rng, svc, name));
    }
  }
  const uniq = [...new Set(out)];
  return uniq.length === 1 && rng.chance(0.6) ? uniq[0] : uniq;
}

// ---------------------------------------------------------------- resources
// Patterns that may or may not match `req.resource`.
function resourcePatterns(rng, req, acct) {
  const r = req.resource;
  const a = acct ?? req.owner;
  switch (req.kind) {
    case '*': return ['*'];
    case 'object': {
      const bucket = r.split(':::')[1].split('/')[0];
      const other = BUCKETS.find((b) => b !== bucket);
      return [r, `arn:aws:s3:::${bucket}/*`, `arn:aws:s3:::${bucket}/home/\${aws:username}/*`,
        `arn:aws:s3:::${bucket}/teams/\${aws:PrincipalTag/team}/*`, `arn:aws:s3:::${bucket}/public/*`,
        `arn:aws:s3:::${bucket.slice(0, 3)}?${bucket.slice(4)}/*`, `arn:aws:s3:::*/public/*`, `arn:aws:s3:::${other}/*`,
        `arn:aws:s3:::${bucket}/home/\${aws:userid}/*`, `arn:aws:s3:::${bucket}/Public/*`, `arn:aws:s3:::${bucket}`, '*'];
    }
    case 'bucket': {
      const bucket = r.split(':::')[1];
      return [r, `arn:aws:s3:::${bucket.split('-')[0]}-*`, `arn:aws:s3:::${bucket}/*`, 'arn:aws:s3:::*', '*',
        `arn:aws:s3:::${BUCKETS.find((b) => b !== bucket)}`];
    }
    case 'user':
      return [r, `arn:aws:iam::${a}:user/*`, `arn:aws:iam::${a}:user/\${aws:username}`, `arn:aws:iam::*:user/eng/*`,
        `arn:aws:iam::${a}:user/svc/*`, `arn:aws:iam::${ACCT_C}:user/*`, `arn:aws:iam::${a}:*`, '*'];
    case 'role': case 'trustrole':
      return [r, `arn:aws:iam::${a}:role/*`, `arn:aws:iam::${a}:role/app-*`, `arn:aws:iam::${a}:role/service-role/*`,
        `arn:aws:iam::*:role/admin`, '*'];
    case 'instance':
      return [r, `arn:aws:ec2:${REGION}:${a}:instance/*`, `arn:aws:ec2:*:${a}:instance/*`, `arn:aws:ec2:*:*:instance/i-0abcd*`,
        `arn:aws:ec2:eu-west-1:${a}:instance/*`, '*'];
    case 'queue':
      return [r, `arn:aws:sqs:${REGION}:${a}:*`, `arn:aws:sqs:*:${a}:orders-*`, `arn:aws:sqs:${REGION}:${a}:audit-queue`,
        `arn:aws:sqs:${REGION}:*:*-queue`, '*'];
    case 'table':
      return [r, `arn:aws:dynamodb:${REGION}:${a}:table/*`, `arn:aws:dynamodb:*:${a}:table/Orders`,
        `arn:aws:dynamodb:${REGION}:${a}:table/Cust*`, `arn:aws:dynamodb:${REGION}:${a}:table/Orders/index/*`, '*'];
    case 'key':
      return [r, `arn:aws:kms:${REGION}:${a}:key/*`, `arn:aws:kms:*:${a}:key/1234*`, `arn:aws:kms:${REGION}:${a}:alias/*`, '*'];
    default: throw new Error(req.kind);
  }
}

function resourceElement(rng, req) {
  const pats = resourcePatterns(rng, req);
  const n = rng.weighted([[6, 1], [3, 2]]);
  const out = [...new Set(rng.sample(pats, n).map((p) => (rng.chance(0.35) && req.kind !== '*' ? pats[0] : p)))];
  return out.length === 1 && rng.chance(0.6) ? out[0] : out;
}

// ---------------------------------------------------------------- statements
let sidCounter = 0;

function makeStatement(rng, req, opts) {
  const st = {};
  if (rng.chance(0.4)) st.Sid = `S${++sidCounter}`;
  st.Effect = rng.chance(opts.denyRate ?? 0.28) ? 'Deny' : 'Allow';
  if (opts.principal) Object.assign(st, opts.principal(rng, st.Effect));
  if (rng.chance(0.12)) {
    // NotAction: list other actions, sometimes the request's own.
    const svc = rng.chance(0.6) ? req.service : rng.pick(SERVICES);
    const [name] = rng.pick(ACTIONS[svc]);
    st.NotAction = rng.chance(0.5) ? wildcardAction(rng, svc, name) : [wildcardAction(rng, svc, name), `${rng.pick(SERVICES)}:List*`];
  } else {
    st.Action = actionElement(rng, req);
  }
  if (!opts.noResource) {
    if (rng.chance(0.1) && req.kind !== '*') {
      const pats = resourcePatterns(rng, req);
      st.NotResource = rng.pick(pats.slice(1, -1));
    } else {
      st.Resource = resourceElement(rng, req);
    }
  }
  if (rng.chance(opts.conditionRate ?? 0.5)) st.Condition = makeCondition(rng);
  return st;
}

function makePolicy(rng, req, opts) {
  const n = rng.weighted([[4, 1], [4, 2], [2, 3], [1, 4]]);
  const statements = [];
  for (let i = 0; i < n; i++) statements.push(makeStatement(rng, req, opts));
  // Make sure a good share of policies contain a plain matching Allow.
  if (opts.seedAllow && rng.chance(opts.seedAllow)) {
    const st = { Effect: 'Allow', Action: wildcardAction(rng, req.service, req.actionName) };
    if (opts.principal) Object.assign(st, opts.principal(rng, 'Allow', true));
    if (!opts.noResource) st.Resource = opts.resourceStar ? '*' : rng.pick(resourcePatterns(rng, req).slice(0, 3));
    if (rng.chance(0.3)) st.Condition = makeCondition(rng);
    statements.splice(rng.int(0, statements.length), 0, st);
  }
  const doc = { Version: '2012-10-17' };
  if (rng.chance(0.1)) doc.Id = `policy-${rng.int(1, 999)}`;
  doc.Statement = statements.length === 1 && rng.chance(0.3) ? statements[0] : statements;
  return doc;
}

// ---------------------------------------------------------------- principals
// A Principal / NotPrincipal element for a resource policy statement.
function principalValue(rng, principal, req, preferMatch) {
  const acct = principal.account ?? ACCT_A;
  const forms = [
    [preferMatch ? 1 : 2, '*'],
    [1, { AWS: '*' }],
    [principal.kind === 'anonymous' ? 0 : 4, { AWS: principal.kind === 'assumed-role' && rng.chance(0.6) ? principal.roleArn : principal.arn }],
    [principal.kind === 'anonymous' ? 0 : 2, { AWS: rng.chance(0.5) ? acct : `arn:aws:iam::${acct}:root` }],
    [preferMatch ? 0 : 2, { AWS: rng.pick([`arn:aws:iam::${ACCT_C}:root`, `arn:aws:iam::${ACCT_A}:user/mallory`, `arn:aws:iam::${ACCT_B}:role/ops`]) }],
    [preferMatch ? 0 : 1, { Service: rng.pick(['ec2.amazonaws.com', 'lambda.amazonaws.com']) }],
    [1, { AWS: [principal.arn === 'anonymous' ? `arn:aws:iam::${ACCT_C}:root` : principal.arn, `arn:aws:iam::${ACCT_C}:root`] }],
  ];
  return rng.weighted(forms);
}

function resourcePolicyFor(rng, principal, req) {
  const trust = req.kind === 'trustrole';
  const principalFn = (r, effect, preferMatch) => {
    // NotPrincipal only with Deny and never in trust policies: AWS supports
    // no other use (reference_policies_elements_notprincipal.html).
    if (!preferMatch && !trust && effect === 'Deny' && r.chance(0.25)) {
      const p = principalValue(r, principal, req, false);
      return { NotPrincipal: p === '*' || (p.AWS === '*') ? { AWS: `arn:aws:iam::${ACCT_C}:root` } : p };
    }
    return { Principal: principalValue(r, principal, req, preferMatch) };
  };
  const opts = {
    principal: principalFn,
    noResource: trust,
    resourceStar: req.kind === 'key',
    seedAllow: 0.6,
    denyRate: 0.22,
  };
  const doc = makePolicy(rng, req, opts);
  // Trust policies may only name sts actions.
  if (trust) {
    for (const st of [doc.Statement].flat()) {
      delete st.NotAction;
      st.Action = rng.pick(['sts:AssumeRole', 'sts:AssumeRole', 'sts:*', ['sts:AssumeRole', 'sts:TagSession'], 'sts:Assume*']);
    }
  }
  return doc;
}

// A KMS key policy whose first statement is the default one (account root).
function keyPolicyFor(rng, principal, req) {
  const doc = resourcePolicyFor(rng, principal, req);
  const sts = [doc.Statement].flat();
  if (rng.chance(0.75)) {
    sts.unshift({ Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${req.owner}:root` }, Action: 'kms:*', Resource: '*' });
  }
  doc.Statement = sts;
  return doc;
}

// ---------------------------------------------------------------- SCPs
function makeScps(rng, req) {
  const levels = rng.int(1, 3);
  const out = [];
  for (let i = 0; i < levels; i++) {
    const policies = [{ Version: '2012-10-17', Statement: [{ Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' }] }];
    if (rng.chance(0.4)) policies.push(makePolicy(rng, req, { denyRate: 0.4, conditionRate: 0.5, resourceStar: true }));
    if (rng.chance(0.2)) policies.shift();
    if (policies.length === 0) policies.push(makePolicy(rng, req, { seedAllow: 0.8, resourceStar: true }));
    out.push(policies);
  }
  return out;
}

// ---------------------------------------------------------------- cases
function makeCase(rng, id, opts) {
  const principal = rng.weighted([
    [4, PRINCIPALS[0]], [3, PRINCIPALS[1]], [2, PRINCIPALS[2]], [2, PRINCIPALS[3]], [3, PRINCIPALS[4]],
    [2, PRINCIPALS[5]], [2, PRINCIPALS[6]], [2, PRINCIPALS[7]], [2, PRINCIPALS[8]],
  ]);
  const req = makeRequest(rng, principal);
  const context = makeContext(rng, principal, req);
  const anonymous = principal.kind === 'anonymous';
  const identity = [];
  if (!anonymous) {
    const n = rng.weighted([[1, 0], [5, 1], [3, 2], [1, 3]]);
    for (let i = 0; i < n; i++) identity.push(makePolicy(rng, req, { seedAllow: 0.55 }));
  }
  let resourcePolicy = null;
  if (req.kind === 'key') resourcePolicy = keyPolicyFor(rng, principal, req);
  else if (req.kind === 'trustrole') resourcePolicy = resourcePolicyFor(rng, principal, req);
  else if (['object', 'bucket', 'queue', 'table'].includes(req.kind)) {
    const crossAccount = anonymous || principal.account !== req.owner;
    if (rng.chance(crossAccount ? 0.85 : 0.45)) resourcePolicy = resourcePolicyFor(rng, principal, req);
  }
  let boundary = null;
  if (!anonymous && principal.kind !== 'federated-user' && rng.chance(0.22)) {
    boundary = makePolicy(rng, req, { seedAllow: 0.6, denyRate: 0.15 });
  }
  let session = null;
  if ((principal.kind === 'assumed-role' || principal.kind === 'federated-user') && rng.chance(0.3)) {
    session = makePolicy(rng, req, { seedAllow: 0.6, denyRate: 0.15 });
  }
  const c = {
    id,
    principal: anonymous ? (rng.chance(0.8) ? 'anonymous' : null) : principal.arn,
    action: rng.chance(0.1) ? `${req.service.toUpperCase()}:${req.actionName}` : req.action,
    resource: req.resource,
    resource_account: req.owner,
    context,
    identity_policies: identity,
    resource_policy: resourcePolicy,
    permission_boundary: boundary,
    session_policy: session,
  };
  if (opts.withScps && !anonymous && rng.chance(0.2)) c.scps = makeScps(rng, req);
  return c;
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`generate_cases.mjs: ${e.message}\n`);
    process.exit(2);
  }
  const rng = makeRng(opts.seed);
  const lines = [];
  for (let i = 0; i < opts.count; i++) {
    lines.push(JSON.stringify(makeCase(rng, `${opts.idPrefix}${i}`, opts)));
    if (lines.length >= 1000) {
      process.stdout.write(lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length) process.stdout.write(lines.join('\n') + '\n');
}

main();
