// The delivery delay (policy `delay`, issue 15): a mail the checks let go, or that the user
// sends past a warning or an overridden block, is given a delivery time `report.delay.seconds`
// from now with `item.delayDeliveryTime.setAsync` (Mailbox 1.13, messages only). The core
// decides whether and how long (`report.delay`); this file only applies it and tells the user
// when the mail leaves and where it waits.
//
// Where a held mail waits (Microsoft, "Manage the delivery date and time of a message",
// learn.microsoft.com/office/dev/add-ins/outlook/delay-delivery, "Feature behavior and
// limitations"): the delay set by an add-in is processed on the server. In Outlook on the web,
// new Outlook on Windows and Outlook on Mac the mail stays in Drafts until then and can be
// opened and changed there; in classic Outlook on Windows it does not appear in the Outbox and
// cannot be edited or cancelled after Send (it shows in Sent Items). See addin-outlook/README.md.
//
// A delay never stops a send: without the API (Mailbox < 1.13), or when the call fails or
// takes too long, the mail goes at once and the console says why.

import { call, hasMailbox, withTimeout } from "./office-api.js";
import { t } from "./i18n.js";

/** setAsync gets this long; the whole answer is due within the handler's deadline. */
export const DELAY_TIMEOUT_MS = 800;
/** The notification's key on the item, and Office's limit for its text. */
export const DELAY_NOTICE_KEY = "sendguardDelay";
const NOTICE_MAX = 150;

function pad(number) {
  return (number < 10 ? "0" : "") + number;
}

/** "14:32" in the user's local time: short, and the same in German and English. */
export function clockTime(date) {
  return pad(date.getHours()) + ":" + pad(date.getMinutes());
}

/**
 * Where a held mail waits in this client: "classic" (classic Outlook on Windows: on the
 * server, not in the Outbox, cannot be stopped from Outlook) or "drafts" (the web, new
 * Outlook, Mac: in Drafts until it leaves).
 */
export function delayPlace(office) {
  try {
    const host = office.context.mailbox.diagnostics && office.context.mailbox.diagnostics.hostName;
    const platform = office.context.diagnostics && office.context.diagnostics.platform;
    return host === "Outlook" && platform === "PC" ? "classic" : "drafts";
  } catch (_) {
    return "drafts";
  }
}

/**
 * Gives `item` a delivery time `delay.seconds` from `now`. Resolves with the Date, or null
 * when this Outlook cannot hold mail or the call failed (the mail then leaves at once).
 */
export async function holdForDelivery(office, item, delay, now = Date.now()) {
  const target = item && item.delayDeliveryTime;
  if (!delay || !(delay.seconds > 0)) return null;
  if (!hasMailbox(office, "1.13") || !target || typeof target.setAsync !== "function") {
    console.warn("sendguard: this Outlook has no delayDeliveryTime (Mailbox 1.13); the mail leaves at once");
    return null;
  }
  const at = new Date(now + delay.seconds * 1000);
  try {
    await withTimeout(call(target, "setAsync", at), DELAY_TIMEOUT_MS, "delayDeliveryTime.setAsync");
    return at;
  } catch (error) {
    console.warn("sendguard: the delivery delay could not be set; the mail leaves at once", error);
    return null;
  }
}

/** The one line for the user: when the mail leaves and where to stop it. */
export function delayNotice(office, lang, at) {
  const key = delayPlace(office) === "classic" ? "outlook.notice.delay.classic" : "outlook.notice.delay.drafts";
  const text = t(lang, key, { time: clockTime(at) });
  return text.length > NOTICE_MAX ? text.slice(0, NOTICE_MAX - 1) + "…" : text;
}

/** Shows the line as an informational notification on the item; never throws. */
export async function tellDelay(office, item, lang, at) {
  const messages = item && item.notificationMessages;
  if (!messages || typeof messages.replaceAsync !== "function") return;
  const details = {
    type: office.MailboxEnums ? office.MailboxEnums.ItemNotificationMessageType.InformationalMessage : "informationalMessage",
    message: delayNotice(office, lang, at),
    icon: "Icon.16x16",
    persistent: false,
  };
  await withTimeout(call(messages, "replaceAsync", DELAY_NOTICE_KEY, details), 500, "notification").catch(() => {});
}
