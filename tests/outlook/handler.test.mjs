// The Send handler bundle against the fake Office.js: decisions by verdict and Mailbox
// requirement set, policy fallbacks, checker failures in both fail modes, the time limit,
// and the same decisions under `node --jitless` (no WebAssembly: the checker's fallback).
//
//   cargo xtask test outlook        (builds dist/addin-outlook first)
//   node --test tests/outlook/handler.test.mjs

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { BUNDLE, ROOT, SCENARIOS, runScenarios } from "./scenarios.mjs";

const require = createRequire(import.meta.url);
const DEADLINE_MS = 5000; // Outlook says "taking longer than expected" from here on

let run; // { results, policyRequests } with WebAssembly
const byName = (name) => {
  const found = run.results.find((result) => result.name === name);
  assert.ok(found, "no scenario named " + name);
  return found;
};

before(async () => {
  assert.ok(existsSync(BUNDLE), BUNDLE + " is missing: run `cargo xtask test outlook`");
  run = await runScenarios();
  assert.equal(run.results.length, SCENARIOS.length);
  assert.ok(run.results.length >= 15, "too few scenarios ran");
});

test("the bundle is one ES2016 script without import, and associates both handlers", () => {
  const acorn = require("acorn");
  const source = readFileSync(BUNDLE, "utf8");
  acorn.parse(source, { ecmaVersion: 2016, sourceType: "script" }); // throws on later syntax or import
  assert.doesNotMatch(source, /\bimport\s*\(/, "dynamic import");
  for (const result of run.results) {
    assert.deepEqual(result.associated, ["onAppointmentSendHandler", "onMessageSendHandler"]);
  }
});

test("every answer is valid for its client and comes well inside 5 s", () => {
  for (const result of run.results) {
    assert.deepEqual(result.violations, [], result.name);
    for (const send of result.sends) assert.ok(send.ms < DEADLINE_MS - 500, `${result.name}: ${send.ms} ms`);
    // Writing recipients is the task pane's job, never the Send handler's.
    assert.deepEqual(result.recipientWrites, [], result.name);
  }
});

test("pass sends", () => {
  for (const name of ["pass: colleagues only", "pass: three partners under the default policy"]) {
    assert.deepEqual(byName(name).sends[0].options, { allowEvent: true }, name);
  }
});

test("warn on Mailbox 1.15: Send Anyway, Fix it opening the task pane, Markdown", () => {
  const { options } = byName("warn on Mailbox 1.15 (web): Send Anyway, Fix it, Markdown").sends[0];
  assert.equal(options.allowEvent, false);
  assert.equal(options.sendModeOverride, "promptUser");
  assert.equal(options.cancelLabel, "Fix it");
  assert.equal(options.commandId, "sendguardOpenPane");
  // Leads with the action, says how, then one line per problem.
  assert.match(options.errorMessage, /^Put the recipients in Bcc before sending\. “Fix it” opens sendguard with one-click fixes for the recipients\. To send it as it is, choose Send Anyway\.\n• Recipients can see each other: 5 external addresses visible to everyone$/);
  // Outlook's Markdown: "\n\n" between paragraphs, "\r" after each list item.
  assert.match(options.errorMessageMarkdown, /^\*\*Put the recipients in Bcc before sending\.\*\* .*Send Anyway\.\n\n- Recipients can see each other: 5 external addresses visible to everyone\r$/);
  assert.equal(JSON.parse(options.contextData).source, "send");
});

test("warn on Mailbox 1.12 (classic, German): only 1.12 options, stops once, the same draft then goes", () => {
  const result = byName("warn in German on classic Windows, Mailbox 1.12: stops once, then sends");
  const [first, second] = result.sends;
  assert.deepEqual(Object.keys(first.options).sort(), ["allowEvent", "errorMessage"]);
  assert.equal(first.options.allowEvent, false);
  assert.match(first.options.errorMessage, /^Setzen Sie die Empfänger vor dem Senden in Bcc\. .*\n• /);
  assert.match(first.options.errorMessage, /erneut auf Senden/);
  assert.deepEqual(second.options, { allowEvent: true });
});

test("warn, then the draft changes: it stops again", () => {
  const [first, second] = byName("warn, then the draft changes: stops again").sends;
  assert.equal(first.options.allowEvent, false);
  assert.equal(second.options.allowEvent, false);
});

test("block: 800 partners in CC stops every time, in German, with Fix it and no Send Anyway", () => {
  const result = byName("block: 800 partners in CC (Mailbox 1.14, German)");
  for (const { options } of result.sends) {
    assert.equal(options.allowEvent, false);
    assert.equal(options.sendModeOverride, undefined);
    assert.equal(options.cancelLabel, "Beheben");
    assert.equal(options.commandId, "sendguardOpenPane");
    assert.equal(options.errorMessageMarkdown, undefined, "Markdown needs Mailbox 1.15");
    assert.match(options.errorMessage, /^Setzen Sie die Empfänger vor dem Senden in Bcc\. „Beheben“/);
    assert.match(options.errorMessage, /\n• Empfänger sehen einander: 800 externe Adressen für alle sichtbar$/);
    assert.match(options.errorMessage, /800/);
    assert.ok(options.errorMessage.length <= 500);
  }
});

test("block: attachments, by name and by content", () => {
  for (const name of [
    "block: a program attached under a double extension",
    "block: a program under a harmless name, found by its first bytes",
  ]) {
    const { options } = byName(name).sends[0];
    assert.equal(options.allowEvent, false, name);
    assert.match(options.errorMessage, /^Remove the files listed below before sending\. “Show details”/, name);
    assert.equal(options.cancelLabel, "Show details", name + ": no fix for a file, so no “Fix it”");
    assert.equal(options.errorMessage.split("\n").filter((line) => line.startsWith("• ")).length, 1, name + ": one line per file");
  }
});

test("many findings: the longest messages are cut to fit, with the rest counted", () => {
  const { options } = byName("block: thirty programs attached, the message still fits in 500 characters").sends[0];
  assert.equal(options.allowEvent, false);
  for (const key of ["errorMessage", "errorMessageMarkdown"]) {
    assert.ok(options[key].length <= 500, key + ": " + options[key].length);
    assert.match(options[key], /\+\d+ more/, key);
  }
});

test("a meeting's Fix it opens the meeting's task pane button", () => {
  const { options } = byName("block: meeting invitation to 800 partners opens the meeting pane").sends[0];
  assert.equal(options.allowEvent, false);
  assert.equal(options.commandId, "sendguardOpenPaneMeeting");
});

test("the policy comes from the add-in's own server and is cached once accepted", () => {
  const result = byName("server policy is used (strict: three partners warn)");
  assert.equal(result.sends[0].options.allowEvent, false);
  assert.ok(result.storage["sendguard.policy"].includes("warn_parties"), "accepted policy cached");
  const fallback = byName("policy with a typo'd key: last good copy, never silently weaker");
  assert.equal(fallback.sends[0].options.allowEvent, false, "the cached strict policy still applies");
  assert.doesNotMatch(fallback.storage["sendguard.policy"], /visible_recipents/, "a refused policy is never cached");
  // Only the policy is ever requested, from the add-in's own origin and path prefix.
  for (const path of run.policyRequests) assert.match(path, /^\/[a-z0-9-]+\/policy\.json$/);
});

test("policy fetch fails: last good copy, else the embedded default", () => {
  assert.equal(byName("policy fetch fails (HTTP 500): last good policy from the cache").sends[0].options.allowEvent, false);
  assert.deepEqual(byName("policy fetch fails (HTTP 500), nothing cached: embedded default").sends[0].options, { allowEvent: true });
  const hang = byName("policy server hangs: cache after the timeout, answer inside 5 s");
  assert.equal(hang.sends[0].options.allowEvent, false);
  assert.ok(hang.sends[0].ms >= 1000, "waited for the server a while");
  assert.equal(byName("policy is not JSON: cache").sends[0].options.allowEvent, false, "roaming settings cache");
  const unknown = byName("add-in cannot tell its URL (Mailbox 1.12, no saved base): embedded default");
  assert.equal(unknown.sends[0].options.allowEvent, false, "the default policy still warns at five parties");
});

test("checker throws: fail-open sends and says so, fail-closed stops with a clear message", () => {
  const open = byName("checker throws, fail-open: sends and says so");
  assert.deepEqual(open.sends[0].options, { allowEvent: true });
  assert.match(open.notifications.sendguard.message, /could not check this mail/);
  const closed = byName("checker throws, fail-closed: stops with a clear message");
  assert.equal(closed.sends[0].options.allowEvent, false);
  assert.match(closed.sends[0].options.errorMessage, /could not check this mail \(simulated checker failure\)/);
  const missing = byName("checker missing from the bundle, fail-closed (cached policy)");
  assert.equal(missing.sends[0].options.allowEvent, false);
  assert.match(missing.sends[0].options.errorMessage, /checker is not loaded/);
  const hangs = byName("checker hangs, fail-closed: the watchdog answers inside 5 s");
  assert.equal(hangs.sends[0].options.allowEvent, false);
  assert.match(hangs.sends[0].options.errorMessage, /took too long/);
});

// Issue 15: the policy's delay, decided by the core, applied with delayDeliveryTime.setAsync.
const heldFor = (result) => result.deliveryTimes.map((entry) => Math.round(entry.delaySeconds));

test("delay: external mail gets a delivery time the policy's seconds from Send, and one line", () => {
  const web = byName("delay: external mail is held 120 s, the web says Drafts");
  assert.deepEqual(web.sends[0].options, { allowEvent: true });
  assert.deepEqual(heldFor(web), [120]);
  // The notice names the time the mail leaves (local HH:MM) and where to stop it, in German.
  assert.match(web.notifications.sendguardDelay.message, /^sendguard hält diese Mail bis \d\d:\d\d zurück\. .*Entwürfe/);
  const classic = byName("delay on classic Windows (Mailbox 1.13): held, the notice says it cannot be stopped");
  assert.deepEqual(classic.sends[0].options, { allowEvent: true });
  assert.deepEqual(heldFor(classic), [120]);
  assert.match(classic.notifications.sendguardDelay.message, /until \d\d:\d\d\. Classic Outlook cannot stop it after Send\.$/);
  const internal = byName("delay: internal mail leaves at once");
  assert.deepEqual(internal.sends[0].options, { allowEvent: true });
  assert.deepEqual(heldFor(internal), []);
  assert.equal(internal.notifications.sendguardDelay, undefined);
});

test("delay: without Mailbox 1.13 or when setAsync fails, the mail is not stopped for it", () => {
  for (const name of ["delay without Mailbox 1.13: the mail is not stopped for it", "delay when setAsync fails: the mail is not stopped for it"]) {
    const result = byName(name);
    assert.deepEqual(result.sends[0].options, { allowEvent: true }, name);
    assert.deepEqual(heldFor(result), [], name);
    assert.equal(result.notifications.sendguardDelay, undefined, name + ": no notice for a hold that did not happen");
  }
});

test("delay on findings: a pass leaves at once; a warning is sent again and then held", () => {
  const pass = byName("delay on findings: a pass leaves at once");
  assert.deepEqual(pass.sends[0].options, { allowEvent: true });
  assert.deepEqual(heldFor(pass), []);
  const warned = byName("delay on findings: a warning asks for Send again, then the mail is held 300 s");
  const [first, second] = warned.sends;
  assert.equal(first.options.allowEvent, false);
  assert.equal(first.options.sendModeOverride, undefined, "no Send Anyway: the hold must count from the real Send");
  assert.match(first.options.errorMessage, /click Send again/);
  assert.deepEqual(second.options, { allowEvent: true });
  assert.deepEqual(heldFor(warned), [300], "held once, at the second Send");
});

test("delay never replaces a block", () => {
  const override = byName("delay with a block: still stopped, held for Send Anyway");
  assert.equal(override.sends[0].options.allowEvent, false);
  assert.equal(override.sends[0].options.sendModeOverride, "promptUser");
  assert.deepEqual(heldFor(override), [60], "Send Anyway goes without the handler: the time is set before the dialog");
  const block = byName("delay never holds a block nobody may override");
  assert.equal(block.sends[0].options.allowEvent, false);
  assert.equal(block.sends[0].options.sendModeOverride, undefined);
  assert.deepEqual(heldFor(block), []);
  const meeting = byName("delay is not set on a meeting");
  assert.deepEqual(meeting.sends[0].options, { allowEvent: true });
  assert.deepEqual(heldFor(meeting), []);
});

test("with WebAssembly here; without it (node --jitless) the same decisions", () => {
  for (const result of run.results) {
    assert.equal(result.hasWebAssembly, true);
    assert.equal(result.hasChecker, true);
  }
  const child = spawnSync(process.execPath, ["--jitless", join(ROOT, "tests/outlook/scenarios.mjs"), BUNDLE], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const jitless = JSON.parse(child.stdout);
  assert.equal(jitless.results.length, run.results.length);
  for (const [index, result] of jitless.results.entries()) {
    const withWasm = run.results[index];
    assert.equal(result.hasWebAssembly, false, "--jitless has no WebAssembly");
    assert.deepEqual(result.violations, [], result.name);
    assert.deepEqual(
      result.sends.map((send) => send.options),
      withWasm.sends.map((send) => send.options),
      result.name,
    );
    assert.deepEqual(heldFor(result), heldFor(withWasm), result.name);
    for (const send of result.sends) assert.ok(send.ms < DEADLINE_MS - 500, `${result.name} (jitless): ${send.ms} ms`);
  }
});

test("the browser runtime's handler (launchevent-web.js, wasm only) decides as the classic one", async () => {
  const web = join(ROOT, "dist", "addin-outlook", "launchevent-web.js");
  const code = readFileSync(web, "utf8");
  assert.doesNotMatch(code, /asmFunc|fallbackSource/, "no wasm2js fallback in the browser runtime's bundle");
  assert.match(readFileSync(BUNDLE, "utf8"), /fallbackSource|new Function/, "the classic bundle has the fallback");
  assert.match(readFileSync(join(ROOT, "dist", "addin-outlook", "commands.html"), "utf8"), /<script src="launchevent-web\.js">/);
  const webRun = await runScenarios(web);
  assert.equal(webRun.results.length, run.results.length);
  for (const [index, result] of webRun.results.entries()) {
    assert.equal(result.hasWebAssembly, true);
    assert.deepEqual(
      result.sends.map((send) => send.options),
      run.results[index].sends.map((send) => send.options),
      result.name,
    );
  }
});

test("sensitive data to a partner: the alert leads with the label; a labelled mail is not unprotected; 1.12 reads no label", () => {
  const title = "Sensitive data without end-to-end encryption";
  const unlabelled = byName("unprotected: a sick note to a partner, label catalogue on (Mailbox 1.15): apply the label");
  const first = unlabelled.sends[0].options;
  assert.equal(first.allowEvent, false);
  assert.ok(first.errorMessage.startsWith("Apply the sensitivity label"), first.errorMessage);
  assert.ok(first.errorMessage.includes(title), first.errorMessage);
  assert.ok(unlabelled.calls.includes("sensitivityLabel.getAsync"), "the label was read");
  assert.ok(!unlabelled.calls.includes("sensitivityLabel.setAsync"), "the Send handler never applies a label itself");
  const labelled = byName("unprotected: the same mail with the policy's label applied is not unprotected").sends[0].options;
  assert.equal(labelled.allowEvent, false, "the health data to a partner still warns");
  assert.ok(!labelled.errorMessage.includes(title), labelled.errorMessage);
  const old = byName("unprotected: Mailbox 1.12 has no labels: the state is unknown and counts as unencrypted");
  assert.ok(old.sends[0].options.errorMessage.includes(title), old.sends[0].options.errorMessage);
  assert.ok(!old.calls.includes("sensitivityLabel.getAsync"), "no label API below Mailbox 1.13");
});
