// The golden corpus through both engines: the wasm module (Node) and the wasm2js
// fallback under `node --jitless` (no WebAssembly). Each report must be byte for byte
// the CLI's for the same file, and its structure must match the hand-checked expected
// file (the prose is checked per rule by tests/corpus.rs).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  DIST,
  cliCheck,
  corpusCases,
  emlToDraft,
  reportBytesOfCliLine,
  reportStructure,
  runJitless,
} from "./support.mjs";

const { createChecker } = await import(`${DIST}/sendguard-checker.mjs`);

const cases = corpusCases();

/** Per case: the CLI's report bytes (or error) and the JSON draft the core reads. */
function prepare() {
  const drafts = emlToDraft(cases.map((c) => c.eml));
  const byPolicy = new Map();
  for (const c of cases) {
    const key = c.policy || "";
    if (!byPolicy.has(key)) byPolicy.set(key, []);
    byPolicy.get(key).push(c);
  }
  const cli = new Map();
  for (const [policy, group] of byPolicy) {
    const lines = cliCheck(group.map((c) => c.eml), policy || null);
    assert.equal(lines.length, group.length, "one CLI line per file");
    group.forEach((c, i) => cli.set(c.name, lines[i]));
  }
  return cases.map((c, i) => {
    const line = cli.get(c.name);
    const parsed = JSON.parse(line);
    return {
      ...c,
      policyJson: c.policy ? readFileSync(c.policy, "utf8") : "{}",
      draft: drafts[i],
      cliReport: parsed.error === undefined ? reportBytesOfCliLine(line) : null,
      cliError: parsed.error,
    };
  });
}

const prepared = prepare();

test("the corpus is not empty", () => {
  assert.ok(prepared.length >= 20, `only ${prepared.length} corpus cases`);
  assert.ok(prepared.filter((c) => c.cliReport !== null).length >= 20);
});

test("wasm: every corpus report is byte-identical to the CLI's and matches the golden one", async () => {
  const checkers = new Map();
  let checked = 0;
  for (const c of prepared) {
    if (c.cliReport === null) {
      assert.ok("error" in JSON.parse(c.draft), `${c.name}: the CLI failed, the core's parser must too`);
      continue;
    }
    if (!checkers.has(c.policyJson)) checkers.set(c.policyJson, await createChecker(c.policyJson, { engine: "wasm" }));
    const checker = checkers.get(c.policyJson);
    assert.equal(checker.engine, "wasm");
    const report = checker.checkJson(c.draft);
    assert.equal(report, c.cliReport, `${c.name}: wasm report differs from the CLI's`);
    assert.deepEqual(reportStructure(JSON.parse(report)), c.expected, `${c.name}: differs from the golden report`);
    checked++;
  }
  assert.ok(checked >= 20);
});

test("fallback with JIT: byte-identical to the CLI", async () => {
  const { createChecker: withFallback } = await import(`${DIST}/sendguard-checker-fallback.mjs`);
  const checkers = new Map();
  let checked = 0;
  for (const c of prepared.filter((c) => c.cliReport !== null)) {
    if (!checkers.has(c.policyJson)) checkers.set(c.policyJson, await withFallback(c.policyJson, { engine: "fallback" }));
    const checker = checkers.get(c.policyJson);
    assert.equal(checker.engine, "fallback");
    assert.equal(checker.checkJson(c.draft), c.cliReport, `${c.name}: fallback (JIT) report differs from the CLI's`);
    checked++;
  }
  assert.ok(checked >= 20);
});

test("fallback under node --jitless: byte-identical to the CLI", () => {
  const usable = prepared.filter((c) => c.cliReport !== null);
  const policies = {};
  const calls = [];
  for (const c of usable) {
    if (!(c.policyJson in policies)) {
      policies[c.policyJson] = c.policyJson;
      calls.push({ op: "create", policy: c.policyJson });
    }
    calls.push({ op: "check", policy: c.policyJson, args: [c.draft] });
  }
  const outcome = runJitless({ bundle: "mjs", policies, calls });
  assert.equal(outcome.hasWebAssembly, false, "--jitless must leave no WebAssembly global");
  assert.equal(outcome.engine, "fallback");
  const reports = outcome.results.filter((r) => r.ok !== "created");
  assert.equal(reports.length, usable.length);
  usable.forEach((c, i) => {
    assert.equal(reports[i].error, undefined, `${c.name}: ${reports[i].error}`);
    assert.equal(reports[i].ok, c.cliReport, `${c.name}: fallback report differs from the CLI's`);
  });
});
