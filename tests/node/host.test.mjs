// The hosts' shared decisions (crates/sendguard-wasm/js/host.mjs), which the Outlook
// add-in, the Thunderbird add-on, the report view and the site all use: policy sources
// with cache-after-accept, https-only URLs, clock skew, the fail mode, language, the one
// translator, "may the user send anyway", and the base64 prefix.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  CLOCK_SKEW_MS,
  POLICY_MAX_AGE_MS,
  base64Prefix,
  cacheIsFresh,
  choosePolicy,
  failModeOf,
  languageOf,
  lastGoodPolicy,
  mergeCatalogues,
  policyUrlAllowed,
  sendAnywayOf,
  translator,
} from "../../crates/sendguard-wasm/js/host.mjs";

const GOOD = JSON.stringify({ on_checker_error: "fail-closed" });
const HTML = "<html>login</html>";
const URL_ = "https://it.example/policy.json";

/** accept(): a checker stand-in that accepts JSON objects and refuses the rest, like the real one. */
function accepting(refuse = []) {
  const seen = [];
  return {
    seen,
    accept: async (text) => {
      seen.push(text);
      const parsed = JSON.parse(text);
      if (refuse.includes(text) || typeof parsed !== "object") throw new Error("refused");
      return { policy: text };
    },
  };
}

function memoryCache(entry = null) {
  return {
    entry,
    writes: 0,
    async get() {
      return this.entry;
    },
    async set(value) {
      this.writes += 1;
      this.entry = value;
    },
  };
}

test("policy URLs: https, or plain http only to this machine", () => {
  for (const url of ["https://it.example/policy.json", "HTTPS://it.example", "http://127.0.0.1:8080/p.json", "http://localhost/p", "http://[::1]:9/p"]) {
    assert.equal(policyUrlAllowed(url), true, url);
  }
  for (const url of ["http://it.example/policy.json", "http://127.0.0.1.evil.example/p", "http://localhost.evil.example/", "ftp://x/p", "file:///etc/p", "", null, "http://127.0.0.1@evil.example/"]) {
    assert.equal(policyUrlAllowed(url), false, String(url));
  }
});

test("a cached copy is fresh for an hour, and never when it claims to come from the future", () => {
  const now = 10 * POLICY_MAX_AGE_MS;
  assert.equal(cacheIsFresh({ fetched_at: now - 1000 }, now, POLICY_MAX_AGE_MS), true);
  assert.equal(cacheIsFresh({ fetched_at: now - POLICY_MAX_AGE_MS }, now, POLICY_MAX_AGE_MS), false);
  assert.equal(cacheIsFresh({ fetched_at: now + CLOCK_SKEW_MS + 1 }, now, POLICY_MAX_AGE_MS), false);
  assert.equal(cacheIsFresh({ fetched_at: "yesterday" }, now, POLICY_MAX_AGE_MS), false);
});

test("the fail mode: from JSON objects only; known first from managed, else the cached copy, else default", () => {
  assert.equal(failModeOf(GOOD), "fail-closed");
  assert.equal(failModeOf("{}"), "fail-open");
  assert.equal(failModeOf(HTML), null);
  assert.equal(failModeOf("[1]"), null);
  assert.equal(lastGoodPolicy({ managedText: GOOD }).failMode, "fail-closed");
  assert.equal(lastGoodPolicy({ cached: { url: URL_, text: GOOD }, url: URL_ }).failMode, "fail-closed");
  assert.equal(lastGoodPolicy({ cached: { url: "https://other.example/p", text: GOOD }, url: URL_ }).failMode, "fail-open");
  assert.equal(lastGoodPolicy({ cached: { url: "http://it.example/p", text: GOOD }, url: "http://it.example/p" }).failMode, "fail-open");
  assert.equal(lastGoodPolicy({ cached: { url: URL_, text: HTML }, url: URL_ }).failMode, "fail-open");
});

test("a download is cached only after the checker accepted it", async () => {
  const cache = memoryCache({ url: URL_, text: GOOD, fetched_at: 0 });
  const checker = accepting();
  const chosen = await choosePolicy({ url: URL_, cache, fetchText: async () => HTML, accept: checker.accept, now: () => 5 * POLICY_MAX_AGE_MS });
  assert.equal(chosen.source, "url-cached");
  assert.equal(chosen.text, GOOD);
  assert.equal(chosen.failMode, "fail-closed");
  assert.equal(cache.writes, 0, "the login page was not cached");
  assert.deepEqual(chosen.errors.map((e) => e.source), ["url"]);

  const fresh = JSON.stringify({ on_checker_error: "fail-open", name: "new" });
  const next = await choosePolicy({ url: URL_, cache, fetchText: async () => fresh, accept: checker.accept, now: () => 5 * POLICY_MAX_AGE_MS });
  assert.equal(next.source, "url");
  assert.deepEqual(cache.entry, { url: URL_, text: fresh, fetched_at: 5 * POLICY_MAX_AGE_MS });
});

