// The Send handler (Smart Alerts): OnMessageSend and OnAppointmentSend.
//
// Classic Outlook on Windows loads this file alone in a JavaScript-only runtime (no DOM, no
// `import`, maybe no WebAssembly); Outlook on the web, new Outlook and Mac load it from
// commands.html. The build puts the checker's single-file bundle (which defines
// `globalThis.SendguardChecker`, with WebAssembly or its plain-JavaScript fallback) in front
// of this code, so the whole handler is one ES2016 file.
//
// It first learns the fail mode from the last policy the checker accepted (the saved copy;
// else the default), then reads the draft and takes the policy from the add-in's own server
// (or the saved copy, or the default) in parallel, runs the checker and answers within
// DEADLINE_MS, well inside the 5 s after which Outlook says the add-in is taking long. Every
// Office call has its own time limit; a failure or timeout anywhere is answered by the fail
// mode, never by a silent pass. Nothing about the draft leaves the machine: the only
// request is the policy download.

import { call, hasMailbox, withTimeout } from "./office-api.js";
import { readDraft } from "./read-draft.js";
import { addinUrl, loadPolicy, policyCache, policyUrlFor } from "./policy-source.js";
import { fingerprint } from "./checker-host.js";
import { completionFor, completionForFailure, describeError } from "./decision.js";
import { languageOf, t } from "./i18n.js";
import { holdForDelivery, tellDelay } from "./delay.js";
import { lastGoodPolicy } from "../../crates/sendguard-wasm/js/host.mjs";

/** The answer is due by then, whatever happens (Outlook starts to nag after 5 s). */
export const DEADLINE_MS = 4000;
/** The policy download gets this long before the last good copy is used. */
export const POLICY_TIMEOUT_MS = 1500;
/** sessionData key: the fingerprint of a draft that was stopped with a warning. */
const WARNED_KEY = "sendguard.warned";
/** A notification's text is at most 150 characters (Office.NotificationMessageDetails). */
const NOTICE_MAX = 150;

// A browser runtime knows where this script came from; the JavaScript-only runtime does not.
const scriptUrl =
  typeof document !== "undefined" && document && document.currentScript ? document.currentScript.src : null;

function session(item) {
  return item && item.sessionData && typeof item.sessionData.getAsync === "function" ? item.sessionData : null;
}

async function readSession(item, key) {
  const data = session(item);
  if (!data) return null;
  try {
    return await withTimeout(call(data, "getAsync", key), 500, "sessionData");
  } catch (_) {
    return null; // not set yet
  }
}

async function writeSession(item, key, value) {
  const data = session(item);
  if (!data) return;
  try {
    await withTimeout(call(data, "setAsync", key, value), 500, "sessionData");
  } catch (_) {
    // Without it the warning comes again on the next Send: safe, only less convenient.
  }
}

/** Tells the user in the compose form that the mail went unchecked (fail-open). */
async function noticeUnchecked(office, item, lang, error) {
  const messages = item && item.notificationMessages;
  if (!messages || typeof messages.replaceAsync !== "function") return;
  const text = t(lang, "outlook.notice.unchecked", { error: describeError(error) });
  const details = {
    type: office.MailboxEnums ? office.MailboxEnums.ItemNotificationMessageType.InformationalMessage : "informationalMessage",
    message: text.length > NOTICE_MAX ? text.slice(0, NOTICE_MAX - 1) + "…" : text,
    icon: "Icon.16x16",
    persistent: false,
  };
  await withTimeout(call(messages, "replaceAsync", "sendguard", details), 500, "notification").catch(() => {});
}

/** Checks the item being sent and completes `event`. Never throws, never hangs. */
export async function onSend(event) {
  const office = globalThis.Office;
  const item = office.context.mailbox.item;
  const lang = languageOf(office.context.displayLanguage);
  const caps = { mailbox114: hasMailbox(office, "1.14"), mailbox115: hasMailbox(office, "1.15") };
  let failMode = "fail-open";
  let finished = false;
  let watchdog = null;
  const finish = (options) => {
    if (finished) return;
    finished = true;
    clearTimeout(watchdog);
    try {
      event.completed(options);
    } catch (error) {
      console.error("sendguard: event.completed refused the answer", error);
    }
  };
  const fail = async (error) => {
    if (finished) return;
    console.error("sendguard: the check failed", error);
    const options = completionForFailure(failMode, error, { lang });
    if (options.allowEvent) await noticeUnchecked(office, item, lang, error);
    finish(options);
  };
  watchdog = setTimeout(() => fail(new Error(t(lang, "outlook.error.timeout"))), DEADLINE_MS);

  try {
    const roaming = office.context.roamingSettings;
    const cache = policyCache(globalThis.OfficeRuntime, roaming);
    const url = policyUrlFor(addinUrl(office, scriptUrl, roaming));
    // The fail mode before anything else can fail: from the saved copy the checker accepted.
    const saved = await cache.get().catch(() => null);
    failMode = lastGoodPolicy({ cached: saved, url }).failMode;
    const engine = globalThis.SendguardChecker;
    const policy = loadPolicy({
      fetchFn: globalThis.fetch,
      url,
      cache: { get: () => Promise.resolve(saved), set: cache.set },
      createChecker: engine && engine.createChecker,
      timeoutMs: POLICY_TIMEOUT_MS,
    }).then((chosen) => {
      failMode = chosen.failMode;
      for (const skipped of chosen.errors) console.warn("sendguard: policy from " + skipped.source + " not used: " + skipped.error);
      return chosen;
    });
    policy.catch(() => {}); // awaited below; no "unhandled" report while the draft is read
    let read;
    try {
      read = await readDraft(office);
    } catch (error) {
      // The recipients cannot be read: a fault. The fail mode of the policy being loaded
      // (if the checker accepts it in time) is the one that answers.
      await policy.catch(() => null);
      throw error;
    }
    const chosen = await policy;
    const report = chosen.value.check(read.draft);
    const print = fingerprint(read.draft);
    const warnedBefore = report.verdict === "warn" && (await readSession(item, WARNED_KEY)) === print;
    // A delay (policy `delay`, decided by the core) holds a message that goes out; a meeting
    // has no delivery time. It never replaces a stop: the answer below is the verdict's.
    const delay = !read.appointment && report.delay ? report.delay : null;
    const options = completionFor(report, {
      lang,
      caps,
      warnedBefore,
      appointment: read.appointment,
      delayed: Boolean(delay),
      contextData: JSON.stringify({ source: "send", fingerprint: print }),
    });
    if (!options.allowEvent && report.verdict === "warn") await writeSession(item, WARNED_KEY, print);
    // Outlook sends on "Send Anyway" without asking the handler again: the time is set now.
    if (delay && (options.allowEvent || options.sendModeOverride === "promptUser")) {
      const at = await holdForDelivery(office, item, delay);
      if (at) await tellDelay(office, item, lang, at);
    }
    finish(options);
  } catch (error) {
    await fail(error);
  }
}

// Outlook calls the functions named in the manifest (FunctionName / actionId).
if (typeof Office !== "undefined" && Office.actions && typeof Office.actions.associate === "function") {
  Office.actions.associate("onMessageSendHandler", onSend);
  Office.actions.associate("onAppointmentSendHandler", onSend);
}
