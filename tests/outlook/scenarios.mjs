// The Send handler's scenarios, run against the built bundle (dist/addin-outlook/launchevent.js)
// inside a fresh VM context per scenario with the fake Office.js (fake-office.cjs), a policy
// server on 127.0.0.1 and a fetch built on node:http (Node's own fetch needs WebAssembly,
// which `node --jitless` lacks; Outlook's runtime brings its own fetch).
//
// `runScenarios()` returns plain data, so handler.test.mjs can compare a run with
// WebAssembly against one under `node --jitless` (checker's plain-JavaScript fallback).
// Run directly (`node tests/outlook/scenarios.mjs`), it prints that data as JSON.

import { createServer, request } from "node:http";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, "../..");
export const BUNDLE = join(ROOT, "dist", "addin-outlook", "launchevent.js");
const FakeOffice = createRequire(import.meta.url)("./fake-office.cjs");

const SENDER = { displayName: "Anna Admin", emailAddress: "anna.admin@example.com" };

/** Policies the test server hands out, by the first path segment of the add-in URL. */
export const POLICIES = {
  default: "{}\n",
  strict: JSON.stringify({ visible_recipients: { warn_parties: 2, block_parties: 15, block_addresses: 25 } }),
  failclosed: JSON.stringify({ on_checker_error: "fail-closed" }),
  failopen: JSON.stringify({ on_checker_error: "fail-open" }),
  "failclosed-strict": JSON.stringify({ on_checker_error: "fail-closed", visible_recipients: { warn_parties: 2 } }),
  broken: JSON.stringify({ visible_recipents: { warn_parties: 2 } }), // a typo'd key
  badjson: '{ "visible_recipients": { "warn_parties": 2 ', // cut off
  "open-strict": JSON.stringify({ on_checker_error: "fail-open", visible_recipients: { warn_parties: 2 } }),
  labelled: JSON.stringify({ protection: { label: "Vertraulich" } }),
  delay: JSON.stringify({ delay: { seconds: 120 } }),
  "delay-findings": JSON.stringify({ delay: { seconds: 300, when: "findings" } }),
  "delay-override": JSON.stringify({ delay: { seconds: 60 }, override: { allow_block: true, require_reason: false } }),
};

/** A tenant's label catalogue as Office.context.sensitivityLabelsCatalog gives it. */
export const LABELS = [
  { id: "0d9b1f6e-3c1a-4d6e-9b0a-5b7f2c1e0a01", name: "Öffentlich", tooltip: "", color: "#00a000", children: [] },
  {
    id: "7f3e2a10-8b4c-4e1f-a6d2-1c9e5f0b2a02",
    name: "Intern",
    tooltip: "",
    color: "#0060c0",
    children: [{ id: "a41c6b2e-5d7f-4a3b-8e9c-2f1d0b6a3c03", name: "Vertraulich", tooltip: "", color: "#c00000", children: [] }],
  },
];
export const SICK_NOTE = "Hallo Herr Weber,\nanbei die Arbeitsunfähigkeitsbescheinigung von Frau Jensen.";

function people(count, make) {
  return Array.from({ length: count }, (_, index) => make(String(index + 1).padStart(3, "0")));
}

const internal = [
  { displayName: "Bob Builder", emailAddress: "bob@example.com" },
  { displayName: "Carol", emailAddress: "carol@sales.example.com" },
];
const threeParties = people(3, (n) => ({ displayName: "Partner " + n, emailAddress: "info@partner-" + n + ".example" }));
const fiveParties = people(5, (n) => ({ displayName: "Partner " + n, emailAddress: "info@partner-" + n + ".example" }));
export const EIGHT_HUNDRED = people(800, (n) => ({ displayName: "Partner " + n, emailAddress: "info@partner-" + n + ".example" }));

/**
 * Each scenario: the fake client (`client`), which policy the server answers with (`policy`:
 * a key of POLICIES, or "error500", "hang", "notjson", "none" when the add-in cannot
 * tell its URL), a saved policy (`cached`), a fault in the checker (`fault`), how often
 * Send is clicked (`sends`), and an optional change to the draft between sends (`edit`).
 */
