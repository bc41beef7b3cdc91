// The checker package's API on both engines: errors, fixes, crashes, huge and
// malformed input, the single-file bundles with and without WebAssembly, and which
// bundle carries which engine.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import vm from "node:vm";
import * as acorn from "acorn";
import { DIST, draftWithRecipients, runJitless } from "./support.mjs";

// Both engines: the bundle for runtimes that may lack WebAssembly.
const { createChecker, panicForTests } = await import(`${DIST}/sendguard-checker-fallback.mjs`);
const ENGINES = ["wasm", "fallback"];
const newsletter = draftWithRecipients(40);

for (const engine of ENGINES) {
  test(`${engine}: check, apply and version`, async () => {
    const checker = await createChecker({ newsletter_tool: { name: "CleverReach" } }, { engine });
    assert.equal(checker.engine, engine);
    assert.match(checker.version, /^\d+\.\d+\.\d+$/);
    const report = checker.check(newsletter);
    assert.equal(report.verdict, "block");
    assert.equal(report.checker_version, checker.version);
    const visible = report.findings.find((f) => f.rule === "visible-recipients");
    const move = visible.fixes.find((f) => f.action.kind === "move-to-bcc");
    const { draft, export: file } = checker.apply(newsletter, move.action);
    assert.equal(file, null);
    assert.equal(draft.bcc.length, 40);
    assert.deepEqual(draft.to, [{ address: "anna@corp.example" }]);
    assert.equal(checker.check(draft).verdict, "pass");
    const exported = checker.apply(newsletter, { kind: "export-recipients" });
    assert.equal(exported.export.filename, "recipients-for-cleverreach.csv");
    assert.equal(exported.export.content.split("\r\n").length, 42);
    assert.equal(checker.checkJson(JSON.stringify(newsletter)), JSON.stringify(report));
  });

  test(`${engine}: errors carry the core's message and a kind`, async () => {
    await assert.rejects(createChecker('{\n  "severity": {"freemail-recipent": "off"}\n}', { engine }), (error) => {
      assert.equal(error.kind, "policy");
      assert.equal(error.reason, "unknown-key");
      assert.equal(error.line, 2);
      assert.equal(typeof error.column, "number");
      assert.match(error.message, /freemail-recipent/);
      // The key it is about and the message in every language, for the policy editor.
      assert.equal(error.path, "severity.freemail-recipent");
      assert.match(error.messages.en, /freemail-recipent/);
      assert.match(error.messages.de, /unbekannt/);
      return true;
    });
    const checker = await createChecker(null, { engine });
    for (const [draft, pattern] of [
      ["{", /EOF/],
      ["", /empty/],
      ["[]", /./],
      ['{"to": "a@b.example"}', /to/],
      ['{"cc": [{"adress": "a@b.example"}]}', /adress/],
      ['{"attachments": [{"name": "a", "content_base64": "%%"}]}', /base64/],
      ["{} trailing", /./],
    ]) {
      assert.throws(() => checker.checkJson(draft), (error) => {
        assert.equal(error.kind, "draft", `${draft}: ${error.message}`);
        assert.match(error.message, pattern);
        return true;
      });
    }
    assert.throws(() => checker.checkJson('{\n  "to": 3\n}'), (error) => {
      assert.deepEqual([error.kind, error.reason, error.line], ["draft", "shape", 2]);
      return true;
    });
    assert.throws(() => checker.checkJson(""), { kind: "draft", reason: "empty" });
    assert.throws(() => checker.apply(newsletter, { kind: "teleport" }), { kind: "fix" });
    assert.throws(
      () => checker.apply(newsletter, { kind: "remove-recipient", addresses: ["nobody@x.example"] }),
      (error) => error.kind === "fix" && /nobody@x\.example/.test(error.message),
    );
    // The checker still works after rejected input.
    assert.equal(checker.check(newsletter).verdict, "block");
  });

  test(`${engine}: a panic becomes an Error and the next call gets a fresh instance`, async () => {
    const checker = await createChecker({}, { engine });
    assert.throws(() => panicForTests(checker), (error) => {
      assert.ok(error instanceof Error);
      assert.equal(error.kind, "crash");
      assert.match(error.message, /deliberate panic/);
      return true;
    });
    assert.equal(checker.check(newsletter).verdict, "block");
    assert.throws(() => panicForTests(checker), { kind: "crash" });
    assert.equal(checker.check(newsletter).verdict, "block");
  });

  test(`${engine}: more than 100,000 recipients is an error, quickly`, async () => {
    const checker = await createChecker({}, { engine });
    const huge = JSON.stringify(draftWithRecipients(100_001, "bcc"));
    const started = Date.now();
    assert.throws(() => checker.checkJson(huge), (error) => error.kind === "draft" && /100000|100,000/.test(error.message));
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.equal(checker.check(newsletter).verdict, "block");
  });

  test(`${engine}: parseAddresses is the core's list parser, names and rejects included`, async () => {
    const checker = await createChecker({}, { engine });
    const parsed = checker.parseAddresses(
      'Müller, Hans <hans@alpha.example>; "Doe; Jane" <JANE@bravo.example>;\nnot an address;mailto:c@charlie.example',
    );
    assert.deepEqual(parsed, {
      addresses: [
        { name: "Müller, Hans", address: "hans@alpha.example" },
        { name: "Doe; Jane", address: "JANE@bravo.example" },
        { address: "c@charlie.example" },
      ],
      rejected: [{ position: 3, text: "not an address" }],
    });
    assert.deepEqual(checker.parseAddresses(""), { addresses: [], rejected: [] });
    assert.deepEqual(checker.parseAddresses("a@b.example\tc@d.example").addresses.length, 2);
    assert.throws(() => checker.parseAddresses(["a@b.example"]), { kind: "draft" });
    // What it returns is a draft's address list as it is.
    const cc = checker.parseAddresses("a@gmail.com, b@web.de").addresses;
    assert.equal(checker.check({ cc }).verdict, "warn");
    // Thousands of pasted addresses in one call.
    const many = Array.from({ length: 5000 }, (_, i) => `Person ${i} <p${i}@org${i}.example>`).join(";\n");
    assert.equal(checker.parseAddresses(many).addresses.length, 5000);
  });

  test(`${engine}: non-ASCII and lone surrogates survive the boundary`, async () => {
    const checker = await createChecker({}, { engine });
    const draft = {
      from: { name: "Jürgen Größ", address: "j@corp.example" },
      to: [{ name: "😀 Ünïcödé \ud800", address: "x@bücher.example" }],
      attachments: [{ name: "Rechnung\u202Egnp.exe", size: 10 }],
    };
    const report = checker.check(draft);
    assert.equal(report.verdict, "block");
    const disguised = report.findings.find((f) => f.rule === "attachment-disguised-name");
    assert.ok(disguised, JSON.stringify(report.findings.map((f) => f.rule)));
    const { draft: same } = checker.apply(draft, { kind: "export-recipients" });
    assert.equal(same.to[0].name, "😀 Ünïcödé \ufffd");
    assert.equal(same.from.name, "Jürgen Größ");
  });
}

