// Office.js's callback APIs as promises, and the facts about the client the add-in needs:
// which Mailbox requirement set it has and whether it is classic Outlook on Windows.

/** Calls `method(...args, callback)` and resolves with the AsyncResult's value. */
export function call(target, method, ...args) {
  return new Promise((resolve, reject) => {
    let fn = target && target[method];
    if (typeof fn !== "function") {
      reject(new Error(method + " is not available in this Outlook"));
      return;
    }
    try {
      fn.call(target, ...args, (result) => {
        if (result && result.status === "failed") {
          const error = result.error || {};
          const failure = new Error(error.message || error.name || method + " failed");
          failure.code = error.code;
          failure.officeName = error.name;
          reject(failure);
        } else {
          resolve(result ? result.value : undefined);
        }
      });
    } catch (error) {
      reject(error);
    }
  });
}

export { withTimeout } from "../../crates/sendguard-wasm/js/host.mjs";

/** Whether the client has Mailbox requirement set `version` ("1.14"). */
export function hasMailbox(office, version) {
  try {
    return Boolean(office.context.requirements.isSetSupported("Mailbox", version));
  } catch (_) {
    return false;
  }
}

/** Classic Outlook on Windows ("PC"), where a recipient field holds at most 500 entries. */
export function isClassicWindows(office) {
  try {
    return office.context.diagnostics.platform === "PC";
  } catch (_) {
    return false;
  }
}

/** Most recipients one setAsync/addAsync call accepts (NumberOfRecipientsExceeded above). */
export const RECIPIENTS_PER_CALL = 100;
/** Most recipients one field holds in classic Outlook on Windows. */
export const CLASSIC_FIELD_LIMIT = 500;

/** The per-field recipient limit of this client, or Infinity where none is documented. */
export function fieldLimit(office) {
  return isClassicWindows(office) ? CLASSIC_FIELD_LIMIT : Infinity;
}
