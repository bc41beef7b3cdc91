// What every front end around the checker decides the same way: which policy is in force
// and where it came from, what happens when the check itself fails, which language the
// user reads, how a catalogue text is filled in, whether a stopped mail may be sent anyway,
// and how much of a draft's content goes to the checker. The Outlook handler (bundled
// to ES2016 by esbuild, for a runtime without DOM, `URL` or `Intl`), the Outlook task pane,
// the Thunderbird add-on, the report view and the web site import this one module.
//
// Policy sources, in order: the managed policy IT set (Thunderbird's policies.json), the
// policy URL (fresh), the last copy the checker accepted (cached), the built-in default.
// A downloaded text is cached only after the checker accepted it, so a hotel login page
// answering 200 never replaces the last good policy; and the fail mode is read from the
// last good policy before anything is downloaded, never from a download not yet accepted.

/** The built-in default: an empty policy means every documented default. */
export const DEFAULT_POLICY_TEXT = "{}";
/** How long a cached policy is used before the policy URL is asked again. */
export const POLICY_MAX_AGE_MS = 60 * 60 * 1000;
/** How far in the future a cached copy's time may lie (clock adjustments) before it counts as expired. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * How much of a draft's content goes to the checker. Every recipient and every
 * attachment's name and size always go; content goes as a prefix of at most
 * `perFileBytes` per attachment and `totalBytes` over all attachments, and the body up to
 * `bodyChars`. What is left out for a reason other than this prefix cut (over the total,
 * too slow, unreadable, not a file) is listed in the draft's `not_inspected`.
 */
export const CONTENT_LIMITS = Object.freeze({
  perFileBytes: 1024 * 1024,
  totalBytes: 8 * 1024 * 1024,
  bodyChars: 1024 * 1024,
});

/** "de" for a German UI language (de, de-DE, de-AT, de-CH …), otherwise "en". */
export function languageOf(uiLanguage) {
  return /^de\b/i.test(String(uiLanguage || "")) ? "de" : "en";
}

/**
 * A translator over a catalogue `{ en: {key: text}, de: {key: text} }`: the text in
 * `lang`, else English, else the key itself (a missing string shows, not blank), with
 * `{name}` placeholders filled from `vars`. Unknown placeholders stay as they are.
 */
