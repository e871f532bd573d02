#!/usr/bin/env node
// Shrinks disagreeing cases to minimal ones (greedy delta debugging).
//
//   node minimize.mjs --iamd BUILD/src/cli/iamd --node-modules BUILD/differential/node_modules \
//        < BUILD/differential/disagreements.jsonl > minimal.jsonl
//
// Input lines are cases, or compare.mjs records {"case": {...}, ...}. For each
// case it removes policies, statements, array elements, condition entries and
// context keys, one at a time, keeping a removal whenever iamd and
// iam-simulate still give the same two (different) decisions. Each round
// evaluates all candidates in one batch per engine. Output: one line per
// case: {"case": minimal, "iamd": .., "iam_simulate": ..}.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];

function run(cmd, argv, cases) {
  const input = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
  const r = spawnSync(cmd, argv, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const m = new Map();
  for (const l of r.stdout.toString().split('\n')) if (l.trim()) { const a = JSON.parse(l); m.set(a.id, a.decision ?? `error`); }
  return m;
}

function decide(cases) {
  const a = run(args.iamd, ['eval'], cases);
  const b = run(process.execPath, [path.join(HERE, 'simulate.mjs'), '--node-modules', args['node-modules']], cases);
  return cases.map((c) => [a.get(c.id), b.get(c.id)]);
}

// All single-step reductions of a case.
function candidates(c) {
  const out = [];
  const clone = () => JSON.parse(JSON.stringify(c));
  const policySlots = [];
  (c.identity_policies ?? []).forEach((_, i) => policySlots.push(['identity_policies', i]));
  for (const k of ['resource_policy', 'permission_boundary', 'session_policy']) if (c[k]) policySlots.push([k]);
  // whole policies
  for (const [k, i] of policySlots) {
    const x = clone();
    if (i === undefined) x[k] = null; else x[k].splice(i, 1);
    out.push(x);
  }
  // statements and their parts
  const getDoc = (x, k, i) => (i === undefined ? x[k] : x[k][i]);
  for (const [k, i] of policySlots) {
    const doc = getDoc(c, k, i);
    const sts = [doc.Statement].flat();
    sts.forEach((st, si) => {
      if (sts.length > 1) {
        const x = clone(); const d = getDoc(x, k, i); d.Statement = [d.Statement].flat(); d.Statement.splice(si, 1); out.push(x);
      }
      for (const field of ['Sid', 'Condition']) {
        if (st[field] !== undefined) { const x = clone(); const d = getDoc(x, k, i); d.Statement = [d.Statement].flat(); delete d.Statement[si][field]; out.push(x); }
      }
      for (const field of ['Action', 'NotAction', 'Resource', 'NotResource']) {
        if (Array.isArray(st[field]) && st[field].length > 1) {
          st[field].forEach((_, vi) => { const x = clone(); const d = getDoc(x, k, i); d.Statement = [d.Statement].flat(); d.Statement[si][field].splice(vi, 1); out.push(x); });
        }
      }
      for (const [op, block] of Object.entries(st.Condition ?? {})) {
        for (const [key, vals] of Object.entries(block)) {
          const x = clone(); const d = getDoc(x, k, i); d.Statement = [d.Statement].flat();
          delete d.Statement[si].Condition[op][key];
          if (Object.keys(d.Statement[si].Condition[op]).length === 0) delete d.Statement[si].Condition[op];
          if (Object.keys(d.Statement[si].Condition).length === 0) delete d.Statement[si].Condition;
          out.push(x);
          if (Array.isArray(vals) && vals.length > 1) {
            vals.forEach((_, vi) => { const y = clone(); const e = getDoc(y, k, i); e.Statement = [e.Statement].flat(); e.Statement[si].Condition[op][key].splice(vi, 1); out.push(y); });
          }
        }
      }
    });
  }
  for (const key of Object.keys(c.context ?? {})) { const x = clone(); delete x.context[key]; out.push(x); }
  return out;
}

function minimize(c0) {
  let c = { ...c0 };
  delete c.expect;
  const [want] = decide([c]);
  if (want[0] === want[1]) return { case: c, iamd: want[0], iam_simulate: want[1], note: 'engines agree' };
  for (;;) {
    const cands = candidates(c).map((x, i) => ({ ...x, id: `m${i}` }));
    if (cands.length === 0) break;
    const res = decide(cands);
    const idx = res.findIndex(([a, b]) => a === want[0] && b === want[1]);
    if (idx < 0) break;
    c = { ...cands[idx], id: c0.id };
  }
  return { case: c, iamd: want[0], iam_simulate: want[1] };
}

const lines = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.trim());
for (const l of lines) {
  const rec = JSON.parse(l);
  const c = rec.case ?? rec;
  process.stdout.write(JSON.stringify(minimize(c)) + '\n');
}
