// The fault matrix of the Thunderbird add-on: every way IT's policy URL can go wrong × the
// company's fail mode × every way reading the mail can go wrong, against the built add-on
// (dist/addin-thunderbird) with the real checker package, a real policy server on
// 127.0.0.1 and a fake Thunderbird that injects the faults. Expected outcomes:
//
//   sent       onBeforeSend lets the mail go, no notice
//   notice     it goes, with a notification that it went unchecked (fail-open)
//   stopped    cancelled; the dialog says the check failed (fail-closed)
//   shown      cancelled; the dialog's report names what could not be checked
//   reported   cancelled by an ordinary finding (a program, a large file)
//
// The same table, in words, is in addin-thunderbird/README.md ("What happens when …").

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";

import { ADDON, dialogOpened, fakeMessenger, loadCatalogue, loadChecker, sessionOf } from "./fakes.mjs";

const { SendGuard } = await import(new URL("lib/guard.mjs", ADDON));
const { fetchPolicyText, POLICY_CACHE_KEY } = await import(new URL("lib/policy.mjs", ADDON));
const { CONTENT_LIMITS } = await import(new URL("checker/host.mjs", ADDON));

const TAB = { id: 3 };
const HTML_PAGE = "<html><body>Please log in to the hotel Wi-Fi</body></html>";
const POLICY = {
  "fail-open": JSON.stringify({ on_checker_error: "fail-open" }),
  "fail-closed": JSON.stringify({ on_checker_error: "fail-closed" }),
};
const FETCH_TIMEOUT_MS = 5000; // generous: this machine may be busy; "slow" answers after 3×

let server;
let origin;
const requests = [];

/** IT's policy server: /<answer>/<mode>/policy.json. */
function startServer() {
  return new Promise((resolve) => {
    const sockets = new Set();
    const http = createServer((req, res) => {
      requests.push(req.url);
      const [, answer, mode] = req.url.split("/");
      const send = (status, type, body) => {
        // No keep-alive: a reused socket the server is closing would fail a fetch at random.
        if (!res.destroyed) res.writeHead(status, { "Content-Type": type, Connection: "close" }).end(body);
      };
      if (answer === "ok") return send(200, "application/json", POLICY[mode]);
      if (answer === "html") return send(200, "text/html", HTML_PAGE);
      if (answer === "error500") return send(500, "text/plain", "boom");
      if (answer === "badjson") return send(200, "application/json", '{ "on_checker_error": ');
      if (answer === "slow") {
        setTimeout(() => send(200, "application/json", POLICY[mode]), FETCH_TIMEOUT_MS * 3).unref();
        return;
      }
      send(404, "text/plain", "no");
    });
    http.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    http.listen(0, "127.0.0.1", () => {
      const close = () => {
        for (const socket of sockets) socket.destroy();
        return new Promise((done) => http.close(done));
      };
      resolve({ port: http.address().port, close });
    });
  });
}

/** A port nobody listens on. */
function closedPort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

let unreachable;

/**
 * Policy sources: the policy URL IT set and what is cached from before. `cached` is a
 * copy the checker accepted an hour ago (so the URL is asked again); `modeFrom` says
 * whose fail mode applies when the check fails.
 */
const SOURCES = [
  { name: "unreachable", url: () => `${unreachable}/ok/MODE/policy.json`, cached: "good" },
  { name: "slow (answers after the time limit)", url: () => `${origin}/slow/MODE/policy.json`, cached: "good" },
  { name: "HTML page with 200", url: () => `${origin}/html/MODE/policy.json`, cached: "good" },
  { name: "HTTP 500", url: () => `${origin}/error500/MODE/policy.json`, cached: "good" },
  { name: "invalid JSON", url: () => `${origin}/badjson/MODE/policy.json`, cached: "good" },
  {
    // Never fetched, and a copy saved from it is not trusted: the default (fail-open) applies.
    name: "valid policy over plain http://",
    url: () => "http://policy.intranet.example/ok/MODE/policy.json",
    cached: "good",
    modeFrom: "default",
  },
  {
    // An older add-on saved a login page a minute ago; the server now answers properly.
    name: "bad copy already cached",
    url: () => `${origin}/ok/MODE/policy.json`,
    cached: "bad",
  },
];

