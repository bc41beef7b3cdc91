// The draft (docs/formats.md) built from what Thunderbird's compose API reports, and
// a fixed draft written back as the recipient lists the compose API accepts.

import { CONTENT_LIMITS, base64Prefix, notInspected, reasonOf, withTimeout } from "../checker/host.mjs";
import { formatMailbox, isAddress, parseMailbox, vCardEmails, vCardName } from "./mailbox.mjs";

/** The recipient fields a fix may rewrite. */
export const RECIPIENT_FIELDS = ["to", "cc", "bcc"];

/** How long one address book call may take before its lists count as not expanded. */
export const ADDRESS_BOOK_TIMEOUT_MS = 3000;
/** How long listing the attachments, and reading one attachment's bytes, may take. */
export const ATTACHMENT_TIMEOUT_MS = 3000;

/** The most address-book domains handed to the checker (its own limit is higher). */
export const MAX_KNOWN_DOMAINS = 20000;

/** Lists every address book with its contacts and lists, within ADDRESS_BOOK_TIMEOUT_MS. */
export function listAddressBooks(addressBooks) {
  return withTimeout(addressBooks.list(true), ADDRESS_BOOK_TIMEOUT_MS, "listing the address books");
}

/**
 * Mailing lists of all address books by lower-cased name, each with its members
 * ({ name, address }), or `members: null` when they could not be read. `listed` is the
 * (promised) result of `listAddressBooks`, so one Send lists the books once.
 * Throws when the address books cannot be listed at all.
 */
