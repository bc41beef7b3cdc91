// Browser tests of the site (www/) in Debian's Chromium, driven by playwright-core.
//
//   node --test tests/browser/www.test.mjs
//
// The pages are served over HTTP on 127.0.0.1 by the real server (`sendguard serve
// --behind-proxy --listen 127.0.0.1:0`) once the binary has that command; before that by a
// small server here at the same paths: dist/www/ (the rendered site) at /, the checker package (dist/checker, from
// `cargo xtask dist`) at /checker/, the embedded default policy at /policy.json, with the
// site's Content-Security-Policy, so a page that needs anything else fails here too.
// SENDGUARD_CHECKER_DIR serves another checker build at /checker/ (with the small server);
// SENDGUARD_SERVE_ROOT gives the real server another --root; SENDGUARD_BIN names an
// already built `sendguard` (otherwise the test builds it). Every request the browser makes is
// recorded; one that leaves the origin fails the test (and is never let through).
// Screenshots go to tests/artifacts/www/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { assertAccessible, assertScreenshot } from "./visual.mjs";
import { chromium } from "playwright-core";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
// The rendered site (`cargo xtask dist` fills www/_layout.html with each page).
const WWW = join(ROOT, "dist", "www");
// The folder `sendguard serve --root` serves dist/ and www/ from.
const SERVE_ROOT = process.env.SENDGUARD_SERVE_ROOT ? resolve(process.env.SENDGUARD_SERVE_ROOT) : ROOT;
const CHECKER = process.env.SENDGUARD_CHECKER_DIR
  ? resolve(process.env.SENDGUARD_CHECKER_DIR)
  : join(SERVE_ROOT, "dist", "checker");
const ARTIFACTS = join(ROOT, "tests", "artifacts", "www");
const CHROMIUM = "/usr/bin/chromium";
// The server's SITE_CSP (crates/sendguard-server/src/headers.rs).
const SITE_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; " +
  "object-src 'none'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const MEDIA_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

let server; // the small server, or the real one's child process
let origin;
let browser;
let sendguard;
let defaultPolicy;

