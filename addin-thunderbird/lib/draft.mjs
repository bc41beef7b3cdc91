// The draft (docs/formats.md) built from what Thunderbird's compose API reports, and
// a fixed draft written back as the recipient lists the compose API accepts.

import { formatMailbox, isAddress, parseMailbox, vCardEmails, vCardName } from "./mailbox.mjs";

/** The recipient fields a fix may rewrite. */
export const RECIPIENT_FIELDS = ["to", "cc", "bcc"];

/**
 * Full content goes to the checker up to this size; larger files contribute their
 * first bytes only. The rules that read content look at the start (executable magic),
 * and copying tens of megabytes into WebAssembly on every Send would make Send slow.
 */
export const FULL_CONTENT_LIMIT = 8 * 1024 * 1024;
const PREFIX_BYTES = 1024 * 1024;

/**
 * Mailing lists of all address books by lower-cased name, each with its members
 * ({ name, address }). Asked only when a recipient is not an address, so ordinary
 * mails never touch the address book.
 */
export async function mailingListsByName(addressBooks) {
  const lists = new Map();
  const books = await addressBooks.list(true);
  for (const book of books ?? []) {
    for (const list of book.mailingLists ?? []) {
      let contacts = list.contacts;
      if (!contacts && addressBooks.mailingLists?.listMembers) {
        contacts = await addressBooks.mailingLists.listMembers(list.id);
      }
      const members = [];
      for (const contact of contacts ?? []) {
        const vCard = contact.vCard ?? "";
        const address = vCardEmails(vCard)[0] ?? contact.properties?.PrimaryEmail;
        if (!address) continue;
        const name = vCardName(vCard) ?? contact.properties?.DisplayName;
        members.push(name ? { name, address } : { address });
      }
      const entry = { name: list.name, members };
      for (const key of [list.name, list.nickName, list.description]) {
        if (key && !lists.has(key.toLowerCase())) lists.set(key.toLowerCase(), entry);
      }
    }
  }
  return lists;
}

/** Whether any recipient of the compose details is not a plain address (a list). */
export function hasListRecipients(details) {
  return RECIPIENT_FIELDS.some((field) =>
    (details[field] ?? []).some((text) => !isAddress(parseMailbox(text).address)),
  );
}

/**
 * Builds the draft and remembers what the draft cannot carry, so nothing is lost when
 * a fix is written back:
 * - `lists`: expanded mailing lists, by group name, with the field and original
 *   string they came from;
 * - `unresolved`: entries that are neither addresses nor known lists, per field.
 *   The checker never sees them (it cannot judge a name without an address), and
 *   they are written back unchanged.
 */
export function composeDraft(details, { lists = new Map(), attachments = [] } = {}) {
  const draft = {
    from: null,
    to: [],
    cc: [],
    bcc: [],
    subject: details.subject ?? "",
    body: details.plainTextBody ?? "",
    attachments,
  };
  if (details.from) {
    const from = parseMailbox(details.from);
    if (isAddress(from.address)) draft.from = from;
  }
  const expanded = new Map();
  const unresolved = { to: [], cc: [], bcc: [] };
  for (const field of RECIPIENT_FIELDS) {
    for (const text of details[field] ?? []) {
      const mailbox = parseMailbox(text);
      if (isAddress(mailbox.address)) {
        draft[field].push(mailbox);
        continue;
      }
      const list = lists.get((mailbox.name ?? "").toLowerCase()) ?? lists.get(mailbox.address.toLowerCase());
      if (!list || expanded.has(list.name)) {
        unresolved[field].push(text);
        continue;
      }
      expanded.set(list.name, { field, text, size: list.members.length });
      for (const member of list.members) draft[field].push({ ...member, group: list.name });
    }
  }
  return { draft, lists: expanded, unresolved };
}

/**
 * The `{ to, cc, bcc }` for `onBeforeSend`'s `details` or `setComposeDetails` from a
 * fixed draft. A mailing list whose members all stayed together in the field it came
 * from is written back as the list; otherwise its members are written one by one.
 */
export function recipientsFromDraft(draft, composed) {
  const result = {};
  for (const field of RECIPIENT_FIELDS) {
    const entries = draft[field] ?? [];
    const counts = new Map();
    for (const entry of entries) {
      if (entry.group) counts.set(entry.group, (counts.get(entry.group) ?? 0) + 1);
    }
    const written = new Set();
    const out = [];
    for (const entry of entries) {
      const list = entry.group ? composed.lists.get(entry.group) : undefined;
      const intact = list && list.field === field && counts.get(entry.group) === list.size;
      if (intact) {
        if (!written.has(entry.group)) out.push(list.text);
        written.add(entry.group);
      } else {
        out.push(formatMailbox(entry));
      }
    }
    out.push(...(composed.unresolved[field] ?? []));
    result[field] = out;
  }
  return result;
}

/** Reads the compose window's attachments for the draft. */
export async function readAttachments(compose, tabId) {
  const listed = await compose.listAttachments(tabId);
  const attachments = [];
  for (const item of listed ?? []) {
    const attachment = { name: item.name, size: item.size ?? 0 };
    try {
      const file = await compose.getAttachmentFile(item.id);
      if (file.type) attachment.media_type = file.type;
      attachment.size = file.size;
      const bytes = file.size > FULL_CONTENT_LIMIT ? file.slice(0, PREFIX_BYTES) : file;
      attachment.content_base64 = base64(new Uint8Array(await bytes.arrayBuffer()));
    } catch {
      // A cloud attachment that is not uploaded yet has no file: the name, type and
      // size still reach the checker.
    }
    attachments.push(attachment);
  }
  return attachments;
}

/** Base64 of bytes, in chunks so large files do not overflow the argument limit. */
export function base64(bytes) {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
