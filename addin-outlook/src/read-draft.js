// Reads the item being composed into a sendguard draft (docs/formats.md): sender,
// recipients, subject, body text, every attachment's name and size, and a prefix of each
// attachment's content. Every Office call has its own time limit inside the handler's
// deadline. Recipients are the one part without which there is no check: a recipient read
// that fails or hangs is a fault (the policy's fail mode applies). Everything else that
// could not be read goes into the draft's `not_inspected`, so the checker reports it
// (rules `content-not-inspected`, `list-not-expanded`) instead of skipping it.

import { call, hasMailbox, withTimeout } from "./office-api.js";
import { CONTENT_LIMITS, notInspected, reasonOf } from "../../crates/sendguard-wasm/js/host.mjs";

/** Time limits per Office call (ms); all well inside the handler's 4 s deadline. */
export const TIMEOUTS = Object.freeze({
  recipients: 1500,
  from: 500,
  subject: 500,
  body: 1000,
  attachmentList: 1000,
  attachmentContent: 1200,
  label: 800,
});
/** Attachments larger than this are not fetched at all: Office hands over the whole file. */
export const CONTENT_READ_MAX_BYTES = 25 * 1000 * 1000;

/** Meetings have attendees instead of To/Cc and no Bcc. */
export function isAppointment(office, item) {
  const types = office.MailboxEnums && office.MailboxEnums.ItemType;
  return item.itemType === (types ? types.Appointment : "appointment");
}

/** The recipient fields of `item` by draft field name: message To/Cc/Bcc, meeting required/optional. */
export function recipientFields(office, item) {
  if (isAppointment(office, item)) {
    return { to: item.requiredAttendees, cc: item.optionalAttendees };
  }
  return { to: item.to, cc: item.cc, bcc: item.bcc };
}

function toAddress(details) {
  const address = String(details.emailAddress || "").trim();
  const name = String(details.displayName || "").trim();
  return name && name.toLowerCase() !== address.toLowerCase() ? { name, address } : { address };
}

function isList(details) {
  return String(details.recipientType || "").toLowerCase() === "distributionlist";
}

/**
 * Each recipient field as a list of `{ name?, address }`, and `lists`: `not_inspected`
 * entries for contact groups (Office.js cannot expand them) and entries without an
 * address. A group's own address, if it has one, stays a recipient.
 */
export async function readRecipients(office, item) {
  const fields = recipientFields(office, item);
  const out = { to: [], cc: [], bcc: [], lists: [] };
  const names = Object.keys(fields);
  const read = await Promise.all(
    names.map((name) => withTimeout(call(fields[name], "getAsync"), TIMEOUTS.recipients, "reading " + name)),
  );
  names.forEach((name, index) => {
    for (const entry of read[index] || []) {
      if (!entry) continue;
      const hasAddress = String(entry.emailAddress || "").trim() !== "";
      if (isList(entry) || !hasAddress) {
        const label = hasAddress ? String(entry.emailAddress).trim() : String(entry.displayName || "").trim();
        out.lists.push(notInspected("list", label || "?", "unsupported"));
      }
      if (hasAddress) out[name].push(toAddress(entry));
    }
  });
  return out;
}

async function readFrom(office, item) {
  // Message: item.from (Mailbox 1.7); meeting: item.organizer. Else the mailbox owner.
  const field = isAppointment(office, item) ? item.organizer : item.from;
  try {
    if (field && typeof field.getAsync === "function") {
      const from = await withTimeout(call(field, "getAsync"), TIMEOUTS.from, "reading the sender");
      if (from && from.emailAddress) return toAddress(from);
    }
  } catch (_) {
    // fall through to the profile
  }
  const profile = office.context.mailbox.userProfile;
  return profile && profile.emailAddress
    ? toAddress({ emailAddress: profile.emailAddress, displayName: profile.displayName })
    : null;
}

async function readSubject(item) {
  if (!item.subject) return "";
  if (typeof item.subject === "string") return item.subject;
  return (await withTimeout(call(item.subject, "getAsync"), TIMEOUTS.subject, "reading the subject")) || "";
}

/** The body text (cut to CONTENT_LIMITS.bodyChars), and what of it was not read. */
async function readBody(office, item) {
  if (!item.body) return { body: "", missed: [] };
  const text = office.CoercionType ? office.CoercionType.Text : "text";
  try {
    const body = String((await withTimeout(call(item.body, "getAsync", text), TIMEOUTS.body, "reading the body")) || "");
    if (body.length <= CONTENT_LIMITS.bodyChars) return { body, missed: [] };
    return { body: body.slice(0, CONTENT_LIMITS.bodyChars), missed: [notInspected("body", null, "too-large")] };
  } catch (error) {
    return { body: "", missed: [notInspected("body", null, reasonOf(error))] };
  }
}

/** An attachment's kind: "file", "item" (an attached mail or meeting) or "cloud". */
function kindOf(attachment) {
  return String(attachment.attachmentType || "file").toLowerCase();
}

/** The name the recipient's client shows: an attached mail is a .msg file there. */
function shownName(attachment) {
  const name = String(attachment.name || "").trim();
  if (kindOf(attachment) !== "item") return name;
  return /\.(msg|eml)$/i.test(name) ? name : (name || "item") + ".msg";
}

/** Base64 characters for `bytes` bytes, a whole number of 4-character groups. */
function base64Chars(bytes) {
  return Math.floor(bytes / 3) * 4;
}

/**
 * Every attachment (inline pictures, attached mails and cloud files included) by name and
 * size, with a prefix of each file's content within CONTENT_LIMITS; `missed` lists what
 * could not be read and why.
 */