function build(args) {
  const result = spawnSync("cargo", args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  assert.equal(result.status, 0, `cargo ${args.join(" ")} failed`);
}

/** Serves a file from `dir` for the rest of a URL path, never outside `dir`. */
function fileIn(dir, rest) {
  const decoded = decodeURIComponent(rest);
  const path = normalize(join(dir, decoded));
  if (path !== dir && !path.startsWith(dir + sep)) return null;
  if (!existsSync(path)) return null;
  if (statSync(path).isDirectory()) {
    const index = join(path, "index.html");
    return existsSync(index) ? index : null;
  }
  return path;
}

function startServer() {
  return new Promise((resolveServer) => {
    const site = createServer((request, response) => {
      const url = new URL(request.url, "http://127.0.0.1");
      const headers = { "Content-Security-Policy": SITE_CSP, "X-Content-Type-Options": "nosniff" };
      if (url.pathname === "/policy.json") {
        response.writeHead(200, { ...headers, "Content-Type": "application/json" });
        response.end(defaultPolicy);
        return;
      }
      const path = url.pathname.startsWith("/checker/")
        ? fileIn(CHECKER, url.pathname.slice("/checker/".length))
        : fileIn(WWW, url.pathname.slice(1));
      if (!path) {
        response.writeHead(404, headers);
        response.end("not found");
        return;
      }
      const type = MEDIA_TYPES[extname(path)] ?? "application/octet-stream";
      response.writeHead(200, { ...headers, "Content-Type": type });
      response.end(readFileSync(path));
    });
    site.listen(0, "127.0.0.1", () => resolveServer(site));
  });
}

/** Starts `sendguard serve` on a free port and resolves with its origin. */
function startRealServer() {
  return new Promise((resolveServer, reject) => {
    const args = ["serve", "--behind-proxy", "--listen", "127.0.0.1:0", "--root", SERVE_ROOT];
    const child = spawn(sendguard, args, {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`sendguard serve printed no site URL within 30 s:\n${output}`));
    }, 30_000);
    const read = (chunk) => {
      output += chunk;
      // It prints the URLs for the name it was asked to bind (`localhost` for loopback).
      const match = output.match(/site and playground:\s+http:\/\/[^/\s]+:(\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolveServer({ child, origin: `http://127.0.0.1:${match[1]}` });
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sendguard serve exited with ${code}:\n${output}`));
    });
  });
}

function hasServeCommand() {
  return spawnSync(sendguard, ["serve", "--help"], { stdio: "ignore" }).status === 0;
}

before(async () => {
  assert.ok(
    existsSync(join(CHECKER, "sendguard-checker.mjs")),
    `${CHECKER}/sendguard-checker.mjs is missing: run \`cargo xtask dist\` first`,
  );
  if (process.env.SENDGUARD_BIN) {
    sendguard = resolve(process.env.SENDGUARD_BIN);
  } else {
    build(["build", "--quiet", "--locked", "-p", "sendguard"]);
    sendguard = join(ROOT, "target", "debug", "sendguard");
  }
  const policy = spawnSync(sendguard, ["policy", "default"], { encoding: "utf8" });
  assert.equal(policy.status, 0, policy.stderr);
  defaultPolicy = policy.stdout;
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!process.env.SENDGUARD_CHECKER_DIR && hasServeCommand()) {
    ({ child: server, origin } = await startRealServer());
  } else {
    server = await startServer();
    origin = `http://127.0.0.1:${server.address().port}`;
  }
  console.log(`pages served by ${server.kill ? "sendguard serve" : "the test's own server"} at ${origin}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

after(async () => {
  await browser?.close();
  if (server?.kill) {
    server.removeAllListeners("exit");
    server.kill("SIGTERM");
  } else {
    server?.close();
  }
});

/**
 * A fresh page that records every request and every console error; requests that
 * would leave the origin are aborted and reported by `checkRequests`.
 */
async function openPage({ lang = "en", colorScheme = "light", viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({
    viewport,
    colorScheme,
    locale: lang === "de" ? "de-DE" : "en-US",
    acceptDownloads: true,
  });
  const requests = [];
  const failures = [];
  const problems = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${origin}/`) || url.startsWith("blob:") || url.startsWith("data:")) {
      return route.continue();
    }
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("response", (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  const checkRequests = () => {
    const foreign = requests.filter(
      (url) => !url.startsWith(`${origin}/`) && !url.startsWith("blob:") && !url.startsWith("data:"),
    );
    assert.deepEqual(foreign, [], "requests left the origin");
    assert.deepEqual(failures, [], "same-origin requests failed");
    assert.deepEqual(problems, [], "the page logged errors (CSP violations show up here)");
    return requests;
  };
  return { context, page, checkRequests };
}

function screenshot(page, name) {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The incident sendguard was built for: a partner newsletter with 800 addresses in CC. */
function newsletterEml() {
  const cc = [];
  for (let index = 1; index <= 800; index += 1) {
    const number = String(index).padStart(3, "0");
    cc.push(`"Partner ${number}" <kontakt@partner${number}.example>`);
  }
  return [
    "From: Anna Admin <anna.admin@example.com>",
    "To: Anna Admin <anna.admin@example.com>",
    `Cc: ${cc.join(",\r\n ")}`,
    "Subject: Partner newsletter",
    "Date: Mon, 23 Nov 2026 09:00:00 +0100",
    "Message-ID: <newsletter-800@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Dear partners, here is our newsletter.",
    "",
  ].join("\r\n");
}

test("landing page and rollout docs render in both languages without foreign requests", async () => {
  const { context, page, checkRequests } = await openPage();
  for (const [path, name] of [
    ["/", "landing"],
    ["/docs/", "docs"],
    ["/docs/outlook.html", "docs-outlook"],
    ["/docs/thunderbird.html", "docs-thunderbird"],
  ]) {
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => document.querySelector("[data-set-lang='en'][aria-pressed='true']"));
    assert.ok((await page.locator("h1").textContent()).trim().length > 0);
    await screenshot(page, name);
  }
  await page.goto(`${origin}/`);
  await page.getByRole("button", { name: "DE", exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === "de");
  assert.match(await page.locator("h1").textContent(), /Adress/);
  await screenshot(page, "landing-de");
  await page.goto(`${origin}/docs/thunderbird.html`);
  // The choice is remembered, and the docs show the German prose only.
  await page.waitForFunction(() => document.documentElement.lang === "de");
  assert.equal(await page.locator("[data-lang='en']").isVisible(), false);
  assert.equal(await page.locator("[data-lang='de']").isVisible(), true);
  assert.match(await page.locator("pre").first().textContent(), new RegExp(`${origin}/sendguard-thunderbird.xpi`));
  checkRequests();
  await context.close();
});

test("rollout pages: copyable as they are (this server, the real add-on id, policy_url), the http warning, the screenshots", async () => {
  const { context, page, checkRequests } = await openPage();
  const manifest = JSON.parse(readFileSync(join(ROOT, "addin-thunderbird/manifest.json"), "utf8"));
  const addonId = manifest.browser_specific_settings.gecko.id;
  for (const lang of ["en", "de"]) {
    for (const path of ["/docs/", "/docs/outlook.html", "/docs/thunderbird.html"]) {
      await page.goto(`${origin}${path}`);
      if (lang === "de" && path === "/docs/") {
        await page.getByRole("button", { name: "DE", exact: true }).click();
      }
      await page.waitForFunction((want) => document.documentElement.lang === want, lang);
      const where = `${path} (${lang})`;
      const text = await page.locator("main").innerText();
      for (const placeholder of ["ADD-ON-ID", "{{", "}}", "sendguard.example.com", "managed settings…"]) {
        assert.ok(!text.includes(placeholder), `${where}: placeholder ${placeholder} left`);
      }
      const origins = await page.locator("[data-origin]").allTextContents();
      assert.ok(origins.every((shown) => shown === origin), `${where}: ${origins}`);
      // Served over http here: the warning that Outlook needs HTTPS is shown, with the fix.
      const warning = page.locator("[data-http-only]");
      assert.equal(await warning.isVisible(), true, `${where}: no http warning`);
      assert.match(await warning.innerText(), /HTTPS/);
      assert.match(await warning.innerText(), /--tls-cert/);
    }
  }
  // German is remembered; back to English for the checks of the copied text.
  await page.goto(`${origin}/docs/thunderbird.html`);
  await page.getByRole("button", { name: "EN", exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === "en");
  const copied = await page.locator("[data-lang='en'] code[data-copy='policies-json']").textContent();
  const policies = JSON.parse(copied);
  assert.deepEqual(Object.keys(policies.policies.ExtensionSettings), [addonId]);
  assert.equal(policies.policies.ExtensionSettings[addonId].installation_mode, "force_installed");
  const installUrl = policies.policies.ExtensionSettings[addonId].install_url;
  const policyUrl = policies.policies["3rdparty"].Extensions[addonId].policy_url;
  assert.equal(installUrl, `${origin}/sendguard-thunderbird.xpi`);
  assert.equal(policyUrl, `${origin}/policy.json`);
  assert.equal((await fetch(policyUrl)).status, 200, policyUrl);
  // The .xpi is built by the Thunderbird step, not this one: the server knows the path
  // (503 "not built" here, 200 once built), a wrong path would be 404.
  assert.ok([200, 503].includes((await fetch(installUrl)).status), installUrl);
  const shot = page.locator("[data-lang='en'] figure.shot img");
  await shot.scrollIntoViewIfNeeded();
  assert.ok(await shot.evaluate((img) => img.complete && img.naturalWidth === 680), "dialog screenshot loads");

  await page.goto(`${origin}/docs/outlook.html`);
  await page.waitForFunction(() => document.documentElement.lang === "en");
  const manifestUrl = await page.locator("[data-lang='en'] code[data-copy='manifest-url']").textContent();
  assert.equal(manifestUrl, `${origin}/manifest.xml`);
  const manifestXml = await (await fetch(manifestUrl)).text();
  assert.match(manifestXml, /SendMode="SoftBlock"/);
  const decision = await page.locator("[data-lang='en'] table.decision").innerText();
  assert.match(decision, /soft-block/);
  assert.match(decision, /Nothing can be sent/);
  assert.match(await page.locator("[data-lang='en']").innerText(), /--send-mode block/);
  const pane = page.locator("[data-lang='en'] figure.shot img");
  await pane.scrollIntoViewIfNeeded();
  assert.ok(await pane.evaluate((img) => img.complete && img.naturalWidth === 348), "task pane screenshot loads");
  checkRequests();
  await context.close();
});

test("playground: the 800-CC newsletter is blocked, Move everyone to BCC makes it pass", async () => {
  const { context, page, checkRequests } = await openPage();
  await page.goto(`${origin}/playground.html`);
  await page.locator("#draft-form[data-ready='true']").waitFor();
  // Dropped onto the drop zone, as a user drags it out of the mail client.
  await page.evaluate((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "partner-newsletter.eml", { type: "message/rfc822" }));
    document.getElementById("dropzone").dispatchEvent(
      new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }),
    );
  }, newsletterEml());
  await page.locator("#draft-form[data-verdict='block']").waitFor();
  assert.match(await page.locator("#cc-count").textContent(), /800/);
  await screenshot(page, "playground-block");

  // The export leaves the draft alone and downloads the visible recipients as CSV.
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#report").getByRole("button", { name: /Export the list/ }).first().click(),
  ]);
  const csvFile = join(ARTIFACTS, csv.suggestedFilename());
  await csv.saveAs(csvFile);
  assert.match(readFileSync(csvFile, "utf8"), /kontakt@partner800\.example/);
  assert.equal(await page.locator("#draft-form").getAttribute("data-verdict"), "block");

  await page.locator("#report").getByRole("button", { name: "Move 800 recipients to Bcc" }).click();
  await page.locator("#draft-form[data-verdict='pass']").waitFor();
  assert.equal((await page.locator("#cc").inputValue()).trim(), "");
  assert.match(await page.locator("#bcc-count").textContent(), /800/);
  assert.match(await page.locator("#bcc").inputValue(), /kontakt@partner800\.example/);
  await screenshot(page, "playground-pass");

  // The same file through the file chooser.
  await page.locator("#eml-file").setInputFiles({
    name: "partner-newsletter.eml",
    mimeType: "message/rfc822",
    buffer: Buffer.from(newsletterEml()),
  });
  await page.locator("#draft-form[data-verdict='block']").waitFor();

  // Pasted recipients, as Outlook copies them: five partner organizations warn.
  await page.locator("#clear").click();
  await page.locator("#cc").fill(
    "Müller, Hans <hans@alpha.example>; b@bravo.example; c@charlie.example;\nd@delta.example; e@echo.example",
  );
  await page.locator("#draft-form[data-verdict='warn']").waitFor();
  assert.match(await page.locator("#cc-count").textContent(), /5/);
  await page.getByRole("button", { name: "DE", exact: true }).click();
  await page.locator("#report").getByRole("button", { name: "5 Empfänger in Bcc verschieben" }).waitFor();
  await screenshot(page, "playground-warn-de");
  checkRequests();
  await context.close();
});

