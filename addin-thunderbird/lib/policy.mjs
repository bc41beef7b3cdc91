// Where the active policy comes from: IT's managed storage (policies.json), else the
// policy URL IT put there, else the checker's built-in default. Users have no setting
// that could weaken a managed policy: the options page only shows it.

/** The embedded default: an empty policy means every documented default. */
export const DEFAULT_POLICY_TEXT = "{}";

/** How long a fetched policy is used before the URL is asked again. */
export const POLICY_MAX_AGE_MS = 60 * 60 * 1000;

/** The storage.local key of the last policy fetched from the policy URL. */
export const POLICY_CACHE_KEY = "policy_cache";

/**
 * Loads the active policy.
 *
 * - `managed`: the `storage.managed` area (`get()` rejects when IT set nothing);
 * - `fetchText(url)`: fetches the policy URL, the add-on's only network request;
 * - `local`: the `storage.local` area, which caches the fetched policy so a laptop
 *   offline keeps IT's policy instead of falling back to the default;
 * - `now()`: the clock, in milliseconds.
 *
 * Returns `{ text, source, url?, error? }` with `source` one of `managed`, `url`,
 * `url-cached`, `default`.
 */
export async function loadPolicy({ managed, fetchText, local, now = Date.now }) {
  let settings = {};
  try {
    settings = (await managed.get(["policy", "policy_url"])) ?? {};
  } catch {
    // No policies.json entry for this add-on: not an error, the default applies.
  }
  if (settings.policy !== undefined && settings.policy !== null) {
    const text =
      typeof settings.policy === "string" ? settings.policy : JSON.stringify(settings.policy, null, 2);
    return { text, source: "managed" };
  }
  const url = typeof settings.policy_url === "string" ? settings.policy_url.trim() : "";
  if (!url) return { text: DEFAULT_POLICY_TEXT, source: "default" };

  const cached = (await local.get(POLICY_CACHE_KEY))?.[POLICY_CACHE_KEY];
  const usable = cached && cached.url === url && typeof cached.text === "string";
  if (usable && now() - cached.fetched_at < POLICY_MAX_AGE_MS) {
    return { text: cached.text, source: "url", url };
  }
  try {
    const text = await fetchText(url);
    await local.set({ [POLICY_CACHE_KEY]: { url, text, fetched_at: now() } });
    return { text, source: "url", url };
  } catch (error) {
    const message = error?.message ?? String(error);
    if (usable) return { text: cached.text, source: "url-cached", url, error: message };
    return { text: DEFAULT_POLICY_TEXT, source: "default", url, error: message };
  }
}

/** Fetches a policy URL: no cookies, no cache reuse without revalidation. */
export async function fetchPolicyText(url) {
  const response = await fetch(url, { credentials: "omit", cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/**
 * The policy's `on_checker_error`, read without the checker (which may be what
 * failed). A policy that is not even JSON gets the documented default, fail-open.
 */
export function failModeOf(policyText) {
  try {
    return JSON.parse(policyText)?.on_checker_error === "fail-closed" ? "fail-closed" : "fail-open";
  } catch {
    return "fail-open";
  }
}
