// The fault matrix of the Outlook Send handler: every way the policy download can go wrong
// × the company's fail mode × every way reading the draft can go wrong, run against the
// built bundle (dist/addin-outlook/launchevent.js) with the fake Office.js, a real policy
// server on 127.0.0.1 and the real checker. The expected outcome of each row is one of:
//
//   sent       event.completed({ allowEvent: true }), no notice
//   notice     sent, with a notice in the compose form that it went unchecked (fail-open)
//   stopped    allowEvent false, saying the check failed (fail-closed)
//   shown      allowEvent false, the dialog names what could not be checked
//   blocked    allowEvent false by an ordinary finding (a program attached inline)
//
// The same table, in words, is in addin-outlook/README.md ("What happens when …").

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BUNDLE, POLICIES, ROOT, runScenario, startPolicyServer } from "./scenarios.mjs";

const core = JSON.parse(readFileSync(join(ROOT, "crates/sendguard-core/messages.json"), "utf8")).en;
const outlook = JSON.parse(readFileSync(join(ROOT, "addin-outlook/messages.json"), "utf8")).en;
const TITLE = {
  content: core["rule.content-not-inspected.title"],
  list: core["rule.list-not-expanded.title"],
  program: core["rule.attachment-dangerous-type.title"],
};
const CHECK_FAILED = outlook["outlook.alert.checker-failed.closed"].split("{")[0].trim();
const HTML_PAGE = "<html><body>Please log in to the hotel Wi-Fi</body></html>";
const PROGRAM = "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA="; // "MZ…": a Windows program
const PDF = "JVBERi0xLjcKJeLjz9MK"; // "%PDF-1.7"

const COLLEAGUES = [
  { displayName: "Bob Builder", emailAddress: "bob@example.com" },
  { displayName: "Carol", emailAddress: "carol@sales.example.com" },
];

/** The company's policy by fail mode (a key of POLICIES). */
const COMPANY = { "fail-open": "failopen", "fail-closed": "failclosed" };

/**
 * Policy sources. The last good copy (accepted earlier) is saved unless the row says
 * otherwise; `modeFrom` says whose fail mode applies when the check fails.
 */
const SOURCES = [
  { name: "unreachable", setup: (company) => ({ policy: "unreachable", cached: company }) },
  { name: "slow (answers after the time limit)", setup: (company) => ({ policy: "slow", cached: company }) },
  { name: "HTML page with 200", setup: (company) => ({ policy: "notjson", cached: company }) },
  { name: "HTTP 500", setup: (company) => ({ policy: "error500", cached: company }) },
  { name: "invalid JSON", setup: (company) => ({ policy: "badjson", cached: company }) },
  {
    // Never fetched: anyone on the network could answer it. A copy saved from it is not
    // trusted either, so the built-in default (fail-open) applies.
    name: "valid policy over plain http://",
    setup: (company) => ({ policy: "insecure", cached: company }),
    modeFrom: "default",
  },
  {
    // An older add-in saved a login page; the server now answers with the real policy.
    name: "bad copy already cached",
    setup: (company) => ({ policy: company, cachedText: HTML_PAGE }),
  },
];

/** Draft faults and the outcome each leads to (`fault`: the fail mode decides). */
const DRAFT_FAULTS = [
  { name: "no fault", client: {}, outcome: "sent" },
  { name: "recipient read fails", client: { faults: { "to.getAsync": "fail" } }, outcome: "fault" },
  { name: "recipient read hangs", client: { faults: { "cc.getAsync": "hang" } }, outcome: "fault" },
  { name: "body read hangs", client: { faults: { "body.getAsync": "hang" } }, outcome: "shown", title: "content" },
  {
    name: "attachment listing hangs",
    client: { faults: { getAttachmentsAsync: "hang" } },
    outcome: "shown",
    title: "content",
  },
  {
    name: "attachment content slower than its time limit",
    client: {
      attachments: [{ name: "offer.pdf", contentType: "application/pdf", contentBase64: PDF }],
      faults: { getAttachmentContentAsync: 3000 },
    },
    outcome: "shown",
    title: "content",
  },
  {
    name: "attachment too large to read (30 MB)",
    client: { attachments: [{ name: "video.mp4", contentType: "video/mp4", size: 30_000_000 }] },
    outcome: "shown",
    title: "content",
  },
  {
    name: "program attached as an inline picture",
    client: { attachments: [{ name: "logo.exe", isInline: true, contentBase64: PROGRAM }] },
    outcome: "blocked",
    title: "program",
  },
  {
    name: "attached mail (forward as attachment)",
    client: { attachments: [{ name: "Quarterly figures", attachmentType: "item", size: 48_000 }] },
    outcome: "shown",
    title: "content",
  },
  {
    name: "cloud attachment",
    client: { attachments: [{ name: "plan.docx", attachmentType: "cloud", size: 120_000 }] },
    outcome: "shown",
    title: "content",
  },
  {
    name: "contact group that cannot be expanded",
    client: { to: [...COLLEAGUES, { displayName: "All customers", recipientType: "distributionList" }] },
    outcome: "shown",
    title: "list",
  },
];

