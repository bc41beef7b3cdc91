// The task pane in Debian's Chromium (playwright-core), with the fake Office.js standing in
// for Microsoft's (the request for office.js is answered here and never reaches the network).
// dist/addin-outlook is served over HTTP on 127.0.0.1 at /outlook/ with the server's Outlook
// Content-Security-Policy, the policy at /policy.json. Every request the page makes is
// recorded: nothing may leave the origin, and the only request that is not one of the
// add-in's own files is the policy. Screenshots go to tests/artifacts/outlook/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, EIGHT_HUNDRED } from "./scenarios.mjs";
import { assertAccessible, assertScreenshot } from "../browser/visual.mjs";

const DIST = join(ROOT, "dist", "addin-outlook");
const ARTIFACTS = join(ROOT, "tests", "artifacts", "outlook");
const FAKE_OFFICE = readFileSync(join(ROOT, "tests/outlook/fake-office.cjs"), "utf8");
const OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
// The server's OUTLOOK_CSP (crates/sendguard-server/src/headers.rs).
const OUTLOOK_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://appsforoffice.microsoft.com; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self'; frame-src 'self' https://appsforoffice.microsoft.com; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'";
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
};
const POLICY = JSON.stringify({ newsletter_tool: { name: "CleverReach", url: "https://www.cleverreach.com/" } });
const SENDER = { displayName: "Anna Admin", emailAddress: "anna.admin@example.com" };

let server;
let origin;
let browser;

before(async () => {
  assert.ok(existsSync(join(DIST, "taskpane.html")), "dist/addin-outlook is missing: run `cargo xtask test outlook`");
  mkdirSync(ARTIFACTS, { recursive: true });
  server = createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const headers = { "Content-Security-Policy": OUTLOOK_CSP, "X-Content-Type-Options": "nosniff" };
    if (url.pathname === "/policy.json") {
      response.writeHead(200, { ...headers, "Content-Type": "application/json" });
      return response.end(POLICY);
    }
    if (url.pathname.startsWith("/outlook/")) {
      const path = normalize(join(DIST, decodeURIComponent(url.pathname.slice("/outlook/".length))));
      if (path.startsWith(DIST + sep) && existsSync(path) && statSync(path).isFile()) {
        response.writeHead(200, { ...headers, "Content-Type": TYPES[extname(path)] || "application/octet-stream" });
        return response.end(readFileSync(path));
      }
    }
    response.writeHead(404, headers);
    response.end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = "http://127.0.0.1:" + server.address().port;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens the task pane on a fake Outlook with `client` options; records every request. */
async function openPane(client, view = {}) {
  const { width = 420, height = 900, colorScheme = "light" } = view;
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push("console: " + message.text());
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url === OFFICE_JS) {
      return route.fulfill({
        contentType: "text/javascript",
        body: FAKE_OFFICE + "\nglobalThis.__fake = SendguardFakeOffice.create(globalThis.__FAKE_OPTIONS__);\n" +
          "globalThis.Office = __fake.Office;\nglobalThis.OfficeRuntime = __fake.OfficeRuntime;\n",
      });
    }
    if (url.startsWith(origin + "/")) return route.continue();
    return route.abort(); // never let anything else through; the assertion below names it
  });
  await page.addInitScript((options) => {
    globalThis.__FAKE_OPTIONS__ = options;
  }, Object.assign({ from: SENDER }, client));
  await page.goto(origin + "/outlook/taskpane.html");
  await page.waitForSelector("body[data-ready='true'], #status.error", { timeout: 30_000 });
  return { context, page, requests, problems };
}

function assertOnlyPolicyLeaves(requests) {
  for (const url of requests) {
    if (url === OFFICE_JS) continue; // answered by the test, never reached the network
    assert.ok(url.startsWith(origin + "/"), "request left the origin: " + url);
    const path = new URL(url).pathname;
    assert.ok(path === "/policy.json" || path.startsWith("/outlook/"), "unexpected request: " + url);
  }
  assert.equal(requests.filter((url) => url.endsWith("/policy.json")).length, 1, "the policy is fetched once");
}