export const SCENARIOS = [
  { name: "pass: colleagues only", client: { to: internal }, policy: "default" },
  { name: "pass: three partners under the default policy", client: { to: threeParties }, policy: "default" },
  {
    name: "warn on Mailbox 1.15 (web): Send Anyway, Fix it, Markdown",
    client: { to: fiveParties },
    policy: "default",
  },
  {
    name: "warn in German on classic Windows, Mailbox 1.12: stops once, then sends",
    client: { to: fiveParties, mailbox: "1.12", platform: "PC", displayLanguage: "de-DE" },
    policy: "default",
    roamingBase: true,
    sends: 2,
  },
  {
    name: "warn, then the draft changes: stops again",
    client: { to: fiveParties, mailbox: "1.13", platform: "PC" },
    policy: "default",
    roamingBase: true,
    sends: 2,
    edit: { addTo: { displayName: "Partner 006", emailAddress: "info@partner-006.example" } },
  },
  {
    name: "block: 800 partners in CC (Mailbox 1.14, German)",
    client: { cc: EIGHT_HUNDRED, mailbox: "1.14", displayLanguage: "de-CH" },
    policy: "default",
    sends: 2,
  },
  {
    name: "block: a program attached under a double extension",
    client: {
      to: internal,
      attachments: [{ name: "invoice.pdf.exe", contentType: "application/octet-stream", contentBase64: "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=" }],
    },
    policy: "default",
  },
  {
    name: "block: a program under a harmless name, found by its first bytes",
    client: {
      to: internal,
      attachments: [{ name: "report.pdf", contentType: "application/pdf", contentBase64: "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=" }],
    },
    policy: "default",
  },
  {
    name: "block: thirty programs attached, the message still fits in 500 characters",
    client: {
      to: internal,
      mailbox: "1.15",
      attachments: people(30, (n) => ({ name: "setup-tool-with-a-long-descriptive-name-" + n + ".exe", size: 1000 })),
    },
    policy: "default",
  },
  {
    name: "block: meeting invitation to 800 partners opens the meeting pane",
    client: { itemType: "appointment", to: EIGHT_HUNDRED, mailbox: "1.14" },
    policy: "default",
  },
  { name: "server policy is used (strict: three partners warn)", client: { to: threeParties }, policy: "strict" },
  {
    name: "policy fetch fails (HTTP 500): last good policy from the cache",
    client: { to: threeParties },
    policy: "error500",
    cached: "strict",
  },
  {
    name: "policy fetch fails (HTTP 500), nothing cached: embedded default",
    client: { to: threeParties },
    policy: "error500",
  },
  {
    name: "policy server hangs: cache after the timeout, answer inside 5 s",
    client: { to: threeParties },
    policy: "hang",
    cached: "strict",
  },
  {
    name: "policy is not JSON: cache",
    client: { to: threeParties, officeRuntimeStorage: false },
    policy: "notjson",
    cachedRoaming: "strict",
  },
  {
    name: "policy with a typo'd key: last good copy, never silently weaker",
    client: { to: threeParties },
    policy: "broken",
    cached: "strict",
  },
  {
    name: "add-in cannot tell its URL (Mailbox 1.12, no saved base): embedded default",
    client: { to: fiveParties, mailbox: "1.12", platform: "PC" },
    policy: "none",
  },
  { name: "checker throws, fail-open: sends and says so", client: { to: fiveParties }, policy: "default", fault: "throws" },
  {
    name: "checker throws, fail-closed: stops with a clear message",
    client: { to: fiveParties },
    policy: "failclosed",
    fault: "throws",
  },
  {
    name: "checker missing from the bundle, fail-closed (cached policy)",
    client: { to: internal },
    policy: "error500",
    cached: "failclosed-strict",
    fault: "missing",
  },
  {
    name: "delay: external mail is held 120 s, the web says Drafts",
    client: { to: threeParties, displayLanguage: "de-DE" },
    policy: "delay",
  },
  { name: "delay: internal mail leaves at once", client: { to: internal }, policy: "delay" },
  {
    name: "delay on classic Windows (Mailbox 1.13): held, the notice says it cannot be stopped",
    client: { to: threeParties, mailbox: "1.13", platform: "PC", hostName: "Outlook" },
    policy: "delay",
    roamingBase: true,
  },
  {
    name: "delay without Mailbox 1.13: the mail is not stopped for it",
    client: { to: threeParties, mailbox: "1.12", platform: "PC", hostName: "Outlook" },
    policy: "delay",
    roamingBase: true,
  },
  {
    name: "delay when setAsync fails: the mail is not stopped for it",
    client: { to: threeParties, faults: { "delayDeliveryTime.setAsync": "fail" } },
    policy: "delay",
  },
  {
    name: "delay on findings: a pass leaves at once",
    client: { to: threeParties },
    policy: "delay-findings",
  },
  {
    name: "delay on findings: a warning asks for Send again, then the mail is held 300 s",
    client: { to: fiveParties },
    policy: "delay-findings",
    sends: 2,
  },
  {
    name: "delay with a block: still stopped, held for Send Anyway",
    client: { cc: EIGHT_HUNDRED.slice(0, 30), mailbox: "1.14" },
    policy: "delay-override",
  },
  {
    name: "delay never holds a block nobody may override",
    client: { cc: EIGHT_HUNDRED.slice(0, 30) },
    policy: "delay",
  },
  {
    name: "delay is not set on a meeting",
    client: { itemType: "appointment", to: threeParties },
    policy: "delay",
  },
  {
    // The fail mode comes from the last policy the checker accepted: a checker that hangs
    // never accepts the download, so the saved copy says fail-closed.
    name: "checker hangs, fail-closed: the watchdog answers inside 5 s",
    client: { to: internal },
    policy: "failclosed",
    cached: "failclosed",
    fault: "hangs",
  },
  {
    name: "unprotected: a sick note to a partner, label catalogue on (Mailbox 1.15): apply the label",
    client: { to: [{ displayName: "Jonas Weber", emailAddress: "jonas@partner-werk.example" }], body: SICK_NOTE, labels: LABELS },
    policy: "labelled",
  },
  {
    name: "unprotected: the same mail with the policy's label applied is not unprotected",
    client: {
      to: [{ displayName: "Jonas Weber", emailAddress: "jonas@partner-werk.example" }],
      body: SICK_NOTE,
      labels: LABELS,
      label: "a41c6b2e-5d7f-4a3b-8e9c-2f1d0b6a3c03",
    },
    policy: "labelled",
  },
  {
    name: "unprotected: Mailbox 1.12 has no labels: the state is unknown and counts as unencrypted",
    client: { to: [{ displayName: "Jonas Weber", emailAddress: "jonas@partner-werk.example" }], body: SICK_NOTE, labels: LABELS, mailbox: "1.12" },
    policy: "labelled",
  },
];

