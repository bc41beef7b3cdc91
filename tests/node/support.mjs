// Shared by the Node tests of the checker package: paths, the CLI, the corpus.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = join(ROOT, "dist", "checker");
export const CORPUS = join(ROOT, "tests", "corpus");

/** Runs a command; returns stdout. Fails on a signal or an unexpected status. */
export function run(program, args, { okStatus = [0], input, env } = {}) {
  const result = spawnSync(program, args, {
    cwd: ROOT,
    input,
    env: env ? { ...process.env, ...env } : process.env,
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  if (!okStatus.includes(result.status)) {
    throw new Error(`${program} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

/** `sendguard check --format json` over files: one parsed line per file, and the raw lines. */
export function cliCheck(files, policyFile) {
  const args = ["run", "-q", "--locked", "-p", "sendguard", "--", "check", "--format", "json"];
  if (policyFile) args.push("--policy", policyFile);
  const out = run("cargo", [...args, ...files], { okStatus: [0, 1, 2, 65] });
  return out.split("\n").filter((line) => line.length > 0);
}

/** The CLI prints `{"file":NAME,<report>`; the report's own bytes are the rest. */
export function reportBytesOfCliLine(line) {
  const { file } = JSON.parse(line);
  const prefix = `{"file":${JSON.stringify(file)},`;
  if (!line.startsWith(prefix)) throw new Error("CLI line does not start with its file: " + line.slice(0, 80));
  return "{" + line.slice(prefix.length);
}

/** The JSON drafts the core reads from `.eml` files (see examples/eml_to_draft.rs). */
export function emlToDraft(files) {
  const out = run("cargo", ["run", "-q", "--locked", "-p", "sendguard-wasm", "--example", "eml_to_draft", "--", ...files]);
  return out.split("\n").filter((line) => line.length > 0);
}

/** The golden corpus: each `NNN-name.eml` with its expected report and optional policy. */
export function corpusCases() {
  return readdirSync(CORPUS)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name) => {
      const base = name.slice(0, -4);
      const policy = join(CORPUS, base + ".policy.json");
      return {
        name: base,
        eml: join(CORPUS, name),
        expected: JSON.parse(readFileSync(join(CORPUS, base + ".json"), "utf8")),
        policy: existsSync(policy) ? policy : null,
      };
    });
}

/** Lists longer than this are summarised in the expected files (as in tests/corpus.rs). */
const LONG_LIST = 25;

function list(items) {
  if (items.length <= LONG_LIST) return items;
  return { count: items.length, first: items.slice(0, 5), last: items[items.length - 1] };
}

/**
 * The part of a report the golden files keep (tests/corpus.rs `structure`): verdict,
 * summary, override, and per finding its rule, severity, recipients, attachment and
 * fix actions; no prose.
 */
export function reportStructure(report) {
  return {
    verdict: report.verdict,
    summary: report.summary,
    override: report.override,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      recipients: list(f.recipients),
      attachment: f.attachment,
      fixes: f.fixes.map(({ action }) =>
        action.kind === "remove-recipient" ? { kind: action.kind, addresses: list(action.addresses) } : action,
      ),
    })),
  };
}

/** Runs `tests/node/fallback-runner.mjs` under `node --jitless` (no WebAssembly global). */
export function runJitless(job) {
  const out = run(process.execPath, ["--jitless", join(ROOT, "tests/node/fallback-runner.mjs")], {
    input: JSON.stringify(job),
  });
  return JSON.parse(out);
}

/** A draft with `count` visible external recipients at `count / 4` organizations. */
export function draftWithRecipients(count, field = "cc") {
  const recipients = [];
  for (let i = 0; i < count; i++) {
    recipients.push({ name: `Person ${i}`, address: `person${i}@org${i % Math.max(1, count >> 2)}.example` });
  }
  return { from: { address: "anna@corp.example" }, [field]: recipients, subject: "Notice", body: "Hello" };
}
