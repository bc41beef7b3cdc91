// Where the policy comes from: the add-in's own server (`<base>/policy.json`, next to the
// `outlook/` folder the scripts are served from), cached so a server that cannot be reached
// does not switch protection off. Order: fresh from the server, else the last good copy,
// else the default built into the checker (the empty policy `{}`).

import { withTimeout } from "./office-api.js";

const CACHE_KEY = "sendguard.policy";
const BASE_KEY = "sendguard.base";

/**
 * The policy URL for a script or page URL of the add-in:
 * `https://host/prefix/outlook/launchevent.js` → `https://host/prefix/policy.json`.
 * Plain string work: the JavaScript-only runtime of classic Outlook may have no `URL`.
 */
export function policyUrlFor(addinUrl) {
  const match = /^(https?:\/\/[^/?#]+)(\/[^?#]*)?/i.exec(String(addinUrl || ""));
  if (!match) return null;
  const path = match[2] || "/";
  const folder = path.slice(0, path.lastIndexOf("/")); // "/prefix/outlook"
  const base = folder.slice(0, folder.lastIndexOf("/")); // "/prefix"
  return match[1] + base + "/policy.json";
}

/**
 * The add-in's own URL as well as this runtime can tell: classic Outlook (Mailbox 1.14) says
 * where it loaded the handler from; a browser runtime knows its script or page; otherwise
 * the task pane remembered it in the roaming settings.
 */
export function addinUrl(office, scriptUrl, roaming) {
  try {
    const runtime = office.context.urls && office.context.urls.javascriptRuntimeUrl;
    if (runtime) return runtime;
  } catch (_) {
    // not there before Mailbox 1.14
  }
  if (scriptUrl) return scriptUrl;
  if (typeof location !== "undefined" && location && /^https?:/.test(String(location.href))) {
    return String(location.href);
  }
  const remembered = roaming && roaming.get(BASE_KEY);
  return remembered || null;
}

/** Remembers the add-in URL for runtimes that cannot tell (task pane only: it knows). */
export function rememberAddinUrl(roaming, url) {
  if (!roaming || !url || roaming.get(BASE_KEY) === url) return Promise.resolve();
  roaming.set(BASE_KEY, url);
  return new Promise((resolve) => roaming.saveAsync(() => resolve()));
}

/**
 * A small key-value store for the last good policy: OfficeRuntime.storage in event-based
 * runtimes, else the roaming settings (which travel with the mailbox), else memory.
 */
export function policyCache(runtime, roaming) {
  if (runtime && runtime.storage && typeof runtime.storage.getItem === "function") {
    return {
      get: () => runtime.storage.getItem(CACHE_KEY).then((v) => v || null),
      set: (text) => runtime.storage.setItem(CACHE_KEY, text),
    };
  }
  if (roaming && typeof roaming.get === "function") {
    return {
      get: () => Promise.resolve(roaming.get(CACHE_KEY) || null),
      set: (text) => {
        roaming.set(CACHE_KEY, text);
        return new Promise((resolve) => roaming.saveAsync(() => resolve()));
      },
    };
  }
  let memory = null;
  return {
    get: () => Promise.resolve(memory),
    set: (text) => {
      memory = text;
      return Promise.resolve();
    },
  };
}

/** `on_checker_error` of a policy text: "fail-closed" or the default "fail-open". */
export function failModeOf(policyText) {
  try {
    const policy = JSON.parse(policyText);
    return policy && policy.on_checker_error === "fail-closed" ? "fail-closed" : "fail-open";
  } catch (_) {
    return "fail-open";
  }
}

/**
 * Fetches the policy text within `timeoutMs`. Rejects on a network error, a non-2xx answer,
 * a timeout or text that is not a JSON object; the caller then falls back to the cache.
 */
export async function fetchPolicy(fetchFn, url, timeoutMs) {
  if (!url) throw new Error("the add-in does not know its server's address");
  if (typeof fetchFn !== "function") throw new Error("fetch is not available");
  const response = await withTimeout(
    fetchFn(url, { cache: "no-cache", credentials: "omit" }),
    timeoutMs,
    "loading the policy",
  );
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  const text = await withTimeout(response.text(), timeoutMs, "reading the policy");
  const parsed = JSON.parse(text);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(url + ": not a JSON object");
  }
  return text;
}

/**
 * The policy candidates in order of preference, each `{ text, source }` with source
 * "server", "cache" or "default". The caller takes the first the checker accepts and
 * caches a server copy only once the checker has accepted it.
 */
export async function policyCandidates({ fetchFn, url, cache, timeoutMs }) {
  const candidates = [];
  let fetchError = null;
  try {
    candidates.push({ text: await fetchPolicy(fetchFn, url, timeoutMs), source: "server" });
  } catch (error) {
    fetchError = error;
  }
  try {
    const cached = await withTimeout(cache.get(), 500, "reading the saved policy");
    if (cached) candidates.push({ text: cached, source: "cache" });
  } catch (_) {
    // no cache: fine
  }
  candidates.push({ text: "{}", source: "default" });
  return { candidates, fetchError };
}