async function readAttachments(office, item) {
  const missed = [];
  if (!hasMailbox(office, "1.8") || typeof item.getAttachmentsAsync !== "function") return { attachments: [], missed };
  let list;
  try {
    list = (await withTimeout(call(item, "getAttachmentsAsync"), TIMEOUTS.attachmentList, "listing the attachments")) || [];
  } catch (error) {
    return { attachments: [], missed: [notInspected("attachment", null, reasonOf(error))] };
  }
  const listed = list.filter(Boolean);
  const attachments = listed.map((a) => {
    const entry = { name: shownName(a), size: Number(a.size) || 0 };
    if (a.contentType) entry.media_type = String(a.contentType);
    return entry;
  });
  const canRead = typeof item.getAttachmentContentAsync === "function";
  let budget = CONTENT_LIMITS.totalBytes;
  const reads = listed.map((a, index) => {
    const entry = attachments[index];
    const kind = kindOf(a);
    if (kind !== "file" || !canRead) {
      missed.push(notInspected("attachment", entry.name, "unsupported"));
      return Promise.resolve();
    }
    if (entry.size > CONTENT_READ_MAX_BYTES) {
      missed.push(notInspected("attachment", entry.name, "too-large"));
      return Promise.resolve();
    }
    const wanted = Math.min(entry.size || CONTENT_LIMITS.perFileBytes, CONTENT_LIMITS.perFileBytes);
    if (wanted > budget) {
      missed.push(notInspected("attachment", entry.name, "too-large"));
      return Promise.resolve();
    }
    budget -= wanted;
    return withTimeout(call(item, "getAttachmentContentAsync", a.id), TIMEOUTS.attachmentContent, "reading " + entry.name).then(
      (content) => {
        if (content && content.format === "base64" && typeof content.content === "string") {
          entry.content_base64 = content.content.slice(0, base64Chars(CONTENT_LIMITS.perFileBytes));
        } else {
          missed.push(notInspected("attachment", entry.name, "unsupported"));
        }
      },
      (error) => missed.push(notInspected("attachment", entry.name, reasonOf(error))),
    );
  });
  await Promise.all(reads);
  return { attachments: attachments.map((a) => Object.assign({}, a)), missed };
}

/**
 * The catalogue label `wanted` names (its id or its name, without case and surrounding
 * blanks), searched through sub-labels too; null when the catalogue has no such label.
 */
export function findLabel(labels, wanted) {
  const key = String(wanted == null ? "" : wanted).trim().toLowerCase();
  if (!key) return null;
  const queue = Array.isArray(labels) ? labels.slice() : [];
  while (queue.length > 0) {
    const label = queue.shift();
    if (!label) continue;
    if (String(label.id || "").trim().toLowerCase() === key || String(label.name || "").trim().toLowerCase() === key) return label;
    if (Array.isArray(label.children)) queue.push(...label.children);
  }
  return null;
}

/** Whether this Outlook lets add-ins read and apply sensitivity labels (Mailbox 1.13). */
export function labelsApi(office, item) {
  const catalog = office.context.sensitivityLabelsCatalog;
  const usable = hasMailbox(office, "1.13") && item && item.sensitivityLabel && catalog;
  return usable ? { catalog, label: item.sensitivityLabel } : null;
}

/**
 * The draft's `protection` (docs/formats.md). Outlook's compose API has no S/MIME state,
 * so `encrypted` is unknown (null; the checker counts it as not encrypted). From Mailbox
 * 1.13, with the tenant's label catalogue enabled, the applied sensitivity label is read
 * (`item.sensitivityLabel.getAsync` gives its GUID; the catalogue its name) and the add-in
 * can apply one (`can_label`). A failed or slow read leaves the label unknown: no label.
 */
export async function readProtection(office, item) {
  const protection = { encrypted: null, can_encrypt: false, can_label: false };
  const api = labelsApi(office, item);
  if (!api) return protection;
  try {
    const enabled = await withTimeout(call(api.catalog, "getIsEnabledAsync"), TIMEOUTS.label, "the label catalogue");
    if (enabled !== true) return protection;
    protection.can_label = true;
    const id = await withTimeout(call(api.label, "getAsync"), TIMEOUTS.label, "reading the sensitivity label");
    if (id) {
      const labels = await withTimeout(call(api.catalog, "getAsync"), TIMEOUTS.label, "the label catalogue").catch(() => []);
      const found = findLabel(labels, id);
      protection.label = String(id);
      if (found && found.name) protection.label_name = String(found.name);
    }
  } catch (_) {
    // The label is unknown: the mail counts as not labelled (fail closed).
  }
  return protection;
}

/**
 * The draft for the item being composed, and whether it is a meeting. Every read runs in
 * parallel with its own time limit. Rejects only when the recipients cannot be read.
 */
export async function readDraft(office) {
  const item = office.context.mailbox.item;
  const [from, recipients, subject, body, files, protection] = await Promise.all([
    readFrom(office, item),
    readRecipients(office, item),
    readSubject(item).catch(() => ""),
    readBody(office, item),
    readAttachments(office, item),
    readProtection(office, item),
  ]);
  const draft = {
    from,
    to: recipients.to,
    cc: recipients.cc,
    bcc: recipients.bcc,
    subject,
    body: body.body,
    attachments: files.attachments,
    protection,
  };
  const missed = recipients.lists.concat(body.missed, files.missed);
  if (missed.length > 0) draft.not_inspected = missed;
  return { draft, appointment: isAppointment(office, item) };
}
