// Machine-readable allowlist of the known differences between iamd and
// @cloud-copilot/iam-simulate 0.1.173, where iam-simulate departs from AWS's
// documented behaviour. known_differences.md explains each entry at length.
//
// Each entry:
//   id            short name, also the heading in known_differences.md
//   aws           the decision AWS documents for `minimal_case` (iamd must give it:
//                 run_differential.sh evaluates every minimal case with iamd)
//   iam_simulate  what iam-simulate answers for `minimal_case` instead
//   doc           the AWS documentation page that decides
//   minimal_case  smallest case showing the difference
//   applies(c)    true when a generated case `c` uses the construct, so that a
//                 disagreement on it is excused. Keep it narrow: it must not
//                 hide other disagreements.

const P = '111122223333';

// Every [operator, key, values[]] of every condition in every policy of a case.
function* conditions(c) {
  const docs = [...(c.identity_policies ?? []), c.resource_policy, c.permission_boundary, c.session_policy,
    ...(c.scps ?? []).flat()].filter(Boolean).map((d) => (typeof d === 'string' ? JSON.parse(d) : d));
  for (const d of docs) {
    for (const st of [d.Statement].flat()) {
      for (const [op, block] of Object.entries(st?.Condition ?? {})) {
        for (const [key, vals] of Object.entries(block)) yield [op, key, [vals].flat().map(String)];
      }
    }
  }
}

function contextValue(c, key) {
  const k = Object.keys(c.context ?? {}).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : c.context[k];
}

const isEpoch = (v) => /^\d+$/.test(v);