test("playground: pasted pieces that are not addresses are named; pasting loads no .eml parser", async () => {
  const { context, page, checkRequests } = await openPage();
  await page.goto(`${origin}/playground.html`);
  await page.locator("#draft-form[data-ready='true']").waitFor();
  await page.locator("#cc").fill('"Doe, Jane" <jane@gmail.com>; Bob Example\nbob@web.de');
  await page.locator("#draft-form[data-verdict='warn']").waitFor();
  assert.match(await page.locator("#cc-count").textContent(), /2/);
  await page.waitForFunction(() => /Bob Example/.test(document.getElementById("status").textContent));
  assert.match(await page.locator("#status").getAttribute("class"), /error/);
  const requests = checkRequests();
  assert.ok(requests.some((url) => url.endsWith("/checker/sendguard-checker.mjs")));
  assert.ok(!requests.some((url) => url.includes("sendguard-checker-site")), "the .eml module loads only for a file");
  await context.close();
});

test("policy editor: the checker's words next to their field; raw edits survive a touched field", async () => {
  const { context, page, checkRequests } = await openPage();
  await page.goto(`${origin}/policy.html`);
  await page.locator("#policy-form[data-ready='true']").waitFor();
  await page.locator("#policy-form[data-valid='true']").waitFor();

  // A trailing comma: the checker's wording and place, not the browser's JSON.parse
  // message, and the form is locked so that touching it cannot replace the text.
  const trailing = '{\n  "internal_domains": ["a.example",]\n}\n';
  await page.locator("#raw-json").fill(trailing);
  await page.locator("#policy-form[data-valid='false']").waitFor();
  await page.locator("#policy-form[data-locked='true']").waitFor();
  const said = await page.locator("#validation").textContent();
  assert.match(said, /Line 2, column 35: trailing comma/);
  assert.doesNotMatch(said, /JSON\.parse|Unexpected token|double-quoted/);
  assert.equal(await page.locator("#policy-visible_recipients-warn_parties").isDisabled(), true);
  assert.equal(await page.locator("#raw-json").inputValue(), trailing);

  // JSON the form can read but the checker refuses (a key the form has no field for):
  // touching a field changes that key and keeps everything else the text says.
  await page.locator("#raw-json").fill('{\n  "name": "ACME",\n  "x_custom": 1\n}\n');
  await page.locator("#policy-form[data-locked='false']").waitFor();
  await page.locator("#policy-form[data-valid='false']").waitFor();
  assert.equal(await page.locator("#policy-name").inputValue(), "ACME");
  await page.locator("#policy-visible_recipients-warn_parties").fill("7");
  await page.waitForFunction(() => document.getElementById("raw-json").value.includes("warn_parties"));
  assert.deepEqual(JSON.parse(await page.locator("#raw-json").inputValue()), {
    name: "ACME",
    x_custom: 1,
    visible_recipients: { warn_parties: 7 },
  });

  // The error stands under the field it is about, and only that field is marked.
  await page.locator("#raw-json").fill('{"internal_domains": ["example.com", "co.uk"]}');
  const note = page.locator("#policy-internal_domains-error");
  await note.waitFor();
  assert.match(await note.textContent(), /`co\.uk` is a public suffix/);
  assert.equal(await page.locator("#policy-internal_domains").getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#policy-internal_domains").getAttribute("aria-describedby"), /policy-internal_domains-error/);
  assert.equal(await page.locator("#policy-form [aria-invalid='true']").count(), 1);

  // A typo'd key has no field: its message goes to the section it names.
  await page.locator("#raw-json").fill('{"visible_recipients": {"warn_partys": 3}}');
  await page.locator("#policy-visible_recipients-error").waitFor();
  assert.equal(await page.locator("#policy-internal_domains-error").count(), 0);
  await screenshot(page, "policy-field-error");
  checkRequests();
  await context.close();
});

test("policy editor: no choice is cut off and nothing scrolls sideways, on a desktop and a phone", async () => {
  const problems = [];
  for (const lang of ["en", "de"]) {
    for (const width of [1280, 360]) {
      const { context, page, checkRequests } = await openPage({ lang, viewport: { width, height: 800 } });
      await page.goto(`${origin}/policy.html`);
      await page.locator("#policy-form[data-ready='true']").waitFor();
      const found = await page.evaluate(() => {
        const found = [];
        for (const select of document.querySelectorAll("#policy-form select")) {
          // The same select unconstrained is as wide as its longest choice needs.
          const free = select.cloneNode(true);
          free.style.cssText = "position: absolute; visibility: hidden; width: auto; max-width: none";
          select.parentElement.append(free);
          const needed = free.getBoundingClientRect().width;
          free.remove();
          const has = select.getBoundingClientRect().width;
          if (has + 0.5 < needed) {
            const longest = [...select.options].map((option) => option.text).sort((a, b) => b.length - a.length)[0];
            found.push(`${select.id}: "${longest}" needs ${Math.ceil(needed)} px, has ${Math.floor(has)}`);
          }
        }
        const page = document.documentElement;
        if (page.scrollWidth > page.clientWidth) {
          // Name the innermost elements that stick out, to say what to fix.
          const out = [...document.body.querySelectorAll("*")].filter((element) => element.getBoundingClientRect().right > page.clientWidth + 0.5);
          const spilling = [...document.body.querySelectorAll("*")].filter((element) => element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX === "visible");
          const innermost = [...out, ...spilling].filter((element, index, all) => !all.some((other) => other !== element && element.contains(other)));
          const names = innermost.slice(0, 3).map((element) => `${element.localName}${element.id ? `#${element.id}` : ""} "${element.textContent.trim().slice(0, 40)}"`);
          found.push(`the page is ${page.scrollWidth} px wide in a ${page.clientWidth} px window: ${names.join(", ")}`);
        }
        return found;
      });
      assert.ok((await page.locator("#policy-form select").count()) > 5, "the form has its selects");
      problems.push(...found.map((problem) => `${lang}, ${width} px: ${problem}`));
      if (width === 1280) {
        // Every rule is named by its title in the page's language, not by its id.
        const labels = (await page.locator("#policy-severity label").allTextContents()).map((text) => text.trim());
        assert.ok(labels.length >= 16, labels.join(" | "));
        assert.deepEqual(labels.filter((text) => /^[a-z]+(-[a-z]+)+$/.test(text)), [], `${lang}: rule ids as labels`);
        assert.ok(labels.includes(lang === "de" ? "Verwechselbare Domain" : "Look-alike domain"), labels.join(" | "));
      }
      if (width === 360) await screenshot(page, `policy-${lang}-narrow`);
      checkRequests();
      await context.close();
    }
  }
  assert.deepEqual(problems, []);
});

test("policy editor: a typo'd key is refused by name; the download passes `sendguard policy check`", async () => {
  const { context, page, checkRequests } = await openPage();
  await page.goto(`${origin}/policy.html`);
  await page.locator("#policy-form[data-ready='true']").waitFor();
  await page.locator("#policy-form[data-valid='true']").waitFor();

  await page.locator("#raw-json").fill('{\n  "visible_recipients": {\n    "warn_partys": 3\n  }\n}\n');
  await page.locator("#policy-form[data-valid='false']").waitFor();
  assert.match(await page.locator("#validation").textContent(), /warn_partys/);
  assert.equal(await page.locator("#download").isDisabled(), true);
  await screenshot(page, "policy-typo");

  // Thresholds that contradict each other: refused, and the field is marked.
  await page.locator("#reset").click();
  await page.locator("#policy-visible_recipients-warn_parties").fill("10");
  await page.locator("#policy-visible_recipients-block_parties").fill("3");
  await page.locator("#policy-form[data-valid='false']").waitFor();
  assert.match(await page.locator("#validation").textContent(), /block_parties/);
  assert.equal(
    await page.locator("#policy-visible_recipients-block_parties").getAttribute("aria-invalid"),
    "true",
  );

  await page.locator("#reset").click();
  await page.locator("#policy-internal_domains").fill("example.com\nexample.de");
  await page.locator("#policy-trusted_domains").fill("partner.example");
  await page.locator("#policy-visible_recipients-warn_parties").fill("3");
  await page.locator("#policy-severity-freemail-recipient").selectOption("block");
  await page.locator("#policy-newsletter_tool-name").fill("CleverReach");
  await page.locator("#policy-newsletter_tool-url").fill("https://www.cleverreach.com/");
  await page.locator("#policy-on_checker_error").selectOption("fail-closed");
  await page.locator("#policy-form[data-valid='true']").waitFor();
  const written = JSON.parse(await page.locator("#raw-json").inputValue());
  assert.deepEqual(written.internal_domains, ["example.com", "example.de"]);
  assert.equal(written.visible_recipients.warn_parties, 3);
  assert.equal(written.severity["freemail-recipient"], "block");
  assert.equal(written.on_checker_error, "fail-closed");
  await screenshot(page, "policy-valid");

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
  assert.equal(download.suggestedFilename(), "policy.json");
  const file = join(ARTIFACTS, "policy.json");
  await download.saveAs(file);
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), written);
  const check = spawnSync(sendguard, ["policy", "check", file], { encoding: "utf8" });
  assert.equal(check.status, 0, `sendguard policy check refused the download:\n${check.stderr}`);

  // The same file with the typo is refused by the CLI too: the two agree.
  const typo = join(ARTIFACTS, "policy-typo.json");
  writeFileSync(typo, '{"visible_recipients": {"warn_partys": 3}}\n');
  const refused = spawnSync(sendguard, ["policy", "check", typo], { encoding: "utf8" });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /warn_partys/);
  checkRequests();
  await context.close();
});