const COLLEAGUES = ["Bob <bob@example.com>", "Carol <carol@example.com>"];
const file = (bytes, type = "application/octet-stream") => new Blob([bytes], { type });
const MZ = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]);

/** Mail faults and the outcome each leads to (`fault`: the fail mode decides). */
const DRAFT_FAULTS = [
  { name: "no fault", outcome: "sent" },
  { name: "reading the mail fails", details: null, faults: { getComposeDetails: "fail" }, outcome: "fault" },
  { name: "reading the mail hangs", details: null, faults: { getComposeDetails: "hang" }, outcome: "fault" },
  { name: "attachment listing hangs", faults: { listAttachments: "hang" }, outcome: "shown", rule: "content-not-inspected" },
  {
    name: "attachment content slower than its time limit",
    attachments: [{ id: 1, name: "offer.pdf", file: file(new Uint8Array(100), "application/pdf") }],
    faults: { getAttachmentFile: 3500 },
    outcome: "shown",
    rule: "content-not-inspected",
  },
  {
    name: "cloud attachment without a local file",
    attachments: [{ id: 1, name: "plan.docx", size: 120_000 }],
    outcome: "shown",
    rule: "content-not-inspected",
  },
  {
    name: "more content than the total budget",
    attachments: Array.from({ length: CONTENT_LIMITS.totalBytes / CONTENT_LIMITS.perFileBytes + 1 }, (_, i) => ({
      id: i + 1,
      name: `scan-${i}.pdf`,
      file: file(new Uint8Array(CONTENT_LIMITS.perFileBytes), "application/pdf"),
    })),
    outcome: "shown",
    rule: "content-not-inspected",
  },
  {
    name: "program under a harmless name",
    attachments: [{ id: 1, name: "report.pdf", file: file(MZ) }],
    outcome: "reported",
    rule: "attachment-dangerous-type",
  },
  {
    name: "mailing list whose members cannot be read",
    to: ["Customers <Customers>"],
    books: [{ id: "b1", mailingLists: [{ id: "l1", name: "Customers" }] }],
    faults: { listMembers: "fail" },
    outcome: "shown",
    rule: "list-not-expanded",
  },
  {
    name: "address books that cannot be opened",
    to: ["Customers <Customers>"],
    faults: { "addressBooks.list": "hang" },
    outcome: "shown",
    rule: "list-not-expanded",
  },
];

const ROWS = [];
for (const source of SOURCES) {
  for (const mode of ["fail-open", "fail-closed"]) {
    for (const fault of DRAFT_FAULTS) {
      const applied = source.modeFrom === "default" ? "fail-open" : mode;
      const outcome = fault.outcome === "fault" ? (applied === "fail-closed" ? "stopped" : "notice") : fault.outcome;
      ROWS.push({ name: `${source.name} × ${mode} × ${fault.name} → ${outcome}`, source, mode, fault, outcome });
    }
  }
}

const results = new Map();

async function runRow(row) {
  const url = row.source.url().replace("MODE", row.mode);
  const messenger = fakeMessenger({
    managed: { policy_url: url },
    attachments: row.fault.attachments ?? [],
    books: row.fault.books ?? [],
    faults: row.fault.faults ?? {},
  });
  const now = Date.now();
  const cached =
    row.source.cached === "good"
      ? { url, text: POLICY[row.mode], fetched_at: now - 2 * 60 * 60 * 1000 }
      : { url, text: HTML_PAGE, fetched_at: now - 60 * 1000 };
  await messenger.storage.local.set({ [POLICY_CACHE_KEY]: cached });
  const fetched = [];
  const guard = new SendGuard({
    messenger,
    loadCheckerModule: loadChecker,
    loadCatalogue,
    fetchText: (target) => {
      fetched.push(target);
      return fetchPolicyText(target, { timeoutMs: FETCH_TIMEOUT_MS });
    },
    later: () => {},
  });
  const details =
    row.fault.details === null
      ? undefined
      : { from: "Anna <anna@example.com>", to: row.fault.to ?? COLLEAGUES, cc: [], bcc: [], subject: "S", plainTextBody: "B" };
  const answer = await guard.onBeforeSend(TAB, details);
  let shown = null;
  if (answer.cancel) {
    const [, options] = await dialogOpened(messenger);
    shown = await guard.handleMessage({ type: "sendguard:view", session: sessionOf(options) });
  }
  return {
    answer,
    shown,
    notices: messenger.notifications.shown,
    fetched,
    saved: messenger.storage.local.data[POLICY_CACHE_KEY],
  };
}

