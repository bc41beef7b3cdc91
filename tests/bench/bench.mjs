// `cargo xtask bench`: the checker's size and speed, side by side, on this machine.
//
//   node tests/bench/bench.mjs <native-bench-binary>
//
// Writes target/bench/checker.json and target/bench/checker.md and prints the table.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createPeer } from "./peer.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
const DIST = join(ROOT, "dist", "checker");
const OUT = join(ROOT, "target", "bench");
const SIZES = [10, 100, 1000, 10000];
// Issue 12's goals: each row of its table, measured here.
const GOALS = {
  wasmGzipBytes: 200_000,
  xpiBytes: 500_000,
  coldStartMs: 15,
  check1000WasmMs: 0.3,
  check10000WasmMs: 3,
  check10000NativeMs: 2,
  check1000JitlessMs: 40,
  peerOverWasm: 10,
  bigPolicyCreateMs: 300,
  bigPolicyCheckMs: 50,
};
/** The bundle a host without WebAssembly loads, and the one WebAssembly hosts load. */
const BUNDLE = { wasm: "sendguard-checker.mjs", fallback: "sendguard-checker-fallback.mjs", auto: "sendguard-checker-fallback.mjs" };

/** A realistic mixed draft: partners (some under .co.uk), private mailboxes, colleagues. */
export function benchDraft(count) {
  const freemail = ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.com", "yahoo.co.uk"];
  const recipients = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 8;
    const address = kind < 4
      ? `kontakt${i}@partner${i % Math.max(1, count >> 3)}.example.co.uk`
      : kind < 6
        ? `person.${i}@${freemail[i % freemail.length]}`
        : kind < 7
          ? `team${i}@sales.corp.example`
          : `info${i}@firma${i % 97}.de`;
    recipients.push({ name: `Kontakt ${i}`, address });
  }
  const half = count >> 1;
  return JSON.stringify({
    from: { name: "Anna Admin", address: "anna@corp.example" },
    to: recipients.slice(0, half),
    cc: recipients.slice(half),
    subject: "Einladung",
    body: "Liebe Partner, …",
    attachments: [{ name: "einladung.pdf", media_type: "application/pdf", size: 48213 }],
  });
}

/** 60,000 policy domains (20,000 each trusted, blocked, freemail), as tests/large_policy.rs. */
function bigPolicy() {
  const list = (prefix) => Array.from({ length: 20_000 }, (_, i) => `${prefix}${i}.example-${i % 97}.de`);
  return JSON.stringify({ trusted_domains: list("partner"), blocked_domains: list("rival"), freemail_domains: list("home") });
}

/** 1,000 recipients at distinct domains, every fourth on one of the big policy's lists. */
function bigPolicyDraft() {
  const cc = Array.from({ length: 1000 }, (_, i) => {
    const domain = [`mail.partner${i}.example-${i % 97}.de`, `rival${i}.example-${i % 97}.de`, `home${i}.example-${i % 97}.de`, `stranger${i}.example.org`][i % 4];
    return { address: `p${i}@${domain}` };
  });
  return JSON.stringify({ from: { address: "me@corp.example" }, cc });
}

