// Run under `node --jitless` by the tests: the checker's fallback in a runtime without
// WebAssembly. Reads a job on stdin, writes the results as JSON on stdout.
//
// job: { bundle: "mjs"|"cjs" (sendguard-checker-fallback.mjs or sendguard-checker.cjs), policies: {id: policyJson}, calls: [{policy, op, args}] }
// result: { hasWebAssembly, engine, results: [{ok: text} | {error, kind}] }

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DIST } from "./support.mjs";

const job = JSON.parse(readFileSync(0, "utf8"));
const { createChecker, panicForTests } = job.bundle === "cjs"
  ? createRequire(import.meta.url)(join(DIST, "sendguard-checker.cjs"))
  : await import(join(DIST, "sendguard-checker-fallback.mjs"));

const checkers = {};
let engine = null;
const results = [];
for (const call of job.calls) {
  try {
    if (call.op === "create") {
      const started = Date.now();
      checkers[call.policy] = await createChecker(job.policies[call.policy]);
      engine = checkers[call.policy].engine;
      results.push({ ok: "created", ms: Date.now() - started });
      continue;
    }
    const checker = checkers[call.policy];
    const started = Date.now();
    let value;
    if (call.op === "check") value = checker.checkJson(call.args[0]);
    else if (call.op === "apply") value = checker.applyJson(call.args[0], call.args[1]);
    else if (call.op === "panic") value = panicForTests(checker);
    else throw new Error("unknown op " + call.op);
    results.push({ ok: value, ms: Date.now() - started });
  } catch (error) {
    results.push({ error: error.message, kind: error.kind });
  }
}
process.stdout.write(JSON.stringify({ hasWebAssembly: typeof WebAssembly !== "undefined", engine, results }));