test("a plain-http URL is never fetched; the default applies", async () => {
  let fetched = 0;
  const chosen = await choosePolicy({
    url: "http://it.example/policy.json",
    cache: memoryCache({ url: "http://it.example/policy.json", text: GOOD, fetched_at: Date.now() }),
    fetchText: async () => {
      fetched += 1;
      return GOOD;
    },
    accept: accepting().accept,
  });
  assert.equal(fetched, 0);
  assert.equal(chosen.source, "default");
  assert.match(chosen.errors[0].error, /https/);
});

test("a refused managed policy is an error, not a silent default", async () => {
  const typo = JSON.stringify({ on_checker_error: "fail-closed", visible_recipents: {} });
  await assert.rejects(
    choosePolicy({ managedText: typo, accept: accepting([typo]).accept }),
    /policy set by IT is not valid/,
  );
});

test("a fresh bad copy in the cache does not block a good download", async () => {
  const cache = memoryCache({ url: URL_, text: JSON.stringify({ visible_recipents: 1 }), fetched_at: 1000 });
  const checker = accepting([cache.entry.text]);
  const chosen = await choosePolicy({ url: URL_, cache, fetchText: async () => GOOD, accept: checker.accept, now: () => 2000 });
  assert.equal(chosen.source, "url");
  assert.equal(cache.entry.text, GOOD);
});

test("the one translator: language, English fallback, the key itself, placeholders", () => {
  const catalogue = mergeCatalogues(
    { en: { a: "Hello {name}", b: "only English" }, de: { a: "Hallo {name}" } },
    { en: { c: "front end {x} {x}" }, de: { c: "Oberfläche {x}" } },
  );
  const de = translator(catalogue, "de");
  assert.equal(de("a", { name: "Anna" }), "Hallo Anna");
  assert.equal(de("b"), "only English");
  assert.equal(de("missing.key"), "missing.key");
  assert.equal(translator(catalogue, "en")("c", { x: 1 }), "front end 1 1");
  assert.equal(de("a", {}), "Hallo {name}", "an unknown placeholder stays visible");
  assert.equal(de("a", { name: "$& {name}" }), "Hallo $& {name}", "values are not patterns");
  assert.equal(languageOf("de-AT"), "de");
  assert.equal(languageOf("en-GB"), "en");
  assert.equal(languageOf("dean"), "en");
});

test("may the user send anyway, and is a reason needed", () => {
  assert.deepEqual(sendAnywayOf({ verdict: "warn" }), { sendAnyway: true, reasonRequired: false });
  assert.deepEqual(sendAnywayOf({ verdict: "block", override: { allowed: false } }), { sendAnyway: false, reasonRequired: false });
  assert.deepEqual(sendAnywayOf({ verdict: "block", override: { allowed: true } }), { sendAnyway: true, reasonRequired: true });
  assert.deepEqual(sendAnywayOf({ verdict: "block", override: { allowed: true, reason_required: false } }), {
    sendAnyway: true,
    reasonRequired: false,
  });
});

test("base64 of a prefix matches Node's encoder at every length", () => {
  const bytes = new Uint8Array(70_000).map((_, i) => (i * 7 + 3) % 256);
  for (const length of [0, 1, 2, 3, 4, 5, 65_536, 69_999, 70_000, 80_000]) {
    assert.equal(base64Prefix(bytes, length), Buffer.from(bytes.subarray(0, length)).toString("base64"), String(length));
  }
});

test("the server's max-age shortens how long a copy stays fresh, never lengthens it", async () => {
  const cache = memoryCache();
  const accept = accepting().accept;
  await choosePolicy({ url: URL_, cache, fetchText: async () => ({ text: GOOD, maxAgeMs: 0 }), accept, now: () => 1000 });
  assert.equal(cache.entry.max_age_ms, 0);
  assert.equal(cacheIsFresh(cache.entry, 1001, POLICY_MAX_AGE_MS), false);
  assert.equal(cacheIsFresh({ fetched_at: 0, max_age_ms: 10 * POLICY_MAX_AGE_MS }, 2 * POLICY_MAX_AGE_MS, POLICY_MAX_AGE_MS), false);
});
