// Reads the item being composed into a sendguard draft (docs/formats.md): sender,
// recipients, subject, body text and the attachment list. Attachment content is read only
// for the first bytes the core sniffs for programs under harmless names.

import { call, hasMailbox, withTimeout } from "./office-api.js";

/** Bytes of each attachment the core needs: it compares the start with executables' magic. */
const SNIFF_BASE64_CHARS = 1364; // 341 groups of 4 = 1023 bytes, no padding needed
/** Attachments larger than this are not read at all (the name and size still count). */
const SNIFF_MAX_BYTES = 25 * 1000 * 1000;
/** How long reading all attachment starts may take before the check goes on without them. */
const SNIFF_BUDGET_MS = 1200;

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

/** Each recipient field as a list of `{ name?, address }`. */
export async function readRecipients(office, item) {
  const fields = recipientFields(office, item);
  const out = { to: [], cc: [], bcc: [] };
  const names = Object.keys(fields);
  const lists = await Promise.all(names.map((name) => call(fields[name], "getAsync")));
  names.forEach((name, index) => {
    out[name] = (lists[index] || []).filter((r) => r && r.emailAddress).map(toAddress);
  });
  return out;
}

async function readFrom(office, item) {
  // Message: item.from (Mailbox 1.7); meeting: item.organizer. Else the mailbox owner.
  const field = isAppointment(office, item) ? item.organizer : item.from;
  try {
    if (field && typeof field.getAsync === "function") {
      const from = await call(field, "getAsync");
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
  return (await call(item.subject, "getAsync")) || "";
}

async function readBody(office, item) {
  if (!item.body) return "";
  const text = office.CoercionType ? office.CoercionType.Text : "text";
  return (await call(item.body, "getAsync", text)) || "";
}

async function readAttachments(office, item) {
  if (!hasMailbox(office, "1.8") || typeof item.getAttachmentsAsync !== "function") return [];
  const list = (await call(item, "getAttachmentsAsync")) || [];
  const files = list.filter((a) => a && !a.isInline && String(a.attachmentType || "file").toLowerCase() === "file");
  const attachments = files.map((a) => {
    const entry = { name: String(a.name || ""), size: Number(a.size) || 0 };
    if (a.contentType) entry.media_type = String(a.contentType);
    return entry;
  });
  if (typeof item.getAttachmentContentAsync === "function") {
    const sniffs = files.map((a, index) =>
      a.size > SNIFF_MAX_BYTES
        ? Promise.resolve()
        : call(item, "getAttachmentContentAsync", a.id).then((content) => {
            if (content && content.format === "base64" && typeof content.content === "string") {
              attachments[index].content_base64 = content.content.slice(0, SNIFF_BASE64_CHARS);
            }
          }),
    );
    // Without the content the name, type and size rules still run: better a check in time.
    await withTimeout(Promise.all(sniffs), SNIFF_BUDGET_MS, "reading attachments").catch(() => {});
  }
  // A copy, so a read that finishes after the budget cannot change a draft already checked.
  return attachments.map((a) => Object.assign({}, a));
}

/**
 * The draft for the item being composed, and whether it is a meeting.
 * Every read runs in parallel; a failing optional part (body, attachments) leaves it out.
 */
export async function readDraft(office) {
  const item = office.context.mailbox.item;
  const [from, recipients, subject, body, attachments] = await Promise.all([
    readFrom(office, item),
    readRecipients(office, item),
    readSubject(item).catch(() => ""),
    readBody(office, item).catch(() => ""),
    readAttachments(office, item).catch(() => []),
  ]);
  const draft = { from, to: recipients.to, cc: recipients.cc, bcc: recipients.bcc, subject, body, attachments };
  return { draft, appointment: isAppointment(office, item) };
}