const ROWS = [];
for (const source of SOURCES) {
  for (const mode of ["fail-open", "fail-closed"]) {
    for (const fault of DRAFT_FAULTS) {
      const applied = source.modeFrom === "default" ? "fail-open" : mode;
      const outcome = fault.outcome === "fault" ? (applied === "fail-closed" ? "stopped" : "notice") : fault.outcome;
      ROWS.push({
        name: `${source.name} × ${mode} × ${fault.name} → ${outcome}`,
        source,
        mode,
        fault,
        outcome,
        scenario: {
          name: `${source.name} / ${mode} / ${fault.name}`,
          client: { to: COLLEAGUES, ...fault.client },
          ...source.setup(COMPANY[mode]),
        },
      });
    }
  }
}

let server;
let bundle;
const results = new Map();

before(async () => {
  assert.ok(existsSync(BUNDLE), BUNDLE + " is missing: run `cargo xtask test outlook`");
  bundle = readFileSync(BUNDLE, "utf8");
  server = await startPolicyServer();
  // Rows run side by side: most of them wait for a time limit.
  const queue = [...ROWS];
  const workers = Array.from({ length: 4 }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      results.set(row.name, await runScenario(row.scenario, server, bundle));
    }
  });
  await Promise.all(workers);
});

after(async () => {
  await server?.close();
});

test("the matrix covers every source × fail mode × draft fault", () => {
  assert.equal(ROWS.length, SOURCES.length * 2 * DRAFT_FAULTS.length);
  assert.equal(results.size, ROWS.length);
});

for (const row of ROWS) {
  test(row.name, () => {
    const result = results.get(row.name);
    assert.deepEqual(result.violations, [], "the answer is valid for the client");
    assert.equal(result.sends.length, 1);
    const { options, ms } = result.sends[0];
    assert.ok(ms < 4500, `answered in ${ms} ms`);
    const notice = result.notifications.sendguard;
    switch (row.outcome) {
      case "sent":
        assert.deepEqual(options, { allowEvent: true });
        assert.equal(notice, undefined, "no notice for a checked mail");
        break;
      case "notice":
        assert.deepEqual(options, { allowEvent: true });
        assert.match(notice?.message ?? "", /could not check this mail/);
        break;
      case "stopped":
        assert.equal(options.allowEvent, false);
        assert.ok(options.errorMessage.startsWith(CHECK_FAILED), options.errorMessage);
        break;
      case "shown":
      case "blocked":
        assert.equal(options.allowEvent, false);
        assert.ok(TITLE[row.fault.title], `the core catalogue has no title for ${row.fault.title}`);
        assert.ok(
          options.errorMessage.includes(TITLE[row.fault.title]),
          `"${TITLE[row.fault.title]}" not in: ${options.errorMessage}`,
        );
        break;
      default:
        assert.fail("unknown outcome " + row.outcome);
    }
    // The only request: the policy, and never over plain http to another machine.
    for (const url of result.fetched) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/[a-z0-9-]+\/policy\.json$/);
    if (row.scenario.policy === "insecure") assert.deepEqual(result.fetched, []);
    // Only a copy the checker accepted is ever saved; a good download replaces a bad copy.
    const saved = JSON.parse(result.storage["sendguard.policy"]);
    assert.notEqual(saved.text, POLICIES.badjson, "invalid JSON was saved");
    if (row.source.name === "bad copy already cached") {
      assert.equal(saved.text, POLICIES[row.scenario.policy], "the accepted download replaced the bad copy");
    } else {
      assert.notEqual(saved.text, HTML_PAGE, "a login page was saved");
    }
  });
}