export const KNOWN_DIFFERENCES = [
  {
    id: 'ipv4-slash-zero',
    aws: 'Allow',
    iam_simulate: 'ImplicitDeny',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
    minimal_case: {
      principal: `arn:aws:iam::${P}:user/alice`, action: 's3:ListBucket', resource: 'arn:aws:s3:::media-bucket',
      resource_account: P, context: { 'aws:SourceIp': '172.16.5.4' },
      identity_policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::media-bucket', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }] }],
      resource_policy: null, permission_boundary: null, session_policy: null,
    },
    // An IPv4 "/0" CIDR tested against an IPv4 source address.
    applies(c) {
      const ip = contextValue(c, 'aws:SourceIp');
      if (typeof ip !== 'string' || ip.includes(':')) return false;
      for (const [op, , vals] of conditions(c)) {
        if (/ipaddress/i.test(op) && vals.some((v) => /^[\d.]+\/0$/.test(v))) return true;
      }
      return false;
    },
  },
  {
    id: 'date-epoch-seconds',
    aws: 'ExplicitDeny',
    iam_simulate: 'ImplicitDeny',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date',
    minimal_case: {
      principal: `arn:aws:iam::${P}:user/eng/bob`, action: 's3:DeleteObject', resource: 'arn:aws:s3:::logs-bucket/a.txt',
      resource_account: P, context: { 'aws:EpochTime': '1741651199' },
      identity_policies: [{ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*' },
        { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*',
          Condition: { DateGreaterThanEquals: { 'aws:EpochTime': '2024-06-01T00:00:00Z' } } }] }],
      resource_policy: null, permission_boundary: null, session_policy: null,
    },
    // A Date operator comparing an epoch-seconds value with an ISO 8601 one
    // (either side), with the key present.
    applies(c) {
      for (const [op, key, vals] of conditions(c)) {
        if (!/date/i.test(op)) continue;
        const v = contextValue(c, key);
        if (typeof v !== 'string') continue;
        if (vals.some((p) => isEpoch(p) !== isEpoch(v))) return true;
      }
      return false;
    },
  },
  {
    id: 'foranyvalue-ifexists-absent-key',
    aws: 'Allow',
    iam_simulate: 'ImplicitDeny',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists',
    minimal_case: {
      principal: `arn:aws:iam::${P}:user/alice`, action: 's3:GetBucketPolicy', resource: 'arn:aws:s3:::media-bucket',
      resource_account: P, context: {},
      identity_policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetBucketPolicy',
        Resource: 'arn:aws:s3:::media-bucket',
        Condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/'] } } }] }],
      resource_policy: null, permission_boundary: null, session_policy: null,
    },
    // ForAnyValue:...IfExists on a key absent from the context.
    applies(c) {
      for (const [op, key] of conditions(c)) {
        if (/^foranyvalue:.*ifexists$/i.test(op) && contextValue(c, key) === undefined) return true;
      }
      return false;
    },
  },
  {
    id: 'notprincipal-deny-needs-whole-principal-chain',
    aws: 'ExplicitDeny',
    iam_simulate: 'Allow',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    minimal_case: {
      principal: `arn:aws:iam::${P}:user/eng/bob`, action: 'dynamodb:GetItem',
      resource: 'arn:aws:dynamodb:us-east-1:777788889999:table/Orders', resource_account: '777788889999', context: {},
      identity_policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }],
      resource_policy: { Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${P}:root` }, Action: 'dynamodb:*', Resource: '*' },
        { Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${P}:user/eng/bob`, 'arn:aws:iam::777788889999:root'] },
          Action: 'dynamodb:*', Resource: '*' }] },
      permission_boundary: null, session_policy: null,
    },
    // A resource policy with a NotPrincipal statement.
    applies(c) {
      const d = typeof c.resource_policy === 'string' ? JSON.parse(c.resource_policy) : c.resource_policy;
      return !!d && [d.Statement].flat().some((st) => st && st.NotPrincipal !== undefined);
    },
  },
  {
    id: 'negated-operator-unresolved-variable',
    aws: 'ExplicitDeny',
    iam_simulate: 'ImplicitDeny',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value',
    minimal_case: {
      principal: `arn:aws:sts::${P}:assumed-role/app-role/sess-1`, action: 'iam:GetRole',
      resource: `arn:aws:iam::${P}:role/admin`, resource_account: P, context: { 'aws:ResourceTag/env': 'prod' },
      identity_policies: [{ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:GetRole', Resource: '*',
          Condition: { StringNotEquals: { 'aws:ResourceTag/env': '${aws:RequestTag/env}' } } }] }],
      resource_policy: null, permission_boundary: null, session_policy: null,
    },
    // A negated operator (…Not…) whose values use a variable absent from the context.
    applies(c) {
      for (const [op, , vals] of conditions(c)) {
        if (!/not/i.test(op.replace(/^for(any|all)values?:/i, ''))) continue;
        for (const v of vals) {
          for (const m of v.matchAll(/\$\{([^}*?$][^}]*)\}/g)) if (contextValue(c, m[1]) === undefined) return true;
        }
      }
      return false;
    },
  },
  {
    id: 'notresource-unresolved-variable',
    aws: 'Allow',
    iam_simulate: 'ImplicitDeny',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value',
    minimal_case: {
      principal: `arn:aws:sts::${P}:assumed-role/app-role/sess-1`, action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::logs-bucket/home/alice/notes.txt', resource_account: P, context: {},
      identity_policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:DeleteObject',
        NotResource: 'arn:aws:s3:::logs-bucket/home/${aws:username}/*' }] }],
      resource_policy: null, permission_boundary: null, session_policy: null,
    },
    // A NotResource entry with a variable absent from the context.
    applies(c) {
      const docs = [...(c.identity_policies ?? []), c.resource_policy, c.permission_boundary, c.session_policy,
        ...(c.scps ?? []).flat()].filter(Boolean).map((d) => (typeof d === 'string' ? JSON.parse(d) : d));
      for (const d of docs) {
        for (const st of [d.Statement].flat()) {
          for (const r of [st?.NotResource ?? []].flat()) {
            for (const m of String(r).matchAll(/\$\{([^}*?$][^}]*)\}/g)) if (contextValue(c, m[1]) === undefined) return true;
          }
        }
      }
      return false;
    },
  },
  {
    id: 'session-arn-in-resource-policy-not-limited-by-session-policy',
    aws: 'Allow',
    iam_simulate: 'ImplicitDeny',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session',
    minimal_case: {
      principal: `arn:aws:sts::${P}:assumed-role/ops/jane`, action: 's3:GetObject',
      resource: 'arn:aws:s3:::media-bucket/notes.txt', resource_account: P, context: {},
      identity_policies: [],
      resource_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject',
        Principal: { AWS: `arn:aws:sts::${P}:assumed-role/ops/jane` }, Resource: 'arn:aws:s3:::media-bucket/*' }] },
      permission_boundary: null,
      session_policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] },
    },
    // A session policy, and a resource policy naming the session ARN itself.
    applies(c) {
      if (!c.session_policy || !c.resource_policy || typeof c.principal !== 'string') return false;
      const d = typeof c.resource_policy === 'string' ? JSON.parse(c.resource_policy) : c.resource_policy;
      return [d.Statement].flat().some((st) => st?.Principal && JSON.stringify(st.Principal).includes(`"${c.principal}"`));
    },
  },
];
