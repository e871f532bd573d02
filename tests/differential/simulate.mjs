#!/usr/bin/env node
// Reference oracle: answers eval-case lines (shared/eval-cases.md) with the
// decisions of the npm package @cloud-copilot/iam-simulate.
//
//   node simulate.mjs [--node-modules DIR] [--explain] < cases.jsonl > answers.jsonl
//
// iam-simulate is AGPL-3.0 and is never vendored: install it first, e.g.
//   npm ci --prefix BUILD_DIR/differential   (run_differential.sh does this)
// and point --node-modules (or IAM_SIMULATE_NODE_MODULES) at the node_modules
// folder. Default: ./node_modules, then <repo>/build/differential/node_modules.
//
// The whole input is evaluated in this one process (the speed comparison
// needs that). Each case is validated with iam-policy's validators for its
// policy type, then evaluated with iam-simulate's core `authorize` directly:
// its front door `runSimulation` drops context keys that its catalogue does
// not list for the action and coerces their types, while the eval-case
// contract says the context is complete and its JSON types are
// authoritative. `--explain` adds the per-policy-type results to each line.

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = { nodeModules: process.env.IAM_SIMULATE_NODE_MODULES || null, explain: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--node-modules') opts.nodeModules = argv[++i];
    else if (argv[i] === '--explain') opts.explain = true;
    else {
      process.stderr.write(`simulate.mjs: unknown argument ${argv[i]}\n`);
      process.exit(2);
    }
  }
  return opts;
}

function findNodeModules(given) {
  const candidates = given ? [given] : [path.resolve('node_modules'), path.resolve(HERE, '../../build/differential/node_modules')];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, '@cloud-copilot/iam-simulate/package.json'))) return dir;
  }
  process.stderr.write(`simulate.mjs: @cloud-copilot/iam-simulate not found in ${candidates.join(', ')}\n` +
    '  install it with: npm ci --prefix BUILD_DIR/differential (see tests/differential/package.json)\n');
  process.exit(3);
}

async function loadLibrary(nodeModules) {
  const sim = (p) => pathToFileURL(path.join(nodeModules, '@cloud-copilot/iam-simulate/dist/esm', p)).href;
  const pol = pathToFileURL(path.join(nodeModules, '@cloud-copilot/iam-policy/dist/esm/index.js')).href;
  const [core, request, context, ctxConstraints, simulation, policy] = await Promise.all([
    import(sim('core_engine/CoreSimulatorEngine.js')),
    import(sim('request/request.js')),
    import(sim('requestContext.js')),
    import(sim('context_keys/discoveryContextKeyConstraints.js')),
    import(sim('simulation_engine/simulation.js')),
    import(pol),
  ]);
  const version = JSON.parse(fs.readFileSync(path.join(nodeModules, '@cloud-copilot/iam-simulate/package.json'), 'utf8')).version;
  return {
    version,
    authorize: core.authorize,
    AwsRequestImpl: request.AwsRequestImpl,
    RequestContextImpl: context.RequestContextImpl,
    DiscoveryContextKeyConstraints: ctxConstraints.DiscoveryContextKeyConstraints,
    anonymousPrincipal: simulation.anonymousPrincipal,
    ...policy,
  };
}

const DECISION = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

class CaseError extends Error {}