/** Drops `bytes` as a file named `name` onto the playground's drop zone. */
async function dropFile(page, name, bytes) {
  await page.evaluate(
    ({ name: fileName, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], fileName));
      document.getElementById("dropzone").dispatchEvent(
        new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    },
    { name, data: [...bytes] },
  );
}

test("playground: what is not a mail is refused with the reason, never called clean", async () => {
  const { context, page, checkRequests } = await openPage();
  await page.goto(`${origin}/playground.html`);
  await page.locator("#draft-form[data-ready='true']").waitFor();
  // Nothing entered: no green "may be sent".
  assert.equal(await page.locator("#status").getAttribute("class"), "status info");
  assert.match(await page.locator("#status").textContent(), /Nothing to check yet/);
  assert.equal(await page.locator("#draft-form").getAttribute("data-verdict"), null);
  assert.equal(await page.locator("#report .sg-report").count(), 0);
  const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60, 1)]);
  const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
  const random = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256));
  const cases = [
    ["quarterly.xlsx", zip, /quarterly\.xlsx is a ZIP archive or an Office document/],
    ["Re: offer.msg", cfb, /Re: offer\.msg is an Office compound file but could not be read as an Outlook message.*at byte/],
    ["noise.eml", random, /noise\.eml holds binary data, not a mail/],
    ["empty.eml", Buffer.alloc(0), /empty\.eml is empty/],
    ["notes.eml", Buffer.from("Hallo zusammen,\n\nanbei die Unterlagen.\n"), /notes\.eml does not start with mail headers/],
  ];
  for (const [name, bytes, message] of cases) {
    // A real mail first, so a refusal must also take its report away.
    await dropFile(page, "newsletter.eml", Buffer.from(newsletterEml()));
    await page.locator("#draft-form[data-verdict='block']").waitFor();
    await dropFile(page, name, bytes);
    await page.locator("#draft-form[data-refused='true']").waitFor();
    assert.equal(await page.locator("#status").getAttribute("class"), "status error", name);
    assert.match(await page.locator("#status").textContent(), message, name);
    assert.equal(await page.locator("#draft-form").getAttribute("data-verdict"), null, name);
    assert.equal(await page.locator("#report .sg-report").count(), 0, `${name}: no report`);
  }
  checkRequests();
  await context.close();
});