/** Median milliseconds of `run()`, repeated for about a second (at least 5 runs). */
function median(run, budgetMs = 1000, maxRuns = 2000) {
  run();
  const times = [];
  const start = performance.now();
  while (times.length < 5 || (performance.now() - start < budgetMs && times.length < maxRuns)) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Child mode: time one engine in this process (run under --jitless for the fallback). */
async function child(engine, budgetMs) {
  const started = performance.now();
  const { createChecker } = await import(join(DIST, BUNDLE[engine]));
  const loaded = performance.now();
  const checker = await createChecker("{}", { engine });
  const created = performance.now();
  checker.checkJson(benchDraft(10));
  const cold = performance.now() - started;
  const checks = {};
  for (const size of SIZES) {
    const draft = benchDraft(size);
    checks[size] = median(() => checker.checkJson(draft), budgetMs);
  }
  // The 60k-domain policy: one create, one check (each in this warm process).
  const policy = bigPolicy();
  const draft = bigPolicyDraft();
  const t0 = performance.now();
  const big = await createChecker(policy, { engine });
  const t1 = performance.now();
  big.checkJson(draft);
  const t2 = performance.now();
  big.free();
  return {
    engine: checker.engine,
    hasWebAssembly: typeof WebAssembly !== "undefined",
    bigPolicy: { createMs: t1 - t0, checkMs: t2 - t1 },
    coldStartMs: cold,
    loadMs: loaded - started,
    createMs: created - loaded,
    checks,
  };
}

function runChild(engine, flags, budgetMs) {
  const result = spawnSync(process.execPath, [...flags, import.meta.filename, "--child", engine, String(budgetMs)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (result.status !== 0) throw new Error(`bench child ${engine} ${flags} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Cold start is a process-level number: the median of several fresh processes. */
function coldStart(engine, flags, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, [...flags, import.meta.filename, "--cold", engine], { cwd: ROOT, encoding: "utf8" });
    if (result.status !== 0) throw new Error(result.stderr);
    times.push(JSON.parse(result.stdout));
  }
  times.sort((a, b) => a.coldStartMs - b.coldStartMs);
  return times[times.length >> 1];
}

async function cold(engine) {
  const started = performance.now();
  const { createChecker } = await import(join(DIST, BUNDLE[engine]));
  const loaded = performance.now();
  const checker = await createChecker("{}", { engine });
  const created = performance.now();
  checker.checkJson(benchDraft(10));
  const done = performance.now();
  return { engine: checker.engine, coldStartMs: done - started, loadMs: loaded - started, createMs: created - loaded, firstCheckMs: done - created };
}

function native(binary) {
  mkdirSync(join(OUT, "drafts"), { recursive: true });
  const files = SIZES.map((size) => {
    const file = join(OUT, "drafts", `draft-${size}.json`);
    writeFileSync(file, benchDraft(size));
    return file;
  });
  const result = spawnSync(binary, files, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`native bench failed: ${result.stderr}`);
  const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
  return Object.fromEntries(SIZES.map((size, i) => [size, lines[i].median_ms]));
}

function fmtMs(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

function fmtKB(bytes) {
  return (bytes / 1000).toFixed(0) + " KB";
}

async function main(binary) {
  const sizes = JSON.parse(readFileSync(join(ROOT, "target", "checker", "sizes.json"), "utf8"));
  const nativeChecks = native(binary);
  const wasm = runChild("wasm", [], 1000);
  const fallbackJit = runChild("fallback", [], 1000);
  const fallbackJitless = runChild("fallback", ["--jitless"], 3000);
  const coldWasm = coldStart("wasm", [], 5);
  const coldFallback = coldStart("auto", ["--jitless"], 3);
  if (fallbackJitless.hasWebAssembly || coldFallback.engine !== "fallback") throw new Error("--jitless still had WebAssembly");

  const peerCheck = createPeer(ROOT);
  const peer = {};
  for (const size of SIZES) {
    const draft = benchDraft(size);
    peer[size] = median(() => peerCheck(draft));
  }
  // The peer must agree with the checker on what it does classify.
  const { createChecker } = await import(join(DIST, "sendguard-checker.mjs"));
  const checker = await createChecker("{}", { engine: "wasm" });
  for (const size of SIZES) {
    const report = checker.check(benchDraft(size));
    const mine = peerCheck(benchDraft(size));
    if (report.summary.visible_parties !== mine.parties || report.verdict !== mine.verdict) {
      throw new Error(`peer disagrees at ${size}: parties ${mine.parties} vs ${report.summary.visible_parties}, ${mine.verdict} vs ${report.verdict}`);
    }
  }

  const rows = SIZES.map((size) => ({
    recipients: size,
    native_ms: nativeChecks[size],
    wasm_ms: wasm.checks[size],
    fallback_jit_ms: fallbackJit.checks[size],
    fallback_jitless_ms: fallbackJitless.checks[size],
    js_peer_ms: peer[size],
    peer_over_wasm: peer[size] / wasm.checks[size],
    fallback_jit_over_wasm: fallbackJit.checks[size] / wasm.checks[size],
    fallback_jitless_over_wasm: fallbackJitless.checks[size] / wasm.checks[size],
  }));
  const at = (n) => rows.find((row) => row.recipients === n);
  const minPeer = Math.min(...rows.map((row) => row.peer_over_wasm));
  const xpi = statSync(join(ROOT, "dist", "sendguard-thunderbird.xpi")).size;
  sizes.xpi = xpi;
  // Issue 12's table: [what, measured, goal, met].
  const goals = [
    ["checker wasm, gzip -9 (PSL and lists included)", fmtKB(sizes.wasm_gzip), "≤ 200 KB", sizes.wasm_gzip <= GOALS.wasmGzipBytes],
    ["Thunderbird `.xpi`", fmtKB(xpi), "≤ 500 KB", xpi <= GOALS.xpiBytes],
    ["cold start, fresh Node process: import + create + first check (wasm)", `${fmtMs(coldWasm.coldStartMs)} ms (import ${fmtMs(coldWasm.loadMs)} ms)`, "≤ 15 ms", coldWasm.coldStartMs <= GOALS.coldStartMs],
    ["check, 1,000 recipients, wasm", `${fmtMs(at(1000).wasm_ms)} ms`, "≤ 0.3 ms", at(1000).wasm_ms <= GOALS.check1000WasmMs],
    ["check, 10,000 recipients, wasm / native", `${fmtMs(at(10000).wasm_ms)} / ${fmtMs(at(10000).native_ms)} ms`, "≤ 3 / ≤ 2 ms", at(10000).wasm_ms <= GOALS.check10000WasmMs && at(10000).native_ms <= GOALS.check10000NativeMs],
    ["check, 1,000 recipients, fallback under `node --jitless`", `${fmtMs(at(1000).fallback_jitless_ms)} ms`, "≤ 40 ms", at(1000).fallback_jitless_ms <= GOALS.check1000JitlessMs],
    ["JS peer (tldts + email-addresses) / wasm, lowest over 10…10,000 recipients", `${minPeer.toFixed(1)}×`, "≥ 10× at every size", minPeer >= GOALS.peerOverWasm],
    ["60k-domain policy: create / check 1,000 recipients, jitless", `${fmtMs(fallbackJitless.bigPolicy.createMs)} / ${fmtMs(fallbackJitless.bigPolicy.checkMs)} ms`, "≤ 300 / ≤ 50 ms", fallbackJitless.bigPolicy.createMs <= GOALS.bigPolicyCreateMs && fallbackJitless.bigPolicy.checkMs <= GOALS.bigPolicyCheckMs],
    ["60k-domain policy: create / check 1,000 recipients, wasm (for comparison)", `${fmtMs(wasm.bigPolicy.createMs)} / ${fmtMs(wasm.bigPolicy.checkMs)} ms`, "", null],
  ];

  const lines = [];
  lines.push("| issue 12 | measured | goal | met |");
  lines.push("|---|---:|---:|---|");
  for (const [what, value, goal, met] of goals) lines.push(`| ${what} | ${value} | ${goal} | ${met === null ? "" : met ? "yes" : "**no**"} |`);
  lines.push("");
  lines.push("| recipients | native Rust | wasm (Node) | fallback (Node, JIT) | fallback (node --jitless) | JS peer | peer / wasm |");
  lines.push("|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    lines.push(`| ${r.recipients.toLocaleString("en")} | ${fmtMs(r.native_ms)} ms | ${fmtMs(r.wasm_ms)} ms | ${fmtMs(r.fallback_jit_ms)} ms | ${fmtMs(r.fallback_jitless_ms)} ms | ${fmtMs(r.js_peer_ms)} ms | ${r.peer_over_wasm.toFixed(2)}x |`);
  }
  lines.push("");
  lines.push("| size | raw | gzip -9 |");
  lines.push("|---|---:|---:|");
  lines.push(`| wasm module | ${fmtKB(sizes.wasm_raw)} | ${fmtKB(sizes.wasm_gzip)} |`);
  lines.push(`| fallback (wasm2js, minified) | ${fmtKB(sizes.fallback_raw)} | ${fmtKB(sizes.fallback_gzip)} |`);
  lines.push(`| classic-Outlook IIFE (wasm + fallback as text) | ${fmtKB(sizes.iife_raw)} | ${fmtKB(sizes.iife_gzip)} |`);
  lines.push(`| Thunderbird .xpi (zip) | ${fmtKB(xpi)} | |`);
  lines.push("");
  lines.push("| cold start (median of fresh processes) | total | import | instantiate + policy | first check |");
  lines.push("|---|---:|---:|---:|---:|");
  for (const [name, c] of [["wasm (Node)", coldWasm], ["fallback (node --jitless)", coldFallback]]) {
    lines.push(`| ${name} | ${fmtMs(c.coldStartMs)} ms | ${fmtMs(c.loadMs)} ms | ${fmtMs(c.createMs)} ms | ${fmtMs(c.firstCheckMs)} ms |`);
  }
  const markdown = lines.join("\n") + "\n";

  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "checker.md"), markdown);
  writeFileSync(join(OUT, "checker.json"), JSON.stringify({
    machine: { node: process.version, cpus: (await import("node:os")).cpus().length },
    sizes,
    cold_start: { wasm: coldWasm, fallback_jitless: coldFallback },
    checks: rows,
    big_policy: { wasm: wasm.bigPolicy, fallback_jitless: fallbackJitless.bigPolicy },
    goals: goals.map(([what, measured, goal, met]) => ({ what, measured, goal, met })),
  }, null, 2) + "\n");
  process.stdout.write(markdown);
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  process.stdout.write(JSON.stringify(await child(args[1], Number(args[2]))));
} else if (args[0] === "--cold") {
  process.stdout.write(JSON.stringify(await cold(args[1])));
} else if (args.length === 1) {
  await main(args[0]);
} else {
  console.error("usage: node tests/bench/bench.mjs <native-bench-binary>");
  process.exit(64);
}