before(async () => {
  server = await startServer();
  origin = `http://127.0.0.1:${server.port}`;
  unreachable = `http://127.0.0.1:${await closedPort()}`;
  const queue = [...ROWS];
  const workers = Array.from({ length: 8 }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) results.set(row.name, await runRow(row));
  });
  await Promise.all(workers);
});

after(async () => {
  await server?.close();
});

test("the matrix covers every source × fail mode × mail fault", () => {
  assert.equal(ROWS.length, SOURCES.length * 2 * DRAFT_FAULTS.length);
  assert.equal(results.size, ROWS.length);
});

for (const row of ROWS) {
  test(row.name, () => {
    const { answer, shown, notices, fetched, saved } = results.get(row.name);
    switch (row.outcome) {
      case "sent":
        assert.deepEqual(answer, {});
        assert.deepEqual(notices, []);
        break;
      case "notice":
        assert.deepEqual(answer, {});
        assert.equal(notices.length, 1);
        break;
      case "stopped":
        assert.deepEqual(answer, { cancel: true });
        assert.equal(shown.mode, "error");
        break;
      case "shown":
      case "reported": {
        assert.deepEqual(answer, { cancel: true });
        assert.equal(shown.mode, "report");
        const rules = shown.report.findings.map((f) => f.rule);
        assert.ok(rules.includes(row.fault.rule), `${row.fault.rule} not in ${rules}`);
        break;
      }
      default:
        assert.fail(row.outcome);
    }
    if (row.source.modeFrom === "default") assert.deepEqual(fetched, [], "a plain-http URL is never fetched");
    for (const url of fetched) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
    // Only a copy the checker accepted is ever saved; a good download replaces a bad copy.
    assert.notEqual(saved.text, '{ "on_checker_error": ');
    if (row.source.cached === "bad") assert.equal(saved.text, POLICY[row.mode]);
    else assert.notEqual(saved.text, HTML_PAGE);
  });
}

test("a cached copy from the future (clock skew) is not fresh: the URL is asked again", async () => {
  const url = `${origin}/ok/fail-closed/policy.json`;
  const messenger = fakeMessenger({ managed: { policy_url: url } });
  const future = Date.now() + 365 * 24 * 60 * 60 * 1000;
  await messenger.storage.local.set({ [POLICY_CACHE_KEY]: { url, text: POLICY["fail-open"], fetched_at: future } });
  const fetched = [];
  const guard = new SendGuard({
    messenger,
    loadCheckerModule: loadChecker,
    loadCatalogue,
    fetchText: (target) => {
      fetched.push(target);
      return fetchPolicyText(target, { timeoutMs: FETCH_TIMEOUT_MS });
    },
  });
  const policy = await guard.policy();
  assert.deepEqual(fetched, [url]);
  assert.equal(policy.failMode, "fail-closed");
  assert.ok(messenger.storage.local.data[POLICY_CACHE_KEY].fetched_at <= Date.now());
});

test("a fresh cached copy is used without asking the URL", async () => {
  const url = `${origin}/ok/fail-closed/policy.json`;
  const messenger = fakeMessenger({ managed: { policy_url: url } });
  await messenger.storage.local.set({ [POLICY_CACHE_KEY]: { url, text: POLICY["fail-closed"], fetched_at: Date.now() - 1000 } });
  let asked = 0;
  const guard = new SendGuard({
    messenger,
    loadCheckerModule: loadChecker,
    loadCatalogue,
    fetchText: async () => {
      asked += 1;
      return POLICY["fail-open"];
    },
  });
  assert.equal((await guard.policy()).failMode, "fail-closed");
  assert.equal(asked, 0);
});
