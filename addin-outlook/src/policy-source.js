// Where the policy comes from: the add-in's own server (`<base>/policy.json`, next to the
// `outlook/` folder the scripts are served from), cached so a server that cannot be reached
// does not switch protection off. Order: fresh from the server, else the last copy the
// checker accepted, else the default built into the checker (the empty policy `{}`). The
// order, cache-after-accept, https-only and the fail mode are the hosts' shared rules
// (crates/sendguard-wasm/js/host.mjs); this file connects them to Office.

import { choosePolicy, withTimeout } from "../../crates/sendguard-wasm/js/host.mjs";
import { acceptorFor } from "./checker-host.js";

/** How long reading or writing the saved policy may take. */
export const CACHE_TIMEOUT_MS = 500;

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
 * The last policy the checker accepted, as `{ url, text, fetched_at }`: in
 * OfficeRuntime.storage in event-based runtimes, else the roaming settings (which travel
 * with the mailbox), else memory. Anything else found under the key (an older add-in's
 * plain text) reads as nothing: only a copy this add-in vouched for is used.
 */
export function policyCache(runtime, roaming) {
  let store;
  if (runtime && runtime.storage && typeof runtime.storage.getItem === "function") {
    store = {
      get: () => runtime.storage.getItem(CACHE_KEY),
      set: (value) => runtime.storage.setItem(CACHE_KEY, value),
    };
  } else if (roaming && typeof roaming.get === "function") {
    store = {
      get: () => Promise.resolve(roaming.get(CACHE_KEY)),
      set: (value) => {
        roaming.set(CACHE_KEY, value);
        return new Promise((resolve) => roaming.saveAsync(() => resolve()));
      },
    };
  } else {
    let memory = null;
    store = {
      get: () => Promise.resolve(memory),
      set: (value) => {
        memory = value;
        return Promise.resolve();
      },
    };
  }
  return {
    get: () =>
      withTimeout(Promise.resolve().then(store.get), CACHE_TIMEOUT_MS, "reading the saved policy").then(parseEntry),
    set: (entry) =>
      withTimeout(Promise.resolve().then(() => store.set(JSON.stringify(entry))), CACHE_TIMEOUT_MS, "saving the policy"),
  };
}

function parseEntry(value) {
  if (typeof value !== "string") return null;
  try {
    const entry = JSON.parse(value);
    return entry && typeof entry.text === "string" && typeof entry.url === "string" ? entry : null;
  } catch (_) {
    return null;
  }
}

/**
 * Fetches the policy text within `timeoutMs`. Rejects on a network error, a non-2xx answer
 * or a timeout; whether the text is a policy is the checker's decision.
 */
export async function fetchPolicy(fetchFn, url, timeoutMs) {
  if (typeof fetchFn !== "function") throw new Error("fetch is not available");
  const response = await withTimeout(
    fetchFn(url, { cache: "no-cache", credentials: "omit" }),
    timeoutMs,
    "loading the policy",
  );
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  return withTimeout(response.text(), timeoutMs, "reading the policy");
}

/**
 * The policy in force and its checker (host.mjs `choosePolicy`): the server's copy is
 * asked on every Send (`maxAgeMs` 0) and cached once the checker accepted it.
 */
export function loadPolicy({ fetchFn, url, cache, createChecker, timeoutMs }) {
  if (!url) {
    return choosePolicy({ accept: acceptorFor(createChecker), cache: null, url: null });
  }
  return choosePolicy({
    url,
    cache,
    fetchText: (target) => fetchPolicy(fetchFn, target, timeoutMs),
    accept: acceptorFor(createChecker),
    maxAgeMs: 0,
  });
}