test("playground: an Outlook .msg is read like its .eml twin (recipients, attachments, verdict)", async () => {
  const { context, page, checkRequests } = await openPage();
  await page.goto(`${origin}/playground.html`);
  await page.locator("#draft-form[data-ready='true']").waitFor();
  const corpus = new URL("../msg-oracle/corpus/", import.meta.url);
  // Two pairs from the public corpus (tests/msg-oracle/SOURCES.md); the .msg is named
  // .dat: its first bytes decide, not its name.
  for (const name of ["plain_jpeg_attached", "charset"]) {
    const seen = {};
    for (const [file, ext] of [[`${name}.dat`, "msg"], [`${name}.eml`, "eml"]]) {
      const bytes = readFileSync(new URL(`email-outlook-message/${name}.${ext}`, corpus));
      await dropFile(page, "newsletter.eml", Buffer.from(newsletterEml()));
      await page.locator("#draft-form[data-verdict='block']").waitFor();
      await dropFile(page, file, bytes);
      await page.waitForFunction(() => {
        const form = document.getElementById("draft-form");
        return form.dataset.verdict && form.dataset.verdict !== "block" && !form.dataset.refused;
      });
      seen[ext] = await page.evaluate(() => ({
        to: document.getElementById("to").value,
        cc: document.getElementById("cc").value,
        bcc: document.getElementById("bcc").value,
        verdict: document.getElementById("draft-form").dataset.verdict,
        report: document.querySelector("#report .sg-report")?.textContent,
      }));
    }
    assert.deepEqual(seen.msg, seen.eml, name);
    assert.match(seen.msg.to, /@/, `${name}: the recipients are shown`);
  }
  checkRequests();
  await context.close();
});

