// The Thunderbird dialog (dist/addin-thunderbird/dialog.html) in Debian's Chromium at the
// popup's size, talking to the REAL background logic (SendGuard with the real checker,
// running here in Node over the fake `messenger.*`): `messenger.runtime.sendMessage` in
// the page is bridged to `guard.handleMessage`. Light and dark, English and German:
// axe-core finds nothing, and the screenshots match the reviewed ones in tests/screenshots/.
//
//   cargo xtask test "thunderbird unit"

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { ADDON, dialogOpened, fakeMessenger, loadCatalogue, loadChecker, sessionOf } from "./fakes.mjs";
import { assertAccessible, assertScreenshot } from "../browser/visual.mjs";

const { SendGuard } = await import(new URL("lib/guard.mjs", ADDON));
const DIR = fileURLToPath(ADDON);
// The extension page's policy (manifest.json content_security_policy.extension_pages).
const CSP = "script-src 'self' 'wasm-unsafe-eval'";
const TYPES = { ".html": "text/html; charset=utf-8", ".mjs": "text/javascript", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm" };
const TAB = { id: 7 };
const SIZE = { width: 680, height: 620 }; // DIALOG_SIZE in lib/guard.mjs
const partners = (count) => Array.from({ length: count }, (_, i) => `Partner ${i} <info@partner${i}.example>`);

let server;
let origin;
let browser;

before(async () => {
  assert.ok(existsSync(new URL("dialog.html", ADDON)), "dist/addin-thunderbird is missing: run `cargo xtask test \"thunderbird unit\"`");
  server = createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const path = normalize(DIR + decodeURIComponent(url.pathname));
    if (path.startsWith(DIR) && existsSync(path) && statSync(path).isFile()) {
      response.writeHead(200, { "Content-Type": TYPES[extname(path)] || "application/octet-stream", "Content-Security-Policy": CSP });
      return response.end(readFileSync(path));
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--font-render-hinting=none"],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
});

/** A guard with the real checker; Send clicked on `details`; the dialog's page opened. */
async function openDialog({ lang = "en", scheme = "light", fields, attachments = [], managed }) {
  const messenger = fakeMessenger({ uiLanguage: lang === "de" ? "de-DE" : "en-US", attachments, managed });
  const guard = new SendGuard({
    messenger,
    loadCheckerModule: loadChecker,
    fetchText: async () => {
      if (managed) return "{}";
      throw new Error("no network in unit tests");
    },
    loadCatalogue,
    later: () => {},
  });
  const details = { from: "Anna <anna@example.com>", to: [], cc: [], bcc: [], subject: "S", plainTextBody: "B", ...fields };
  assert.deepEqual(await guard.onBeforeSend(TAB, details), { cancel: true });
  const [, options] = await dialogOpened(messenger);
  const session = sessionOf(options);
  const context = await browser.newContext({ viewport: SIZE, colorScheme: scheme, locale: lang === "de" ? "de-DE" : "en-US" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  await page.exposeFunction("sendguardBridge", (message) => guard.handleMessage(message));
  await page.addInitScript(() => {
    globalThis.messenger = { runtime: { sendMessage: (message) => globalThis.sendguardBridge(message) } };
  });
  await page.route("**/*", (route) => (route.request().url().startsWith(origin + "/") ? route.continue() : route.abort()));
  await page.goto(`${origin}/dialog.html?session=${encodeURIComponent(session)}`);
  await page.waitForSelector("html[data-state='ready']");
  return { page, context, messenger, problems };
}

test("40 partners and a macro document: the buttons say what they do, and a fix does not wave the warning through", async () => {
  const macro = { id: 1, name: "Kalkulation 2026.xlsm", file: new File([new Uint8Array(64)], "Kalkulation 2026.xlsm") };
  const { page, context, messenger, problems } = await openDialog({ fields: { cc: partners(40) }, attachments: [macro] });
  try {
    // One heading says it: the report's headline, no second "stopped" title.
    assert.equal(await page.locator("h1:visible").count(), 1);
    assert.equal(await page.locator("h1:visible").textContent(), "Sending stopped");
    const move = page.locator("button.sg-fix[data-kind='move-to-bcc']");
    // Moving to Bcc leaves the macro document's warning: the button does not say "and send".
    assert.equal(await move.textContent(), "Move 40 recipients to Bcc");
    await move.click();
    await page.waitForSelector("#status:not([hidden])");
    assert.equal(
      await page.locator("#status").textContent(),
      "40 recipients moved to Bcc, you were added to To. Not sent yet: please check what is left below.",
    );
    assert.equal(await page.evaluate(() => document.activeElement.id), "status", "focus moves to what happened");
    assert.equal(await page.locator(".sg-report").getAttribute("data-verdict"), "warn");
    assert.deepEqual(messenger.compose.sent, [], "nothing was sent");
    assert.equal(await page.locator("button[data-action='send-anyway']").count(), 1, "the user decides");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a private address alone: removing it leaves nothing to check, so its button says “and send”", async () => {
  const { page, context, problems } = await openDialog({ fields: { to: ["Bob <bob@example.com>", "Jo <jo@gmx.de>"] } });
  try {
    assert.equal(await page.locator("button.sg-fix[data-kind='remove-recipient']").textContent(), "Remove jo@gmx.de and send");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a required reason: the prompt sits at its box, and focus goes there", async () => {
  const messengerPolicy = { policy: { override: { allow_block: true, require_reason: true } } };
  // The managed policy comes through the fake's managed storage.
  const { page, context, problems } = await openDialogWithPolicy(messengerPolicy);
  try {
    const send = page.locator("button[data-action='send-anyway']");
    // The reason box comes right before the buttons it is for.
    assert.equal(
      await page.evaluate(() => document.getElementById("override").nextElementSibling?.className),
      "sg-actions",
    );
    await send.click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "reason");
    assert.equal(await page.locator("#reason-error").textContent(), "Please give a reason in this box before sending anyway.");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

async function openDialogWithPolicy(managed) {
  const messenger = fakeMessenger({ managed });
  const guard = new SendGuard({
    messenger,
    loadCheckerModule: loadChecker,
    fetchText: async () => {
      throw new Error("no network in unit tests");
    },
    loadCatalogue,
    later: () => {},
  });
  const details = { from: "Anna <anna@example.com>", to: [], cc: partners(40), bcc: [], subject: "S", plainTextBody: "B" };
  await guard.onBeforeSend(TAB, details);
  const [, options] = await dialogOpened(messenger);
  const context = await browser.newContext({ viewport: SIZE });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.exposeFunction("sendguardBridge", (message) => guard.handleMessage(message));
  await page.addInitScript(() => {
    globalThis.messenger = { runtime: { sendMessage: (message) => globalThis.sendguardBridge(message) } };
  });
  await page.goto(`${origin}/dialog.html?session=${encodeURIComponent(sessionOf(options))}`);
  await page.waitForSelector("html[data-state='ready']");
  return { page, context, problems };
}

for (const scheme of ["light", "dark"]) {
  for (const lang of ["en", "de"]) {
    test(`dialog, ${scheme}, ${lang}: no axe violations; looks as reviewed`, async () => {
      const { page, context, problems } = await openDialog({ lang, scheme, fields: { cc: [...partners(20), "Jo <jo@gmx.de>"] } });
      try {
        await assertAccessible(page, `dialog ${scheme} ${lang}`);
        await assertScreenshot(browser, page, `thunderbird-dialog-${scheme}-${lang}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
}

test("next to “Send anyway”: a “Sent by mistake? What now” link to the policy server's incident page", async () => {
  const { page, context, problems } = await openDialog({
    fields: { cc: partners(6) },
    managed: { policy_url: "https://sendguard.corp.example/policy.json" },
  });
  try {
    const link = page.locator("#incident-link");
    assert.equal(await link.textContent(), "Sent by mistake? What now");
    assert.equal(await link.getAttribute("href"), "https://sendguard.corp.example/incident.html");
    assert.equal(await page.locator("button[data-action='send-anyway']").count(), 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