test("two fallback checkers with different policies do not share memory", async () => {
  const strict = await createChecker({ visible_recipients: { warn_parties: 2, block_parties: 3 } }, { engine: "fallback" });
  const lenient = await createChecker({}, { engine: "fallback" });
  const draft = draftWithRecipients(12);
  for (let i = 0; i < 20; i++) {
    assert.equal(strict.check(draft).verdict, "block");
    assert.equal(lenient.check(draftWithRecipients(3)).verdict, "pass");
  }
});

test("wasm and fallback give byte-identical reports on generated drafts", async () => {
  const wasm = await createChecker({}, { engine: "wasm" });
  const fallback = await createChecker({}, { engine: "fallback" });
  for (const count of [0, 1, 4, 5, 14, 15, 24, 25, 300]) {
    for (const field of ["to", "cc", "bcc"]) {
      const draft = JSON.stringify(draftWithRecipients(count, field));
      assert.equal(fallback.checkJson(draft), wasm.checkJson(draft), `${count} in ${field}`);
    }
  }
});

test("wasm and fallback parse address lists alike", async () => {
  const wasm = await createChecker({}, { engine: "wasm" });
  const fallback = await createChecker({}, { engine: "fallback" });
  for (const text of [
    "",
    ";;,\n",
    "a@b.example",
    '"Doe, Jane" <jane@x.example>, b@y.example',
    "Müller, Hans <hans@x.example>; Größ, Jürgen <j@bücher.example>",
    "<>; @; x@; @y; name only",
    "😀 <e@x.example>\ud800; \"unterminated <a@b.example>",
  ]) {
    assert.deepEqual(fallback.parseAddresses(text), wasm.parseAddresses(text), JSON.stringify(text));
  }
});

test("auto picks wasm in Node, the fallback under --jitless; errors and crashes too", () => {
  const job = {
    bundle: "cjs",
    policies: { default: "{}", bad: '{"nope": 1}' },
    calls: [
      { op: "create", policy: "default" },
      { op: "check", policy: "default", args: [JSON.stringify(newsletter)] },
      { op: "check", policy: "default", args: ["{"] },
      { op: "panic", policy: "default" },
      { op: "check", policy: "default", args: [JSON.stringify(newsletter)] },
      { op: "check", policy: "default", args: [JSON.stringify(draftWithRecipients(100_001))] },
      { op: "create", policy: "bad" },
    ],
  };
  const outcome = runJitless(job);
  assert.equal(outcome.hasWebAssembly, false);
  assert.equal(outcome.engine, "fallback");
  const [created, report, bad, crash, again, huge, badPolicy] = outcome.results;
  assert.equal(created.ok, "created");
  assert.equal(JSON.parse(report.ok).verdict, "block");
  assert.equal(bad.kind, "draft");
  assert.equal(crash.kind, "crash");
  assert.equal(JSON.parse(again.ok).verdict, "block");
  assert.equal(huge.kind, "draft");
  assert.equal(badPolicy.kind, "policy");
  const node = createRequire(import.meta.url)(`${DIST}/sendguard-checker.cjs`);
  return node.createChecker({}).then((checker) => assert.equal(checker.engine, "wasm"));
});