test("incident page: the same register entry as `sendguard incident`, nothing leaves the browser", async () => {
  const { context, page, checkRequests } = await openPage();
  const requests = [];
  page.on("request", (request) => requests.push({ method: request.method(), url: request.url(), body: request.postData() }));
  await page.goto(`${origin}/incident.html`);
  await page.locator("#incident-form[data-ready='true']").waitFor();
  await page.locator("#noticed").fill("2026-12-01T09:00");
  await page.locator("#noticed").dispatchEvent("change");
  const eml = newsletterEml();
  await dropFile(page, "newsletter.eml", Buffer.from(eml));
  await page.locator("#incident-form[data-risk]").waitFor();
  const noticed = await page.locator("#incident-form").getAttribute("data-noticed");
  assert.match(noticed, /^2026-12-01T\d\d:00:00Z$/);
  const shown = JSON.parse(await page.locator("#paper-register-json .paper-text").textContent());
  const file = join(ARTIFACTS, "incident-newsletter.eml");
  writeFileSync(file, eml);
  const cli = spawnSync(sendguard, ["incident", "--noticed", noticed, "--format", "json", file], { encoding: "utf8" });
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(shown, JSON.parse(cli.stdout), "the page and the CLI disagree on the register entry");
  assert.equal(shown.recipients.disclosed_addresses, 800);
  assert.equal(await page.locator("#incident-form").getAttribute("data-risk"), "medium");
  assert.match(await page.locator("#status").textContent(), /notified within 72 hours/);
  // The follow-up mail: all 800 in Bcc, none visible.
  const recall = await page.locator("#paper-recall .paper-text").textContent();
  assert.match(recall, /^Bcc: kontakt@partner001\.example,$/m);
  assert.equal((recall.match(/kontakt@partner\d{3}\.example/g) ?? []).length, 800);
  assert.doesNotMatch(recall, /^(To|Cc):.*partner/m);
  // Downloads come from the page itself (a blob), not from a server.
  await page.locator("#paper-register-json summary").click();
  const [saved] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#paper-register-json button", { hasText: "register.json" }).click(),
  ]);
  assert.equal(saved.suggestedFilename(), "register.json");
  assert.deepEqual(JSON.parse(readFileSync(await saved.path(), "utf8")), shown);
  // German papers from the same core after the switch.
  await page.getByRole("button", { name: "DE" }).click();
  await page.waitForFunction(() => /Aufsichtsbehörde/.test(document.getElementById("status").textContent));
  assert.match(await page.locator("#paper-authority .paper-text").textContent(), /Art\. 33 Abs\. 3 lit\. a/);
  // The network log: only the page's own files, fetched with GET, no body.
  checkRequests();
  const own = requests.filter((r) => !r.url.startsWith("blob:"));
  assert.ok(own.length > 0);
  for (const request of own) {
    assert.equal(request.method, "GET", request.url);
    assert.equal(request.body, null, request.url);
    assert.match(new URL(request.url).pathname, /^\/(incident\.html|[\w/.-]+\.(mjs|css|json|svg|wasm))$/, request.url);
    assert.ok(!new URL(request.url).pathname.endsWith("policy.json"), "the incident page needs no policy");
  }
  await context.close();
});

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core, ${colorScheme}: the incident page empty and with papers, 0 violations`, async () => {
    const { context, page, checkRequests } = await openPage({ colorScheme });
    await page.goto(`${origin}/incident.html`);
    await page.locator("#incident-form[data-ready='true']").waitFor();
    await assertAccessible(page, `/incident.html empty (${colorScheme})`);
    await dropFile(page, "newsletter.eml", Buffer.from(newsletterEml()));
    await page.locator("#incident-form[data-risk]").waitFor();
    await page.locator("#paper-recall summary").click();
    await assertAccessible(page, `/incident.html assessed (${colorScheme})`);
    checkRequests();
    await context.close();
  });
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core, ${colorScheme}: every page and the report view, 0 violations`, async () => {
    const { context, page, checkRequests } = await openPage({ colorScheme });
    for (const path of ["/", "/docs/", "/docs/outlook.html", "/docs/thunderbird.html", "/policy.html"]) {
      await page.goto(`${origin}${path}`);
      await page.waitForFunction(() => document.querySelector("[data-set-lang='en'][aria-pressed='true']"));
      await assertAccessible(page, `${path} (${colorScheme})`);
    }
    await page.goto(`${origin}/playground.html`);
    await page.locator("#draft-form[data-ready='true']").waitFor();
    await assertAccessible(page, `/playground.html empty (${colorScheme})`);
    await dropFile(page, "newsletter.eml", Buffer.from(newsletterEml()));
    await page.locator("#draft-form[data-verdict='block']").waitFor();
    await assertAccessible(page, `/playground.html block report (${colorScheme})`);
    checkRequests();
    await context.close();
  });

  for (const lang of ["en", "de"]) {
    test(`playground report, ${colorScheme}, ${lang}: looks as reviewed`, async () => {
      const { context, page, checkRequests } = await openPage({ lang, colorScheme, viewport: { width: 1100, height: 900 } });
      await page.goto(`${origin}/playground.html`);
      await page.locator("#draft-form[data-ready='true']").waitFor();
      if (lang === "de") {
        await page.getByRole("button", { name: "DE", exact: true }).click();
        await page.waitForFunction(() => document.documentElement.lang === "de");
      }
      await page.locator("#cc").fill("Müller, Hans <hans@alpha.example>; b@bravo.example; c@charlie.example;\nd@delta.example; jo@gmx.de");
      await page.locator("#draft-form[data-verdict='warn']").waitFor();
      await page.evaluate(() => document.activeElement?.blur());
      await assertScreenshot(browser, page, `playground-${colorScheme}-${lang}`, { locator: page.locator(".report-panel") });
      checkRequests();
      await context.close();
    });
  }
}