/** fetch over node:http: what the handler uses of it (ok, status, text). */
function httpFetch(url) {
  return new Promise((resolveFetch, reject) => {
    const req = request(url, { method: "GET" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () =>
        resolveFetch({
          ok: response.statusCode >= 200 && response.statusCode < 300,
          status: response.statusCode,
          text: () => Promise.resolve(body),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** The policy server: `/<mode>/policy.json`. Records every request path. */
export function startPolicyServer() {
  const requests = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    requests.push(req.url);
    const match = /^\/([^/]+)\/policy\.json$/.exec(req.url);
    const mode = match ? match[1] : null;
    if (mode === "hang") return; // never answers
    if (mode === "error500") {
      res.writeHead(500, { "Content-Type": "text/plain" });
      return res.end("boom");
    }
    if (mode === "notjson") {
      res.writeHead(200, { "Content-Type": "text/html" });
      return res.end("<html>login</html>");
    }
    if (mode === "slow") {
      // Answers, but later than the handler waits for the policy.
      const timer = setTimeout(() => {
        if (!res.destroyed) res.writeHead(200, { "Content-Type": "application/json" }).end(POLICIES.default);
      }, 2500);
      timer.unref();
      return;
    }
    if (mode && POLICIES[mode]) {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(POLICIES[mode]);
    }
    res.writeHead(404);
    res.end();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A port that was free a moment ago and has nobody listening: connection refused.
  const closedPort = new Promise((resolvePort) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const port = probe.address().port;
      probe.close(() => resolvePort(port));
    });
  });
  return closedPort.then((port) => new Promise((resolveServer) =>
    server.listen(0, "127.0.0.1", () =>
      resolveServer({
        origin: "http://127.0.0.1:" + server.address().port,
        closedOrigin: "http://127.0.0.1:" + port,
        requests,
        close: () => {
          for (const socket of sockets) socket.destroy();
          return new Promise((done) => server.close(done));
        },
      }),
    ),
  ));
}

function applyFault(context, fault) {
  const engine = context.SendguardChecker;
  if (fault === "missing") vm.runInContext("delete globalThis.SendguardChecker", context);
  if (fault === "hangs") context.SendguardChecker = { createChecker: () => new Promise(() => {}) };
  if (fault === "throws") {
    context.SendguardChecker = {
      createChecker: async (policy) => {
        const real = await engine.createChecker(policy);
        return {
          check() {
            throw new Error("simulated checker failure");
          },
          apply: real.apply,
          version: real.version,
        };
      },
    };
  }
}

/** Where the add-in is served from for a policy mode: the test server, a port nobody
 *  listens on ("unreachable"), or a plain-http host on the network ("insecure"). */
function addinUrlFor(mode, server) {
  if (mode === "none") return null;
  if (mode === "unreachable") return server.closedOrigin + "/unreachable/outlook/launchevent.js";
  if (mode === "insecure") return "http://intranet.example/insecure/outlook/launchevent.js";
  return server.origin + "/" + mode + "/outlook/launchevent.js";
}

/** A saved policy as the add-in writes it: the copy the checker accepted, from that URL. */
export function savedPolicy(text, policyUrl, fetchedAt = 0) {
  return JSON.stringify({ url: policyUrl, text, fetched_at: fetchedAt });
}

/** Runs one scenario; the result is plain data (no functions, no timings but `ms`). */
export async function runScenario(scenario, server, bundle) {
  const mode = scenario.policy;
  const addinUrl = addinUrlFor(mode, server);
  const policyUrl = addinUrl ? addinUrl.replace("/outlook/launchevent.js", "/policy.json") : "";
  const cachedText = scenario.cachedText || (scenario.cached && POLICIES[scenario.cached]);
  const storage = cachedText ? { "sendguard.policy": savedPolicy(cachedText, policyUrl) } : {};
  const roaming = {};
  if (scenario.cachedRoaming) roaming["sendguard.policy"] = savedPolicy(POLICIES[scenario.cachedRoaming], policyUrl);
  const client = Object.assign({ from: SENDER, storage, roaming }, scenario.client);
  // Mailbox 1.14 tells the handler its URL; before that the task pane saved it.
  if (addinUrl && (scenario.roamingBase || FakeOffice.versionAtLeast(client.mailbox || "1.15", "1.14"))) {
    client.javascriptRuntimeUrl = addinUrl;
    if (scenario.roamingBase) client.roaming = Object.assign({ "sendguard.base": addinUrl.replace("launchevent.js", "taskpane.html") }, client.roaming);
  }
  const fake = FakeOffice.create(client);
  const fetched = [];
  const context = vm.createContext({
    Office: fake.Office,
    OfficeRuntime: fake.OfficeRuntime,
    fetch: (url, init) => {
      fetched.push(String(url));
      return httpFetch(url, init);
    },
    console: { log() {}, warn() {}, error() {}, info() {} },
    setTimeout,
    clearTimeout,
  });
  vm.runInContext(bundle, context, { filename: "launchevent.js" });
  const hasWebAssembly = vm.runInContext("typeof WebAssembly === 'object'", context);
  const hasChecker = vm.runInContext("typeof SendguardChecker === 'object'", context);
  applyFault(context, scenario.fault);
  const sends = [];
  for (let i = 0; i < (scenario.sends || 1); i += 1) {
    if (i > 0 && scenario.edit && scenario.edit.addTo) fake.state.to.push(Object.assign({ recipientType: "externalUser" }, scenario.edit.addTo));
    const { options, ms } = await fake.send(10000);
    sends.push({ options, ms });
  }
  // Through JSON: the handler's objects belong to the VM context's realm.
  return JSON.parse(JSON.stringify({
    name: scenario.name,
    hasWebAssembly,
    hasChecker,
    associated: Object.keys(fake.handlers).sort(),
    sends,
    violations: fake.violations.slice(),
    notifications: fake.state.notifications,
    storage: fake.state.storage,
    roaming: fake.state.roaming,
    calls: fake.log.map((entry) => entry.call),
    recipientWrites: fake.log.filter((entry) => /^(to|cc|bcc)\.(setAsync|addAsync)$/.test(entry.call)),
    deliveryTimes: fake.state.deliveryTimes.map((entry) => ({ delaySeconds: (entry.at - entry.setAt) / 1000 })),
    fetched,
  }));
}

/** All scenarios against the bundle, with a policy server of their own. */
export async function runScenarios(bundlePath = BUNDLE) {
  const bundle = readFileSync(bundlePath, "utf8");
  const server = await startPolicyServer();
  try {
    const results = [];
    for (const scenario of SCENARIOS) results.push(await runScenario(scenario, server, bundle));
    return { results, policyRequests: server.requests.slice() };
  } finally {
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await runScenarios(process.argv[2] || BUNDLE);
  process.stdout.write(JSON.stringify(out) + "\n");
}