export async function mailingListsByName(addressBooks, listed = listAddressBooks(addressBooks)) {
  const lists = new Map();
  const books = await listed;
  for (const book of books ?? []) {
    for (const list of book.mailingLists ?? []) {
      let contacts = list.contacts;
      try {
        if (!contacts && addressBooks.mailingLists?.listMembers) {
          contacts = await withTimeout(
            addressBooks.mailingLists.listMembers(list.id),
            ADDRESS_BOOK_TIMEOUT_MS,
            `reading the list ${list.name}`,
          );
        }
      } catch (error) {
        const entry = { name: list.name, members: null, reason: reasonOf(error) };
        for (const key of [list.name, list.nickName, list.description]) {
          if (key && !lists.has(key.toLowerCase())) lists.set(key.toLowerCase(), entry);
        }
        continue;
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

/**
 * The distinct domains of the address books' contacts, lower-cased: the checker's
 * `known_domains` (lookalike-recipient never reports them and compares recipients with
 * them). Domains only: no address, no name leaves this function.
 */
export function addressBookDomains(books) {
  const domains = new Set();
  for (const book of books ?? []) {
    for (const contact of book.contacts ?? []) {
      const addresses = vCardEmails(contact.vCard ?? "");
      if (contact.properties?.PrimaryEmail) addresses.push(contact.properties.PrimaryEmail);
      for (const address of addresses) {
        const at = String(address).lastIndexOf("@");
        const domain = at > 0 ? String(address).slice(at + 1).trim().toLowerCase() : "";
        if (domain) domains.add(domain);
        if (domains.size >= MAX_KNOWN_DOMAINS) return [...domains];
      }
    }
  }
  return [...domains];
}

/** Whether any recipient of the compose details is not a plain address (a list). */
export function hasListRecipients(details) {
  return RECIPIENT_FIELDS.some((field) =>
    (details[field] ?? []).some((text) => !isAddress(parseMailbox(text).address)),
  );
}

/**
 * The draft's `protection` from the compose details (docs/formats.md).
 *
 * Thunderbird 128+ reports `selectedEncryptionTechnology` (OpenPGP `{name, encryptBody,
 * encryptSubject, signMessage}`, S/MIME `{name, encryptBody, signMessage}`) whenever the
 * identity has OpenPGP or S/MIME set up or encryption is on; without it the identity
 * cannot encrypt, so the mail goes unencrypted and the add-on cannot change that
 * (`encrypted: false`, `can_encrypt: false`). The add-on requires 128 (manifest
 * `strict_min_version`), so a missing field never means "an older Thunderbird". A value
 * that is not a boolean is unknown (`null`), which the checker reads as not encrypted.
 */
export function protectionOf(details) {
  const technology = details?.selectedEncryptionTechnology;
  if (!technology || typeof technology !== "object" || !technology.name) {
    return { encrypted: false, can_encrypt: false, can_label: false };
  }
  const flag = (value) => (typeof value === "boolean" ? value : null);
  return {
    encrypted: flag(technology.encryptBody),
    can_encrypt: true,
    can_label: false,
  };
}

/**
 * What `setComposeDetails` needs to switch end-to-end encryption on with the identity's
 * technology as it is: the body encrypted, with OpenPGP the subject too (S/MIME cannot
 * encrypt the subject); signing as it was.
 */
export function encryptionOn(technology) {
  const on = { name: technology.name, encryptBody: true, signMessage: technology.signMessage === true };
  if (technology.name === "OpenPGP") on.encryptSubject = true;
  return on;
}

/**
 * Builds the draft and remembers what the draft cannot carry, so nothing is lost when
 * a fix is written back:
 * - `lists`: expanded mailing lists, by group name, with the field and original
 *   string they came from;
 * - `unresolved`: entries that are neither addresses nor lists whose members could be
 *   read, per field. They are written back unchanged, and the checker gets each as a
 *   `not_inspected` list entry (rule `list-not-expanded`): a group that could not be
 *   opened is a finding, never a silent gap.
 *
 * `notInspected` (entries for what could not be read: attachments, the address books)
 * and the body cut to CONTENT_LIMITS.bodyChars are added to the draft's `not_inspected`.
 */
export function composeDraft(details, { lists = new Map(), attachments = [], notInspected: missed = [], knownDomains = [] } = {}) {
  const body = String(details.plainTextBody ?? "");
  const draft = {
    from: null,
    to: [],
    cc: [],
    bcc: [],
    subject: details.subject ?? "",
    body: body.length > CONTENT_LIMITS.bodyChars ? body.slice(0, CONTENT_LIMITS.bodyChars) : body,
    attachments,
  };
  const notRead = [...missed];
  if (body.length > CONTENT_LIMITS.bodyChars) notRead.push(notInspected("body", null, "too-large"));
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
      if (!list || !list.members || expanded.has(list.name)) {
        unresolved[field].push(text);
        if (!list || !list.members) {
          notRead.push(notInspected("list", mailbox.name || mailbox.address || text, list?.reason ?? "unreadable"));
        }
        continue;
      }
      expanded.set(list.name, { field, text, size: list.members.length });
      for (const member of list.members) draft[field].push({ ...member, group: list.name });
    }
  }
  if (notRead.length > 0) draft.not_inspected = notRead;
  if (knownDomains.length > 0) draft.known_domains = knownDomains;
  draft.protection = protectionOf(details);
  const technology = details.selectedEncryptionTechnology;
  const encryption = technology && typeof technology === "object" && technology.name ? { ...technology } : null;
  return { draft, lists: expanded, unresolved, encryption };
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

/**
 * Reads the compose window's attachments for the draft: every name and size, and a
 * prefix of each file's content within CONTENT_LIMITS (per file and in total). Returns
 * `{ attachments, notInspected }`; what could not be read (a listing or a file too slow
 * or failing, content over the total, a cloud file with no bytes here) is an entry of
 * `notInspected`, so the checker reports it instead of skipping it.
 */
export async function readAttachments(compose, tabId, limits = CONTENT_LIMITS) {
  const missed = [];
  let listed;
  try {
    listed = await withTimeout(compose.listAttachments(tabId), ATTACHMENT_TIMEOUT_MS, "listing the attachments");
  } catch (error) {
    return { attachments: [], notInspected: [notInspected("attachment", null, reasonOf(error))] };
  }
  const attachments = [];
  let budget = limits.totalBytes;
  for (const item of listed ?? []) {
    const attachment = { name: String(item.name ?? ""), size: Number(item.size) || 0 };
    attachments.push(attachment);
    try {
      const file = await withTimeout(compose.getAttachmentFile(item.id), ATTACHMENT_TIMEOUT_MS, `reading ${attachment.name}`);
      if (file.type) attachment.media_type = file.type;
      attachment.size = file.size;
      const wanted = Math.min(file.size, limits.perFileBytes);
      if (wanted > budget) {
        missed.push(notInspected("attachment", attachment.name, "too-large"));
        continue;
      }
      // Only the prefix is read: a 100 MB file costs 1 MiB here, not 100 MB.
      const bytes = await withTimeout(
        file.slice(0, wanted).arrayBuffer(),
        ATTACHMENT_TIMEOUT_MS,
        `reading ${attachment.name}`,
      );
      budget -= bytes.byteLength;
      attachment.content_base64 = base64Prefix(new Uint8Array(bytes), wanted);
    } catch (error) {
      // A cloud attachment not uploaded yet has no file; a file can vanish or hang.
      missed.push(notInspected("attachment", attachment.name, reasonOf(error)));
    }
  }
  return { attachments, notInspected: missed };
}
