// Builds the checker from the first policy candidate it accepts, and keeps it for the next
// Send in the same runtime (building it parses the policy and, with WebAssembly, compiles).

let kept = null; // { createChecker, text, checker }

/**
 * `{ checker, policyText, source, rejected }`: the checker for the first candidate that
 * `createChecker` accepts. `rejected` lists candidates it refused, with the reason.
 * Throws only if even the empty default policy fails, i.e. the checker itself is broken.
 */
export async function checkerFor(createChecker, candidates) {
  const rejected = [];
  for (const candidate of candidates) {
    if (kept && kept.createChecker === createChecker && kept.text === candidate.text) {
      return { checker: kept.checker, policyText: candidate.text, source: candidate.source, rejected };
    }
    try {
      const checker = await createChecker(candidate.text);
      kept = { createChecker, text: candidate.text, checker };
      return { checker, policyText: candidate.text, source: candidate.source, rejected };
    } catch (error) {
      rejected.push({ source: candidate.source, error });
      if (candidate.source === "default") throw error;
    }
  }
  throw new Error("no policy to check with");
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
