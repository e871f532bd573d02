#!/usr/bin/env node
// Compares iamd's answers with iam-simulate's, case by case.
//
//   node compare.mjs --cases C.jsonl --iamd A.jsonl --sim B.jsonl [--out DIR]
//   node compare.mjs --emit-pinned P.jsonl --pinned-dir DIR   (collect pinned cases)
//   node compare.mjs --pinned P.jsonl --iamd PA.jsonl         (check pinned cases)
//   both at once: --cases .. --iamd .. --sim .. --pinned P.jsonl --pinned-iamd PA.jsonl
//
// A disagreement is excused only by an entry of known_differences.mjs whose
// `applies(case)` returns true, i.e. the case uses the construct where
// iam-simulate departs from AWS's documentation. So that the allowlist cannot
// hide an iamd bug there, each entry's minimal case is a pinned case: iamd
// must answer it as AWS documents. Unexcused disagreements are written
// to OUT/disagreements.jsonl (case + both answers) and make the exit code 1.
//
// Pinned cases (one-line JSON files under disagreements/ and the minimal
// cases of known_differences.mjs) carry `expect`: iamd's answer must match.

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { KNOWN_DIFFERENCES } from './known_differences.mjs';

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  return o;
}

function readLines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

function byId(lines, what) {
  const m = new Map();
  for (const l of lines) {
    let a;
    try {
      a = JSON.parse(l);
    } catch {
      throw new Error(`${what}: invalid JSON line: ${l.slice(0, 200)}`);
    }
    m.set(a.id, a);
  }
  return m;
}

const label = (a) => (a ? (a.decision ?? `error(${a.error ?? 'no decision'})`) : 'missing');

function comparePinned(pinned, iamd) {
  let failures = 0;
  for (const p of pinned) {
    const got = iamd.get(p.case.id);
    const ok = got && got.decision === p.case.expect;
    if (!ok) {
      failures++;
      process.stdout.write(`  PINNED FAIL ${p.source}: id=${p.case.id} expect=${p.case.expect} iamd=${label(got)}\n`);
    }
  }
  process.stdout.write(`pinned cases: ${pinned.length}, passing: ${pinned.length - failures}\n`);
  return failures;
}

// Collects the pinned cases: disagreements/*.json (one case per file, with
// `expect`) and the minimal cases of the known differences (expect = aws).
function emitPinned(dir, outFile) {
  const pinned = [];
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      if (!['Allow', 'ExplicitDeny', 'ImplicitDeny'].includes(c.expect)) throw new Error(`${f}: "expect" missing or invalid`);
      pinned.push({ ...c, id: `pin-${f.replace(/\.json$/, '')}`, _source: `disagreements/${f}` });
    }
  }
  for (const k of KNOWN_DIFFERENCES) {
    pinned.push({ ...k.minimal_case, id: `known-${k.id}`, expect: k.aws, _source: `known_differences.mjs#${k.id}` });
  }
  fs.writeFileSync(outFile, pinned.map((c) => JSON.stringify(c)).join('\n') + (pinned.length ? '\n' : ''));
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o['emit-pinned']) {
    emitPinned(o['pinned-dir'], o['emit-pinned']);
    return;
  }
  const iamd = byId(readLines(o.iamd), 'iamd answers');
  let failures = 0;

  if (o.pinned) {
    const pinned = readLines(o.pinned).map((l) => ({ case: JSON.parse(l) }));
    for (const p of pinned) p.source = p.case._source;
    const answers = o['pinned-iamd'] ? byId(readLines(o['pinned-iamd']), 'iamd pinned answers') : iamd;
    failures += comparePinned(pinned, answers);
  }
  if (!o.cases) process.exit(failures ? 1 : 0);

  const sim = byId(readLines(o.sim), 'iam-simulate answers');
  const cases = readLines(o.cases).map((l) => JSON.parse(l));
  const counts = { iamd: {}, sim: {} };
  const excused = new Map();
  const bad = [];
  let agree = 0;
  for (const c of cases) {
    const a = iamd.get(c.id);
    const b = sim.get(c.id);
    const la = label(a);
    const lb = label(b);
    counts.iamd[la.startsWith('error') ? 'error' : la] = (counts.iamd[la.startsWith('error') ? 'error' : la] ?? 0) + 1;
    counts.sim[lb.startsWith('error') ? 'error' : lb] = (counts.sim[lb.startsWith('error') ? 'error' : lb] ?? 0) + 1;
    if (a && b && a.decision && a.decision === b.decision) {
      agree++;
      continue;
    }
    // A generated case that exercises a known iam-simulate departure can
    // disagree in any direction; iamd's side of it is pinned by the entry's
    // minimal case instead (checked with the pinned cases).
    const known = a?.decision && b?.decision ? KNOWN_DIFFERENCES.find((k) => k.applies(c)) : undefined;
    if (known) {
      excused.set(known.id, (excused.get(known.id) ?? 0) + 1);
      continue;
    }
    bad.push({ id: c.id, iamd: la, iam_simulate: lb, iamd_answer: a, case: c });
  }
  const fmt = (m) => ['Allow', 'ExplicitDeny', 'ImplicitDeny', 'error', 'missing'].filter((k) => m[k]).map((k) => `${k}=${m[k]}`).join(' ');
  process.stdout.write(`cases: ${cases.length}\n`);
  process.stdout.write(`agreements: ${agree}\n`);
  process.stdout.write(`iam-simulate decisions: ${fmt(counts.sim)}\n`);
  process.stdout.write(`iamd decisions:         ${fmt(counts.iamd)}\n`);
  for (const [id, n] of excused) process.stdout.write(`known difference ${id}: ${n} case(s)\n`);
  process.stdout.write(`unexplained disagreements: ${bad.length}\n`);
  const kinds = new Map();
  for (const d of bad) {
    const k = `iamd=${d.iamd} iam-simulate=${d.iam_simulate}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  for (const [k, n] of kinds) process.stdout.write(`  ${n} x ${k}\n`);
  for (const d of bad.slice(0, 5)) process.stdout.write(`  e.g. ${d.id}: iamd=${d.iamd} iam-simulate=${d.iam_simulate}\n`);
  if (o.out) {
    fs.mkdirSync(o.out, { recursive: true });
    const file = path.join(o.out, 'disagreements.jsonl');
    fs.writeFileSync(file, bad.map((d) => JSON.stringify(d)).join('\n') + (bad.length ? '\n' : ''));
    if (bad.length) process.stdout.write(`details: ${file}\n`);
  }
  process.exit(bad.length || failures ? 1 : 0);
}

main();
