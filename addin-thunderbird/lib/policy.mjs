// Where the active policy comes from: IT's managed storage (policies.json: `policy`, or
// `policy_url`), the last copy from that URL the checker accepted (storage.local), or the
// checker's built-in default. The order, cache-after-accept, https-only URLs and the fail
// mode are the hosts' shared rules (checker/host.mjs); this file only connects them to
// Thunderbird's storage and fetch. Users have no setting that could weaken IT's policy.

import { policyUrlAllowed, withTimeout } from "../checker/host.mjs";

export { DEFAULT_POLICY_TEXT, POLICY_MAX_AGE_MS } from "../checker/host.mjs";

/** The storage.local key of the last policy from the policy URL the checker accepted. */
export const POLICY_CACHE_KEY = "policy_cache";
/** How long the policy download may take before the cached copy is used. */
export const POLICY_FETCH_TIMEOUT_MS = 5000;
/** How long reading a storage area may take. */
export const STORAGE_TIMEOUT_MS = 2000;
/** The largest policy text accepted from the URL. */
export const POLICY_MAX_BYTES = 4 * 1024 * 1024;

/**
 * IT's settings: `{ managedText, url }`. `storage.managed.get()` rejects when IT set
 * nothing: then neither is set, and the default applies.
 */
export async function readSettings(managed) {
  let settings = {};
  try {
    settings = (await withTimeout(managed.get(["policy", "policy_url"]), STORAGE_TIMEOUT_MS, "reading storage.managed")) ?? {};
  } catch {
    // No policies.json entry for this add-on: not an error.
  }
  let managedText;
  if (settings.policy !== undefined && settings.policy !== null) {
    managedText = typeof settings.policy === "string" ? settings.policy : JSON.stringify(settings.policy, null, 2);
  }
  const url = typeof settings.policy_url === "string" ? settings.policy_url.trim() : "";
  return { managedText, url: url || null };
}

/** The policy cache in a storage area (storage.local): `{ url, text, fetched_at }`. */
export function policyCache(local) {
  return {
    async get() {
      const stored = await withTimeout(local.get(POLICY_CACHE_KEY), STORAGE_TIMEOUT_MS, "reading the saved policy");
      return stored?.[POLICY_CACHE_KEY] ?? null;
    },
    set(entry) {
      return withTimeout(local.set({ [POLICY_CACHE_KEY]: entry }), STORAGE_TIMEOUT_MS, "saving the policy");
    },
  };
}

/**
 * Fetches a policy URL: no cookies, revalidated, within POLICY_FETCH_TIMEOUT_MS, and only
 * if the answer still comes from an allowed URL after redirects. Resolves with
 * `{ text, maxAgeMs }`: the server's `Cache-Control: max-age`, if it sent one, says how
 * long the copy stays fresh (never longer than an hour).
 */
export async function fetchPolicyText(url, { fetchFn = fetch, allowed = policyUrlAllowed, timeoutMs = POLICY_FETCH_TIMEOUT_MS } = {}) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const request = (async () => {
    const response = await fetchFn(url, { credentials: "omit", cache: "no-cache", signal: controller?.signal });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    if (allowed && response.url && !allowed(response.url)) {
      throw new Error(`${url}: redirected to ${response.url}, which is not https://`);
    }
    const text = await response.text();
    if (text.length > POLICY_MAX_BYTES) throw new Error(`${url}: larger than ${POLICY_MAX_BYTES} bytes`);
    const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(response.headers?.get?.("cache-control") ?? "");
    return maxAge ? { text, maxAgeMs: Number(maxAge[1]) * 1000 } : { text, maxAgeMs: null };
  })();
  try {
    return await withTimeout(request, timeoutMs, `loading ${url}`);
  } catch (error) {
    controller?.abort();
    throw error;
  }
}
