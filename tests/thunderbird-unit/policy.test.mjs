import assert from "node:assert/strict";
import { test } from "node:test";

import { failModeOf, loadPolicy, POLICY_CACHE_KEY, POLICY_MAX_AGE_MS } from "../../addin-thunderbird/lib/policy.mjs";
import { storageArea } from "./fakes.mjs";

/** A fetch that records every URL; the add-on's only network request is the policy. */
function recordingFetch(answer) {
  const urls = [];
  const fetchText = async (url) => {
    urls.push(url);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { urls, fetchText };
}

test("without policies.json the built-in default applies and nothing is fetched", async () => {
  const { urls, fetchText } = recordingFetch("{}");
  const policy = await loadPolicy({ managed: storageArea(undefined, { managed: true }), local: storageArea({}), fetchText });
  assert.deepEqual(policy, { text: "{}", source: "default" });
  assert.deepEqual(urls, []);
});

test("a managed policy object wins over a policy URL", async () => {
  const { urls, fetchText } = recordingFetch("{}");
  const managed = storageArea({ policy: { visible_recipients: { warn_parties: 2 } }, policy_url: "https://it.example/p.json" });
  const policy = await loadPolicy({ managed, local: storageArea({}), fetchText });
  assert.equal(policy.source, "managed");
  assert.deepEqual(JSON.parse(policy.text), { visible_recipients: { warn_parties: 2 } });
  assert.deepEqual(urls, []);
});

test("a managed policy may also be given as JSON text", async () => {
  const managed = storageArea({ policy: '{"on_checker_error": "fail-closed"}' });
  const policy = await loadPolicy({ managed, local: storageArea({}), fetchText: async () => "" });
  assert.equal(policy.text, '{"on_checker_error": "fail-closed"}');
});

test("a policy URL is fetched, cached, and not asked again within the hour", async () => {
  const url = "https://it.example/policy.json";
  const { urls, fetchText } = recordingFetch('{"name": "IT"}');
  const local = storageArea({});
  let now = 1_000_000;
  const load = () => loadPolicy({ managed: storageArea({ policy_url: url }), local, fetchText, now: () => now });
  assert.deepEqual(await load(), { text: '{"name": "IT"}', source: "url", url });
  now += POLICY_MAX_AGE_MS - 1;
  assert.equal((await load()).source, "url");
  assert.deepEqual(urls, [url]);
  now += 2;
  await load();
  assert.deepEqual(urls, [url, url]);
});

test("an unreachable policy URL keeps the last copy, else says why it uses the default", async () => {
  const url = "https://it.example/policy.json";
  const { fetchText } = recordingFetch(new Error("offline"));
  const cached = storageArea({ [POLICY_CACHE_KEY]: { url, text: '{"name": "old"}', fetched_at: 0 } });
  const withCache = await loadPolicy({ managed: storageArea({ policy_url: url }), local: cached, fetchText, now: () => POLICY_MAX_AGE_MS * 5 });
  assert.deepEqual(withCache, { text: '{"name": "old"}', source: "url-cached", url, error: "offline" });

  const otherUrl = storageArea({ [POLICY_CACHE_KEY]: { url: "https://old.example/p.json", text: "{}", fetched_at: 0 } });
  const none = await loadPolicy({ managed: storageArea({ policy_url: url }), local: otherUrl, fetchText });
  assert.deepEqual(none, { text: "{}", source: "default", url, error: "offline" });
});

test("the fail mode is read from the policy text without the checker", () => {
  assert.equal(failModeOf('{"on_checker_error": "fail-closed"}'), "fail-closed");
  assert.equal(failModeOf('{"on_checker_error": "fail-open"}'), "fail-open");
  assert.equal(failModeOf("{}"), "fail-open");
  assert.equal(failModeOf("not json"), "fail-open");
});