test("the IIFE bundle is ES2016 and works where WebAssembly, TextEncoder and atob are missing", async () => {
  const code = readFileSync(`${DIST}/sendguard-checker.iife.js`, "utf8");
  acorn.parse(code, { ecmaVersion: 2016, sourceType: "script" });
  assert.doesNotMatch(code, /\bimport\s*\(|\bimport\.meta\b|^\s*(import|export)\s/m);
  // A bare context: what V8 gives a script with nothing of Node or the browser.
  const context = vm.createContext({});
  vm.runInContext("delete globalThis.WebAssembly; delete globalThis.TextEncoder; delete globalThis.TextDecoder; delete globalThis.Intl;", context);
  vm.runInContext(code, context);
  const draft = JSON.stringify(newsletter);
  const result = await vm.runInContext(
    `SendguardChecker.createChecker("{}").then(function (c) {
      return [c.engine, c.checkJson(${JSON.stringify(draft)}), JSON.stringify(c.parseAddresses("Ä <a@b.example>; x"))];
    })`,
    context,
  );
  assert.equal(result[0], "fallback");
  const wasm = await createChecker({}, { engine: "wasm" });
  assert.equal(result[1], wasm.checkJson(draft));
  assert.equal(result[2], JSON.stringify(wasm.parseAddresses("Ä <a@b.example>; x")));
});

test("the IIFE for browser runtimes carries the wasm module only, and runs it", async () => {
  const code = readFileSync(`${DIST}/sendguard-checker-wasm.iife.js`, "utf8");
  acorn.parse(code, { ecmaVersion: 2016, sourceType: "script" });
  assert.doesNotMatch(code, /asmFunc|fallbackSource/);
  const context = vm.createContext({ WebAssembly, TextEncoder, TextDecoder });
  vm.runInContext(code, context);
  const draft = JSON.stringify(newsletter);
  const result = await vm.runInContext(
    `SendguardChecker.createChecker("{}").then(function (c) { return [c.engine, c.checkJson(${JSON.stringify(draft)})]; })`,
    context,
  );
  assert.equal(result[0], "wasm");
  const wasm = await createChecker({}, { engine: "wasm" });
  assert.equal(result[1], wasm.checkJson(draft));
});

test("WebAssembly hosts get the module only: no fallback in sendguard-checker.mjs", async () => {
  const code = readFileSync(`${DIST}/sendguard-checker.mjs`, "utf8");
  assert.doesNotMatch(code, /asmFunc|fallbackSource/);
  const wasmOnly = await import(`${DIST}/sendguard-checker.mjs`);
  const checker = await wasmOnly.createChecker({});
  assert.equal(checker.engine, "wasm");
  assert.equal(checker.checkJson(JSON.stringify(newsletter)), (await createChecker({}, { engine: "wasm" })).checkJson(JSON.stringify(newsletter)));
  await assert.rejects(wasmOnly.createChecker({}, { engine: "fallback" }), /no fallback/);
  await assert.rejects(wasmOnly.createChecker({ nope: 1 }), { kind: "policy", reason: "unknown-key" });
  // The fallback bundle carries the translation as text, compiled only when it runs.
  const both = readFileSync(`${DIST}/sendguard-checker-fallback.mjs`, "utf8");
  assert.match(both, /fallbackSource|new Function/);
});

test("the checker module exports the ABI and nothing of the site's", () => {
  const bytes = readFileSync(`${DIST}/../../target/checker/gen/sendguard_checker.wasm`);
  const module = new WebAssembly.Module(bytes);
  assert.deepEqual(WebAssembly.Module.imports(module), [], "no imports: wasm2js and every host can run it");
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of ["memory", "sg_alloc", "sg_free", "sg_new", "sg_check", "sg_apply", "sg_parse_addresses", "sg_output_ptr", "sg_output_len", "sg_last_panic"]) {
    assert.ok(names.includes(name), name);
  }
  for (const name of ["sg_check_eml", "sg_draft_from_eml", "sg_incident"]) assert.ok(!names.includes(name), name);
});

test("an unknown engine is an error", async () => {
  await assert.rejects(createChecker({}, { engine: "quantum" }), /unknown engine/);
});
