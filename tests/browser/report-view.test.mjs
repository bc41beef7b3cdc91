// The shared report view (dist/checker/report-view.mjs) in Debian's Chromium via
// playwright-core: a real block report from the wasm checker, keyboard only.
//
//   node --test tests/browser/report-view.test.mjs
//
// A small server on 127.0.0.1 serves dist/checker/ and a test page under a strict
// Content-Security-Policy. Every request the page makes is recorded; one that is not
// for this server fails the test (and is aborted). Screenshots: tests/artifacts/.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { assertAccessible } from "./visual.mjs";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const DIST = join(ROOT, "dist", "checker");
const ARTIFACTS = join(ROOT, "tests", "artifacts");
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'";
const TYPES = { ".html": "text/html; charset=utf-8", ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json" };

// 30 partners in Cc: blocks, offers move-to-bcc and the export.
const DRAFT = {
  from: { name: "Anna Admin", address: "anna@corp.example" },
  to: [{ address: "colleague@corp.example" }],
  cc: Array.from({ length: 30 }, (_, i) => ({ name: `Partner ${i}`, address: `info@partner${i}.example` })),
  subject: "Partner newsletter",
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>report view</title>
<link rel="stylesheet" href="/checker/report-view.css"></head>
<body><main id="report"></main><script type="module" src="/page.mjs"></script></body></html>`;

const SCRIPT = `
import { createChecker } from "/checker/sendguard-checker.mjs";
import { renderReport } from "/checker/report-view.mjs";
const params = new URLSearchParams(location.search);
const draft = ${JSON.stringify(DRAFT)};
const checker = await createChecker({});
window.fixes = [];
const report = checker.check(draft);
renderReport(document.getElementById("report"), report, {
  lang: params.get("lang") || "en",
  onFix: (action) => { window.fixes.push(action); },
  actions: [{ label: { en: "Back to the mail", de: "Zurück zur Mail" }, onSelect: () => { window.back = true; } }],
});
window.engine = checker.engine;
window.checker = checker;
window.renderReport = renderReport;
window.ready = true;
`;

let server;
let origin;
let browser;
const requests = [];

before(async () => {
  assert.ok(existsSync(join(DIST, "report-view.mjs")), "run `cargo xtask dist` first");
  server = createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const headers = { "Content-Security-Policy": CSP };
    if (url.pathname === "/") {
      response.writeHead(200, { ...headers, "Content-Type": TYPES[".html"] });
      return response.end(PAGE);
    }
    if (url.pathname === "/page.mjs") {
      response.writeHead(200, { ...headers, "Content-Type": TYPES[".mjs"] });
      return response.end(SCRIPT);
    }
    if (url.pathname.startsWith("/checker/")) {
      const path = normalize(join(DIST, decodeURIComponent(url.pathname.slice("/checker/".length))));
      if (path.startsWith(DIST + sep) && existsSync(path)) {
        response.writeHead(200, { ...headers, "Content-Type": TYPES[extname(path)] || "application/octet-stream" });
        return response.end(readFileSync(path));
      }
    }
    response.writeHead(404, headers);
    response.end();
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

async function openPage(lang, colorScheme = "light") {
  const page = await browser.newPage({ viewport: { width: 520, height: 900 }, colorScheme });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    return url.startsWith(origin + "/") ? route.continue() : route.abort();
  });
  await page.goto(`${origin}/?lang=${lang}`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 20_000 });
  return { page, errors };
}

test("a block report, keyboard only: move everyone to BCC", async () => {
  const { page, errors } = await openPage("en");
  assert.equal(await page.evaluate(() => window.engine), "wasm");
  const report = page.locator(".sg-report");
  assert.equal(await report.getAttribute("data-verdict"), "block");
  const live = page.locator(".sg-verdict");
  assert.equal(await live.getAttribute("aria-live"), "polite");
  assert.equal(await live.getAttribute("role"), "status");
  // The headline has focus, so a screen reader starts there.
  assert.equal(await page.evaluate(() => document.activeElement.className), "sg-headline");
  assert.match(await page.locator(".sg-headline").textContent(), /\S/);
  // Recipients are collapsed: 5 shown, a button for the rest.
  const visible = page.locator(".sg-finding.sg-severity-block").first();
  assert.equal(await visible.locator(".sg-recipient-list li").count(), 5);
  const toggle = visible.locator(".sg-toggle");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await toggle.textContent(), "Show all 30");

  // Tab to the toggle, open it with Enter.
  for (let i = 0; i < 10 && !(await toggle.evaluate((b) => b === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  assert.ok(await toggle.evaluate((b) => b === document.activeElement), "the toggle is reachable by Tab");
  await page.keyboard.press("Enter");
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.equal(await visible.locator(".sg-recipient-list li").count(), 30);

  // Tab on to "Move everyone to BCC" and press Space.
  const move = visible.locator("button.sg-fix", { hasText: "Move everyone to BCC" });
  assert.equal(await move.count(), 1);
  for (let i = 0; i < 10 && !(await move.evaluate((b) => b === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  assert.ok(await move.evaluate((b) => b === document.activeElement), "the fix is reachable by Tab");
  await page.keyboard.press("Space");
  assert.deepEqual(await page.evaluate(() => window.fixes), [{ kind: "move-to-bcc" }]);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "report-view-block-en.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("German from the catalogue", async () => {
  const { page, errors } = await openPage("de");
  assert.equal(await page.locator(".sg-report").getAttribute("lang"), "de");
  assert.equal(await page.locator(".sg-toggle").first().textContent(), "Alle 30 anzeigen");
  assert.equal(await page.locator("button.sg-fix", { hasText: "Alle in BCC verschieben" }).count(), 1);
  assert.equal(await page.locator("button.sg-action").textContent(), "Zurück zur Mail");
  await page.screenshot({ path: join(ARTIFACTS, "report-view-block-de.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("each thing once: no count line, no address listed twice, private mailboxes apart", async () => {
  const { page, errors } = await openPage("en");
  // The 30-Cc block: its 30 addresses appear once, under the block; no MailTip repeats them.
  assert.equal(await page.locator("#report .sg-summary").count(), 0);
  assert.deepEqual(
    await page.locator("#report .sg-finding").evaluateAll((items) => items.map((item) => item.dataset.rule)),
    ["visible-recipients"],
  );
  const shown = await page.evaluate(() => {
    const out = {};
    const render = (name, draft, lang) => {
      const box = document.createElement("div");
      document.body.append(box);
      window.renderReport(box, window.checker.check(draft), { lang, autofocus: false });
      out[name] = {
        text: box.textContent,
        rules: Array.from(box.querySelectorAll(".sg-finding")).map((item) => item.dataset.rule),
        messages: Array.from(box.querySelectorAll(".sg-message")).map((item) => item.textContent),
      };
    };
    const from = { address: "anna@corp.example" };
    // An .exe to a colleague: no "1 recipient, 0 of them external, at 0 organizations".
    render("exe", { from, to: [{ address: "bob@corp.example" }], attachments: [{ name: "setup.exe", size: 1000 }] }, "en");
    // 40 people at 12 firms and one private gmx address, in Bcc (a mailing).
    const bcc = Array.from({ length: 40 }, (_, i) => ({ address: `p${i}@firm${i % 12}.example` }));
    bcc.push({ address: "privat@gmx.de" });
    render("bcc-en", { from, to: [from], bcc }, "en");
    render("bcc-de", { from, to: [from], bcc }, "de");
    return out;
  });
  assert.deepEqual(shown.exe.rules, ["attachment-dangerous-type"]);
  assert.doesNotMatch(shown.exe.text, /external|organization|0 of them/);
  // The mailing's private mailbox is the one note; no MailTip counts it as an organization.
  assert.deepEqual(shown["bcc-en"].rules, ["freemail-recipient"]);
  assert.match(shown["bcc-en"].messages[0], /^One of the 41 recipients in Bcc uses a private mailbox \(gmx\.de\)\./);
  assert.match(shown["bcc-de"].messages[0], /^Einer der 41 Empfänger in Bcc hat ein privates Postfach \(gmx\.de\)\./);
  assert.doesNotMatch(shown["bcc-en"].text, /41 organizations/);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core, ${colorScheme}: the block report has no violations, the text is not pinned dark`, async () => {
    const { page, errors } = await openPage("en", colorScheme);
    // A host page in the same scheme: Chromium's Canvas is dark when the page opts in.
    await page.evaluate((scheme) => {
      document.documentElement.style.colorScheme = scheme;
      document.body.style.background = scheme === "dark" ? "#1f2024" : "#ffffff";
    }, colorScheme);
    // The harness page is the view alone (no page heading of its own).
    await assertAccessible(page, `report view (${colorScheme})`, { skip: ["page-has-heading-one"] });
    const text = await page.evaluate(() => getComputedStyle(document.querySelector(".sg-headline")).color);
    if (colorScheme === "dark") assert.notEqual(text, "rgb(27, 29, 33)", "headline still #1b1d21 in dark mode");
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("fix buttons name what they change; \"and send\" only where the host sends on a pass", async () => {
  const { page, errors } = await openPage("en");
  const labels = await page.evaluate(async () => {
    const { fixOutcome } = await import("/checker/host.mjs");
    const { describeOutcome } = await import("/checker/report-view.mjs");
    const draft = {
      from: { address: "anna@corp.example" },
      cc: [
        ...Array.from({ length: 30 }, (_, i) => ({ address: `info@partner${i}.example` })),
        { address: "jo@gmx.de" },
      ],
    };
    const report = window.checker.check(draft);
    const out = {};
    for (const sendsOnPass of [false, true]) {
      const box = document.createElement("div");
      document.body.append(box);
      window.renderReport(box, report, {
        lang: "en",
        autofocus: false,
        sendsOnPass,
        outcomeOf: (action) => fixOutcome(window.checker, draft, action),
      });
      out[sendsOnPass] = [...box.querySelectorAll("button.sg-fix")].map((b) => b.textContent);
    }
    const move = report.findings.flatMap((f) => f.fixes).find((f) => f.action.kind === "move-to-bcc").action;
    out.outcome = describeOutcome(fixOutcome(window.checker, draft, move), "de");
    return out;
  });
  // Without a host that sends, never "and send".
  assert.ok(labels.false.includes("Move 31 recipients to Bcc"), labels.false.join(" | "));
  assert.ok(labels.false.includes("Remove jo@gmx.de"), labels.false.join(" | "));
  assert.ok(!labels.false.some((label) => /and send/.test(label)));
  // Where the host sends on a pass: moving everyone to Bcc passes (a private mailbox in Bcc
  // is only a note), so that button sends; removing jo@gmx.de leaves the visible list
  // blocking, so that one does not.
  assert.ok(labels.true.includes("Move 31 recipients to Bcc and send"), labels.true.join(" | "));
  assert.ok(labels.true.includes("Remove jo@gmx.de"), labels.true.join(" | "));
  assert.equal(labels.outcome, "31 Empfänger in Bcc verschoben, Sie wurden in An eingetragen.");
  assert.deepEqual(errors, []);
  await page.close();
});

test("no request left the local test server", () => {
  assert.ok(requests.length > 0);
  const outside = requests.filter((url) => !url.startsWith(origin + "/"));
  assert.deepEqual(outside, []);
});