function asDocument(value, what) {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch (e) {
      throw new CaseError(`${what}: not valid JSON: ${e.message}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CaseError(`${what}: not a policy document`);
  return value;
}

function checked(lib, doc, validate, what, name) {
  const errors = validate(doc);
  if (errors.length > 0) {
    const e = errors[0];
    throw new CaseError(`${what}: ${e.path ?? ''} ${e.message ?? JSON.stringify(e)}`.replace(/\s+/g, ' ').trim());
  }
  return lib.loadPolicy(doc, { name });
}

function accountOf(arn) {
  if (typeof arn !== 'string') return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

function isSessionPrincipal(arn) {
  return /^arn:[^:]+:sts::\d{12}:(assumed-role|federated-user)\//.test(arn) || /^arn:[^:]+:iam::\d{12}:role\//.test(arn);
}

// Evaluates one parsed case; returns the answer object.
function evaluate(lib, c, opts) {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new CaseError('case is not a JSON object');
  const { principal, action, resource } = c;
  if (typeof action !== 'string' || action.split(':').length !== 2) throw new CaseError('action: expected "service:Action"');
  if (typeof resource !== 'string' || resource.length === 0) throw new CaseError('resource: expected an ARN or "*"');
  const anonymous = principal === null || principal === undefined || principal === 'anonymous';
  if (!anonymous && typeof principal !== 'string') throw new CaseError('principal: expected an ARN, "anonymous" or null');
  const context = c.context ?? {};
  if (typeof context !== 'object' || Array.isArray(context)) throw new CaseError('context: expected an object');
  for (const [k, v] of Object.entries(context)) {
    const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) throw new CaseError(`context.${k}: expected a string or an array of strings`);
  }

  const identityDocs = c.identity_policies ?? [];
  if (!Array.isArray(identityDocs)) throw new CaseError('identity_policies: expected an array');
  const identityPolicies = identityDocs.map((p, i) =>
    checked(lib, asDocument(p, `identity_policies[${i}]`), lib.validateIdentityPolicy, `identity_policies[${i}]`, `identity${i}`));

  let resourcePolicy;
  if (c.resource_policy !== null && c.resource_policy !== undefined) {
    const isTrust = /^sts:assumerole/i.test(action);
    resourcePolicy = checked(lib, asDocument(c.resource_policy, 'resource_policy'),
      isTrust ? lib.validateTrustPolicy : lib.validateResourcePolicy, 'resource_policy', 'resource');
  }
  let permissionBoundaries;
  if (c.permission_boundary !== null && c.permission_boundary !== undefined) {
    permissionBoundaries = [checked(lib, asDocument(c.permission_boundary, 'permission_boundary'), lib.validateIdentityPolicy,
      'permission_boundary', 'boundary')];
  }
  let sessionPolicy;
  if (c.session_policy !== null && c.session_policy !== undefined) {
    if (anonymous || !isSessionPrincipal(principal)) throw new CaseError('session_policy: only for role sessions and federated users');
    sessionPolicy = checked(lib, asDocument(c.session_policy, 'session_policy'), lib.validateSessionPolicy, 'session_policy', 'session');
  }
  const serviceControlPolicies = [];
  if (c.scps !== null && c.scps !== undefined) {
    if (!Array.isArray(c.scps)) throw new CaseError('scps: expected an array of arrays');
    c.scps.forEach((level, i) => {
      if (!Array.isArray(level)) throw new CaseError(`scps[${i}]: expected an array`);
      serviceControlPolicies.push({
        orgIdentifier: `level${i}`,
        policies: level.map((p, j) => checked(lib, asDocument(p, `scps[${i}][${j}]`), lib.validateServiceControlPolicy,
          `scps[${i}][${j}]`, `scp${i}.${j}`)),
      });
    });
  }
  if (anonymous && (identityPolicies.length || permissionBoundaries || sessionPolicy || serviceControlPolicies.length)) {
    throw new CaseError('anonymous request with principal-side policies');
  }

  let accountId = c.resource_account;
  if (accountId === undefined || accountId === null) {
    const fromArn = accountOf(resource);
    accountId = fromArn && /^\d{12}$/.test(fromArn) ? fromArn : accountOf(principal);
  }
  const request = new lib.AwsRequestImpl(anonymous ? lib.anonymousPrincipal : principal, { resource, accountId }, action,
    new lib.RequestContextImpl(context), resource === '*');
  const analysis = lib.authorize({
    request,
    sessionPolicy,
    identityPolicies,
    serviceControlPolicies,
    resourceControlPolicies: [],
    resourcePolicy,
    permissionBoundaries,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new lib.DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  const decision = DECISION[analysis.result];
  if (!decision) throw new CaseError(`unexpected iam-simulate result ${analysis.result}`);
  const answer = { id: c.id ?? null, decision };
  if (opts.explain) {
    answer._sim = {
      identity: analysis.identityAnalysis?.result,
      resource: analysis.resourceAnalysis?.result,
      boundary: analysis.permissionBoundaryAnalysis?.result,
      session: analysis.sessionAnalysis?.result,
      scp: serviceControlPolicies.length ? analysis.scpAnalysis?.result : undefined,
      sameAccount: analysis.sameAccount,
      blockedBy: analysis.blockedBy,
    };
  }
  return answer;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const lib = await loadLibrary(findNodeModules(opts.nodeModules));
  if (process.env.IAM_SIMULATE_PRINT_VERSION) process.stderr.write(`iam-simulate ${lib.version}\n`);
  const input = fs.readFileSync(0, 'utf8');
  const out = [];
  // process.stdout, not fs.writeSync: a pipe may take a write only in part.
  const flush = async () => {
    if (out.length === 0) return;
    const chunk = out.join('\n') + '\n';
    out.length = 0;
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  };
  for (const line of input.split('\n')) {
    if (line.trim() === '') continue;
    let c;
    try {
      c = JSON.parse(line);
    } catch (e) {
      out.push(JSON.stringify({ id: null, decision: null, error: `invalid JSON: ${e.message}` }));
      continue;
    }
    let answer;
    try {
      answer = evaluate(lib, c, opts);
    } catch (e) {
      const id = c && typeof c === 'object' && !Array.isArray(c) ? c.id ?? null : null;
      answer = { id, decision: null, error: e instanceof CaseError ? e.message : `iam-simulate failed: ${e.message}` };
    }
    out.push(JSON.stringify(answer));
    if (out.length >= 2000) await flush();
  }
  await flush();
}

main().catch((e) => {
  process.stderr.write(`simulate.mjs: ${e.stack || e}\n`);
  process.exit(1);
});