export function translator(catalogue, lang) {
  const own = (catalogue && catalogue[lang]) || {};
  const english = (catalogue && catalogue.en) || {};
  return (key, vars) => {
    const text = Object.prototype.hasOwnProperty.call(own, key)
      ? own[key]
      : Object.prototype.hasOwnProperty.call(english, key)
        ? english[key]
        : key;
    const values = vars || {};
    return String(text).replace(/\{([a-z_]+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
    );
  };
}

/** Catalogues merged key by key, later ones winning: the checker package's, then a front end's own. */
export function mergeCatalogues(...catalogues) {
  const merged = {};
  for (const catalogue of catalogues) {
    for (const lang of Object.keys(catalogue || {})) {
      merged[lang] = Object.assign(merged[lang] || {}, catalogue[lang]);
    }
  }
  return merged;
}

/** A report's `{ en, de }` text in `lang`. */
export function pick(text, lang) {
  if (text === null || text === undefined) return "";
  if (typeof text === "string") return text;
  return text[lang] || text.en || "";
}

/**
 * A policy's `on_checker_error` ("fail-open" or "fail-closed"), or null when the text is
 * not a JSON object. Only call it on text the checker accepted (or the managed/default
 * policy): a download nobody validated must not decide what happens on failure.
 */
export function failModeOf(policyText) {
  let policy;
  try {
    policy = JSON.parse(policyText);
  } catch (_) {
    return null;
  }
  if (!policy || typeof policy !== "object" || Array.isArray(policy)) return null;
  return policy.on_checker_error === "fail-closed" ? "fail-closed" : "fail-open";
}

/**
 * Whether a policy URL may be fetched: `https://`, or plain `http://` to this machine
 * (127.0.0.0/8, ::1, localhost) for tests. Anyone on the network could answer a plain
 * `http://` request with a policy that switches every rule off.
 */
export function policyUrlAllowed(url) {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(String(url || ""));
  if (!match) return false;
  const scheme = match[1].toLowerCase();
  if (scheme === "https") return true;
  if (scheme !== "http") return false;
  const authority = match[2].slice(match[2].lastIndexOf("@") + 1).toLowerCase();
  const host = authority.startsWith("[") ? authority.slice(0, authority.indexOf("]") + 1) : authority.split(":")[0];
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Resolves like `promise`, or rejects with a timeout error after `ms`. */
export function withTimeout(promise, ms, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new Error(what + " took longer than " + ms + " ms");
      error.timeout = true;
      reject(error);
    }, ms);
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Whether a cached entry `{ url, text, fetched_at, max_age_ms? }` is still fresh at `now`:
 * younger than `maxAgeMs`, or than the server's own `max_age_ms` (Cache-Control) if shorter.
 */
export function cacheIsFresh(entry, now, maxAgeMs) {
  if (!entry || typeof entry.fetched_at !== "number") return false;
  if (typeof entry.max_age_ms === "number" && entry.max_age_ms < maxAgeMs) maxAgeMs = entry.max_age_ms;
  const age = now - entry.fetched_at;
  // A time in the future (a clock set back, a copied profile) is not "fresh forever".
  return age >= -CLOCK_SKEW_MS && age < maxAgeMs;
}

/**
 * What is known before anything is downloaded: the policy the front end can vouch for
 * now and its fail mode. `managedText` (IT's own setting) wins; else the cached copy for
 * `url` (cached only after the checker accepted it); else the default.
 */
export function lastGoodPolicy({ managedText, cached, url }) {
  if (typeof managedText === "string") {
    return { text: managedText, source: "managed", failMode: failModeOf(managedText) || "fail-open" };
  }
  if (cached && typeof cached.text === "string" && url && cached.url === url && policyUrlAllowed(url)) {
    const mode = failModeOf(cached.text);
    if (mode) return { text: cached.text, source: "cache", failMode: mode };
  }
  return { text: DEFAULT_POLICY_TEXT, source: "default", failMode: "fail-open" };
}

/**
 * Chooses the policy in force: the first candidate `accept(text)` takes (it builds the
 * checker, which throws on a policy it refuses). `fetchText(url)` resolves with the text,
 * or with `{ text, maxAgeMs }` when the server says how long it stays fresh. Candidates: managed (alone: if refused,
 * this throws); else the cached copy while fresh, the URL (fetched with `fetchText` only
 * when needed), the cached copy as a fallback, the default. A URL text is written to
 * `cache` only once accepted.
 *
 * Returns `{ value, text, source, url, failMode, errors }`: `value` is what `accept`
 * returned, `source` one of managed, url, url-cached, default; `errors` says what was
 * skipped and why (for the options page and the console). Throws when the managed
 * policy is refused, or even the default (the checker itself is broken).
 */
export async function choosePolicy({ managedText, url, cache, fetchText, accept, now, maxAgeMs }) {
  const clock = now || Date.now;
  const maxAge = maxAgeMs === undefined ? POLICY_MAX_AGE_MS : maxAgeMs;
  const errors = [];
  const tried = new Set();
  const attempt = async (text, source) => {
    if (tried.has(text + "\u0000" + source)) return null;
    tried.add(text + "\u0000" + source);
    try {
      return { value: await accept(text), text, source };
    } catch (error) {
      errors.push({ source, error: describe(error) });
      return null;
    }
  };
  const done = (chosen) => ({
    value: chosen.value,
    text: chosen.text,
    source: chosen.source,
    url: url || null,
    failMode: failModeOf(chosen.text) || "fail-open",
    errors,
  });

  if (typeof managedText === "string") {
    // IT's own setting: a typo in it is an error (the fail mode it states applies), never
    // a silent switch to the default.
    const chosen = await attempt(managedText, "managed");
    if (chosen) return done(chosen);
    const refused = new Error("the policy set by IT is not valid: " + errors[errors.length - 1].error);
    refused.errors = errors;
    throw refused;
  } else if (url) {
    let cached = null;
    try {
      cached = cache ? await cache.get() : null;
    } catch (error) {
      errors.push({ source: "cache", error: describe(error) });
    }
    const usable =
      policyUrlAllowed(url) && cached && cached.url === url && typeof cached.text === "string" ? cached : null;
    if (usable && cacheIsFresh(usable, clock(), maxAge)) {
      const chosen = await attempt(usable.text, "url");
      if (chosen) return done(chosen);
    }
    if (!policyUrlAllowed(url)) {
      errors.push({ source: "url", error: url + ": a policy URL must be https:// (plain http only to this machine)" });
    } else {
      let text = null;
      let serverMaxAge = null;
      try {
        const answer = await fetchText(url);
        if (answer && typeof answer === "object") {
          text = answer.text;
          if (typeof answer.maxAgeMs === "number") serverMaxAge = answer.maxAgeMs;
        } else {
          text = answer;
        }
        if (typeof text !== "string") {
          text = null;
          throw new Error(url + ": no text");
        }
      } catch (error) {
        errors.push({ source: "url", error: describe(error) });
      }
      if (text !== null) {
        const chosen = await attempt(text, "url");
        if (chosen) {
          if (cache && !(usable && usable.text === text && cacheIsFresh(usable, clock(), maxAge))) {
            try {
              const entry = { url, text, fetched_at: clock() };
              if (serverMaxAge !== null) entry.max_age_ms = serverMaxAge;
              await cache.set(entry);
            } catch (error) {
              errors.push({ source: "cache", error: describe(error) });
            }
          }
          return done(chosen);
        }
      }
    }
    if (usable) {
      const chosen = await attempt(usable.text, "url-cached");
      if (chosen) return done(chosen);
    }
  }
  const fallback = await attempt(DEFAULT_POLICY_TEXT, "default");
  if (fallback) return done(fallback);
  const broken = new Error("the checker refuses even the default policy: " + errors[errors.length - 1].error);
  broken.errors = errors;
  throw broken;
}

/**
 * What a stopped mail allows: `sendAnyway` (a button that sends it as it is) and
 * `reasonRequired` (the user must say why first). A warning can always be sent anyway; a
 * block only where the policy lets users override it, with a reason unless the policy
 * says none is needed; a pass is not stopped at all.
 */
export function sendAnywayOf(report) {
  const verdict = report && report.verdict;
  if (verdict === "warn") return { sendAnyway: true, reasonRequired: false };
  if (verdict === "block") {
    const override = (report && report.override) || {};
    if (override.allowed === true) return { sendAnyway: true, reasonRequired: override.reason_required !== false };
    return { sendAnyway: false, reasonRequired: false };
  }
  return { sendAnyway: verdict === "pass", reasonRequired: false };
}

/** One line of an error, short enough for a dialog. */
export function describe(error) {
  const text = String((error && (error.message || error)) || "unknown error")
    .replace(/\s+/g, " ")
    .trim();
  return text.length <= 160 ? text : text.slice(0, 159) + "…";
}

/**
 * A `not_inspected` entry for the draft: `part` "body", "attachment" or "list", `name`
 * the file, list or address (none for the body), `reason` one of the checker's reasons.
 */
export function notInspected(part, name, reason) {
  const entry = { part };
  if (part !== "body" && name) entry.name = String(name);
  entry.reason = reason;
  return entry;
}

/** The `not_inspected` reason for an error from reading a part: a timeout or another error. */
export function reasonOf(error) {
  return error && error.timeout ? "timeout" : "error";
}

/**
 * Base64 of the first `maxBytes` of `bytes` (a Uint8Array), without `btoa` on huge
 * strings (and without TextEncoder, which classic Outlook may lack).
 */
export function base64Prefix(bytes, maxBytes) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const end = Math.min(bytes.length, maxBytes);
  const parts = [];
  let chunk = "";
  for (let i = 0; i < end; i += 3) {
    const a = bytes[i];
    const b = i + 1 < end ? bytes[i + 1] : 0;
    const c = i + 2 < end ? bytes[i + 2] : 0;
    chunk +=
      alphabet[a >> 2] +
      alphabet[((a & 3) << 4) | (b >> 4)] +
      (i + 1 < end ? alphabet[((b & 15) << 2) | (c >> 6)] : "=") +
      (i + 2 < end ? alphabet[c & 63] : "=");
    if (chunk.length >= 65536) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return parts.join("");
}

/**
 * What a fix would do to `draft`, worked out before the user clicks, so a button can say
 * it ("Move 41 to Bcc and send") and the host can say afterwards what happened:
 * `{ kind, moved_to_bcc, removed, added_to, sender_added, verdict, draft }`. `removed` are
 * the addresses no longer in any field, `added_to` those new in To (the sender after a
 * move to Bcc), `verdict` the verdict of the draft after the fix (the mail may go out only
 * on "pass"). An export changes no recipient: `{ kind: "export-recipients" }`. Throws what
 * `checker.apply` throws.
 */
export function fixOutcome(checker, draft, action) {
  const kind = action && action.kind;
  if (kind === "export-recipients") return { kind };
  const applied = checker.apply(draft, action);
  const after = applied.draft;
  const keyOf = (entry) => String((entry && entry.address) || "").toLowerCase();
  const set = (fields, source) => {
    const out = new Set();
    for (const field of fields) for (const entry of source[field] || []) out.add(keyOf(entry));
    return out;
  };
  const beforeAll = set(["to", "cc", "bcc"], draft);
  const afterAll = set(["to", "cc", "bcc"], after);
  const beforeBcc = set(["bcc"], draft);
  const beforeTo = set(["to"], draft);
  const removed = [...beforeAll].filter((address) => !afterAll.has(address));
  const moved = [...set(["bcc"], after)].filter((address) => !beforeBcc.has(address) && beforeAll.has(address));
  const addedTo = [...set(["to"], after)].filter((address) => !beforeTo.has(address));
  const sender = keyOf(draft.from);
  return {
    kind,
    moved_to_bcc: moved.length,
    removed,
    added_to: addedTo,
    sender_added: Boolean(sender) && addedTo.includes(sender),
    verdict: checker.check(after).verdict,
    draft: after,
  };
}
