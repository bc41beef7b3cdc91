// Builds the checker for a policy text and keeps it for the next Send in the same runtime
// (building it parses the policy and, with WebAssembly, compiles).

let kept = null; // { createChecker, text, checker }

/**
 * `accept(text)` for host.mjs `choosePolicy`: the checker for `text`, built once per
 * policy text. Throws when the checker refuses the policy, or when it is not loaded.
 */
export function acceptorFor(createChecker) {
  return async (text) => {
    if (typeof createChecker !== "function") throw new Error("the checker is not loaded");
    if (kept && kept.createChecker === createChecker && kept.text === text) return kept.checker;
    const checker = await createChecker(text);
    kept = { createChecker, text, checker };
    return checker;
  };
}

/** A short, stable digest of a draft: FNV-1a over its JSON, as 8 hex digits. */
export function fingerprint(draft) {
  const text = JSON.stringify(draft);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return ("0000000" + hash.toString(16)).slice(-8);
}
