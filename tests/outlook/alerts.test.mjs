// The Smart Alerts text for every golden case (tests/corpus), in English and German, on a
// client with Markdown (Mailbox 1.15) and on classic Outlook (1.12, plain text only): the
// built Send handler against the fake Office.js, whose `event.completed` check holds the
// documented limits and format (≤ 500 characters, cancelLabel ≤ 20, Markdown lines joined
// by "\n\n" and list items ended by "\r": see `markdownProblems` in fake-office.cjs).
// On top of that, what the issue asked of the words: the text leads with what to do (not
// the verdict's headline), one line per problem and one per file, no "parties", no promise
// of a one-click fix where the pane has none. (That a cut falls after a whole word is
// the stand-in's check for "…" between two letters.)
//
//   cargo xtask test outlook

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { BUNDLE, POLICIES, runScenario, startPolicyServer } from "./scenarios.mjs";
import { corpusCases, emlToDraft } from "../node/support.mjs";

const CLIENTS = [
  { label: "1.15 en", mailbox: "1.15", displayLanguage: "en-US" },
  { label: "1.15 de", mailbox: "1.15", displayLanguage: "de-DE" },
  { label: "1.12 de", mailbox: "1.12", platform: "PC", displayLanguage: "de-DE" },
];
const HEADLINES = ["Sending stopped", "Senden gestoppt", "Please check before sending", "Bitte vor dem Senden prüfen"];

let server;
let bundle;
const runs = []; // { name, label, expected, draft, sends, violations }

function toOffice(entry) {
  return { displayName: entry.name || entry.address, emailAddress: entry.address };
}

function clientFor(draft) {
  return {
    from: draft.from ? toOffice(draft.from) : undefined,
    to: (draft.to || []).map(toOffice),
    cc: (draft.cc || []).map(toOffice),
    bcc: (draft.bcc || []).map(toOffice),
    subject: draft.subject || "",
    body: draft.body || "",
    attachments: (draft.attachments || []).map((a) => ({
      name: a.name,
      contentType: a.content_type || "application/octet-stream",
      size: a.size,
      contentBase64: a.content_base64 || "",
    })),
  };
}

before(async () => {
  assert.ok(existsSync(BUNDLE), BUNDLE + " is missing: run `cargo xtask test outlook`");
  bundle = readFileSync(BUNDLE, "utf8");
  server = await startPolicyServer();
  const cases = corpusCases();
  const drafts = emlToDraft(cases.map((c) => c.eml));
  assert.equal(drafts.length, cases.length, "one draft line per golden file");
  for (const [index, golden] of cases.entries()) {
    const draft = JSON.parse(drafts[index]);
    if (draft.error !== undefined || golden.expected.error !== undefined) continue; // not a mail: no Send
    const mode = "golden-" + golden.name;
    POLICIES[mode] = golden.policy ? readFileSync(golden.policy, "utf8") : "{}";
    for (const client of CLIENTS) {
      const { label, ...options } = client;
      // roamingBase: classic Outlook's JavaScript-only runtime reads the add-in's URL (and so
      // the policy's) from what the task pane saved earlier.
      const scenario = { name: golden.name, client: { ...clientFor(draft), ...options }, policy: mode, roamingBase: true };
      if (!scenario.client.from) delete scenario.client.from;
      const result = await runScenario(scenario, server, bundle);
      runs.push({ name: golden.name, label, expected: golden.expected, draft, ...result });
    }
  }
});

after(async () => {
  await server?.close();
});

test("every golden case ran on three clients", () => {
  assert.ok(runs.length >= 3 * 25, `only ${runs.length} runs`);
});

test("every answer keeps Outlook's limits and Markdown format (the stand-in's check)", () => {
  for (const run of runs) {
    // The golden case's own policy applied: a pass sends, anything else stops.
    assert.equal(run.sends[0].options.allowEvent, run.expected.verdict === "pass", `${run.name} (${run.label}): verdict ${run.expected.verdict}`);
    assert.deepEqual(run.violations, [], `${run.name} (${run.label})`);
    assert.equal(run.sends.length, 1, run.name);
  }
});

test("a stopped mail's text leads with the action, one line per problem and per file", () => {
  let stopped = 0;
  for (const run of runs) {
    const { options } = run.sends[0];
    if (options.allowEvent) continue;
    stopped += 1;
    const where = `${run.name} (${run.label})`;
    const lines = options.errorMessage.split("\n");
    assert.ok(!HEADLINES.includes(lines[0]), `${where}: starts with the headline, not an action: ${lines[0]}`);
    assert.match(lines[0], /\.|:/, where);
    const bullets = lines.filter((line) => line.startsWith("• "));
    assert.ok(bullets.length >= 1, `${where}: no problem listed:\n${options.errorMessage}`);
    // Every file at most once: two findings about one file are one line.
    for (const file of new Set((run.expected.findings || []).map((f) => f.attachment).filter(Boolean))) {
      const mentions = bullets.filter((line) => line.startsWith("• " + file + ":")).length;
      assert.ok(mentions <= 1, `${where}: ${file} on ${mentions} lines`);
    }
    for (const key of ["errorMessage", "errorMessageMarkdown"]) {
      const text = options[key];
      if (text === undefined) continue;
      assert.doesNotMatch(text, /\bparties\b|\bParteien\b/, `${where}: jargon in ${key}`);
    }
    // "one-click fixes" only where the pane has a fix to offer.
    const hasFix = (run.expected.findings || []).some((f) => f.severity !== "info" && (f.fixes || []).length > 0);
    if (!hasFix) {
      assert.doesNotMatch(options.errorMessage, /one-click|per Klick/, `${where}: promises a fix that does not exist`);
      if (options.cancelLabel !== undefined) assert.notEqual(options.cancelLabel, "Fix it", where);
    }
    if (options.errorMessageMarkdown !== undefined) {
      const paragraphs = options.errorMessageMarkdown.split("\n\n");
      assert.match(paragraphs[0], /^\*\*/, `${where}: the action leads, in bold`);
      const items = (paragraphs[1] || "").split("\r").filter(Boolean);
      assert.ok(items.length >= 1, `${where}: no problem listed in Markdown`);
      assert.equal(paragraphs.length, 2, `${where}: the action, then the list`);
    }
  }
  assert.ok(stopped >= 3 * 15, `only ${stopped} stopped answers`);
});