async function fakeState(page) {
  return page.evaluate(() => ({
    to: __fake.state.to.map((r) => r.emailAddress),
    cc: __fake.state.cc.map((r) => r.emailAddress),
    bcc: __fake.state.bcc.map((r) => r.emailAddress),
    violations: __fake.violations,
    writes: __fake.log.filter((e) => /setAsync|addAsync/.test(e.call)),
  }));
}

test("800 partners in CC: the report, then Move everyone to BCC by keyboard writes the right lists", async () => {
  const { context, page, requests, problems } = await openPane({ cc: EIGHT_HUNDRED, mailbox: "1.15" });
  try {
    assert.equal(await page.getAttribute("body", "data-verdict"), "block");
    await page.screenshot({ path: join(ARTIFACTS, "taskpane-800-cc.png"), fullPage: true });
    // While the mail would be stopped: the way to the incident page on this add-in's server.
    const incident = page.locator("#incident-link");
    assert.equal(await incident.textContent(), "Sent by mistake? What now");
    assert.equal(await incident.getAttribute("href"), origin + "/incident.html");
    assert.ok(await incident.isVisible());
    // The button names what it does to whom; the pane never sends, so no "and send".
    const move = page.getByRole("button", { name: "Move 800 recipients to Bcc", exact: true });
    await move.waitFor();
    // Keyboard only: Tab through the pane until the fix button has focus, then Enter.
    let focused = false;
    for (let i = 0; i < 60 && !focused; i += 1) {
      await page.keyboard.press("Tab");
      focused = await move.evaluate((button) => document.activeElement === button);
    }
    assert.ok(focused, "the fix button is reachable with Tab");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.body.dataset.verdict === "pass" && !document.body.dataset.busy, null, { timeout: 30_000 });
    const state = await fakeState(page);
    assert.deepEqual(state.violations, []);
    assert.deepEqual(state.to, [SENDER.emailAddress], "the sender goes into To");
    assert.deepEqual(state.cc, []);
    assert.deepEqual([...state.bcc].sort(), EIGHT_HUNDRED.map((r) => r.emailAddress).sort(), "every partner in BCC, none lost");
    assert.ok(!(await incident.isVisible()), "a mail that passes needs no incident link");
    for (const write of state.writes) assert.ok(write.count <= 100, write.call + " with " + write.count);
    assert.ok(state.writes.filter((w) => w.call.startsWith("bcc.")).length >= 8, "BCC written in chunks");
    // After the fix: what happened, and that the mail may go now; the headline once only.
    assert.equal(
      await page.textContent("#status"),
      "800 recipients moved to Bcc, you were added to To. Nothing stops this mail any more: you can send it now.",
    );
    await page.screenshot({ path: join(ARTIFACTS, "taskpane-after-move-to-bcc.png"), fullPage: true });
    assert.equal(await page.getAttribute("#open-tool", "href"), "https://www.cleverreach.com/");
    assertOnlyPolicyLeaves(requests);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a look-alike of the sender's domain: the pane says what it resembles and Replace writes the intended address", async () => {
  const to = [
    { displayName: "Max Mustermann", emailAddress: "max@examp1e.com" },
    { displayName: "Bob Builder", emailAddress: "bob@example.com" },
  ];
  const { context, page, requests, problems } = await openPane({ to, mailbox: "1.15" });
  try {
    assert.equal(await page.getAttribute("body", "data-verdict"), "block");
    const finding = page.locator(".sg-finding[data-rule='lookalike-recipient']");
    assert.equal(
      (await finding.locator(".sg-message").textContent()).trim(),
      "examp1e.com looks like example.com, the sender's domain: 1 for l.",
    );
    await page.screenshot({ path: join(ARTIFACTS, "taskpane-lookalike.png"), fullPage: true });
    await finding.getByRole("button", { name: "Send to max@example.com instead" }).click();
    await page.waitForFunction(() => document.body.dataset.verdict === "pass" && !document.body.dataset.busy, null, { timeout: 30_000 });
    const state = await fakeState(page);
    assert.deepEqual(state.violations, []);
    assert.deepEqual(state.to, ["max@example.com", "bob@example.com"], "one out, one in, in its place");
    assert.deepEqual(state.cc, []);
    assert.deepEqual(state.bcc, []);
    const names = await page.evaluate(() => __fake.state.to.map((r) => r.displayName));
    assert.deepEqual(names, ["Max Mustermann", "Bob Builder"], "the display name is kept");
    assertOnlyPolicyLeaves(requests);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("classic Outlook on Windows: a BCC over 500 is refused before anything is written; export instead", async () => {
  const partners = EIGHT_HUNDRED.slice(0, 450);
  const earlier = EIGHT_HUNDRED.slice(450, 550);
  const { context, page, requests, problems } = await openPane({
    cc: partners,
    bcc: earlier,
    platform: "PC",
    mailbox: "1.13",
    displayLanguage: "de-DE",
  });
  try {
    assert.equal(await page.getAttribute("html", "lang"), "de");
    assert.equal((await page.textContent("#recheck")).trim(), "Erneut prüfen");
    await page.getByRole("button", { name: "450 Empfänger in Bcc verschieben", exact: true }).click();
    const limit = page.locator("#limit");
    await limit.waitFor({ state: "visible" });
    assert.match(await limit.textContent(), /höchstens 500 Empfänger.*550/s);
    const state = await fakeState(page);
    assert.deepEqual(state.writes, [], "nothing written");
    assert.equal(state.cc.length, 450);
    assert.equal(state.bcc.length, 100);
    await page.screenshot({ path: join(ARTIFACTS, "taskpane-classic-limit.png"), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#limit-export")]);
    assert.match(download.suggestedFilename(), /^recipients.*\.csv$/);
    const csv = readFileSync(await download.path(), "utf8");
    for (const partner of partners.slice(0, 5)) assert.ok(csv.includes(partner.emailAddress), partner.emailAddress);
    assertOnlyPolicyLeaves(requests);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a meeting: no Move to Bcc, no To and Cc, and the note says what works before anything is clicked", async () => {
  const { context, page, problems } = await openPane({ itemType: "appointment", to: EIGHT_HUNDRED.slice(0, 30), mailbox: "1.15" });
  try {
    assert.equal(await page.getAttribute("body", "data-verdict"), "block");
    assert.equal(await page.locator("#meeting-note").isVisible(), true);
    assert.match(await page.textContent("#meeting-note"), /meeting: invitations have no Bcc/);
    assert.equal(await page.locator("button.sg-fix[data-kind='move-to-bcc']").count(), 0, "no Move to Bcc for a meeting");
    const report = await page.textContent("#report");
    assert.doesNotMatch(report, /To and Cc/);
    assert.match(report, /All 30 external attendees of this meeting see each other's addresses/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a private address beside 40 partners: the headline once, and fixes named by what they change", async () => {
  const partners = EIGHT_HUNDRED.slice(0, 40);
  const { context, page, problems } = await openPane({ cc: [...partners, { displayName: "Jo", emailAddress: "jo@gmx.de" }], mailbox: "1.15" });
  try {
    const body = await page.textContent("body");
    assert.equal(body.split("Sending stopped").length - 1, 1, "“Sending stopped” once");
    assert.equal(await page.locator("#status").isVisible(), false, "no status line before anything happened");
    assert.equal(await page.locator("button.sg-fix[data-kind='move-to-bcc']").textContent(), "Move 41 recipients to Bcc");
    assert.equal(await page.locator("button.sg-fix[data-kind='remove-recipient']").textContent(), "Remove jo@gmx.de");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

for (const scheme of ["light", "dark"]) {
  for (const lang of ["en", "de"]) {
    test(`task pane at 348 px, ${scheme}, ${lang}: no axe violations; looks as reviewed`, async () => {
      const client = {
        cc: [...EIGHT_HUNDRED.slice(0, 20), { displayName: "Jo", emailAddress: "jo@gmx.de" }],
        mailbox: "1.15",
        displayLanguage: lang === "de" ? "de-DE" : "en-US",
        officeTheme: scheme,
      };
      const { context, page, problems } = await openPane(client, { width: 348, height: 760, colorScheme: scheme });
      try {
        assert.equal(await page.getAttribute("html", "data-theme"), scheme, "the theme comes from Office.context.officeTheme");
        await assertAccessible(page, `task pane ${scheme} ${lang}`);
        await assertScreenshot(browser, page, `outlook-taskpane-${scheme}-${lang}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
}
