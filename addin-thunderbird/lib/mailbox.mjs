// Mailbox strings as Thunderbird's compose API speaks them ("Name <local@domain>")
// to and from the draft's address objects ({ name, address, group }).

/**
 * Splits one recipient string from `getComposeDetails` into name and address.
 * Thunderbird hands over one mailbox per string, already decoded; a mailing list
 * from the address book arrives as "List <List>" or "List <description>", which has
 * no "@": callers treat such an entry as a list name.
 */
export function parseMailbox(text) {
  const trimmed = String(text ?? "").trim();
  const open = trimmed.lastIndexOf("<");
  const close = trimmed.lastIndexOf(">");
  if (open >= 0 && close > open) {
    const address = trimmed.slice(open + 1, close).trim();
    const name = unquote(trimmed.slice(0, open).trim());
    return name ? { name, address } : { address };
  }
  return { address: trimmed };
}

function unquote(name) {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    return name.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return name;
}

/** Whether a parsed entry is a real address rather than a list or a typo. */
export function isAddress(address) {
  const at = address.indexOf("@");
  return at > 0 && at < address.length - 1;
}

/**
 * Writes a mailbox back in the form Thunderbird's compose API parses: names with
 * characters that mean something in a header ("Doe, Jane") are quoted, so a comma in
 * a name never splits one recipient into two.
 */
export function formatMailbox({ name, address }) {
  if (!name || name === address) return address;
  const needsQuotes = /[",.;:<>@()[\]\\]/.test(name);
  const shown = needsQuotes ? `"${name.replace(/(["\\])/g, "\\$1")}"` : name;
  return `${shown} <${address}>`;
}

/**
 * The e-mail addresses in a vCard (Manifest V3 contacts carry only their vCard),
 * preferred one first. Folded lines are unfolded per RFC 6350.
 */
export function vCardEmails(vCard) {
  const lines = String(vCard ?? "").replace(/\r?\n[ \t]/g, "").split(/\r?\n/);
  const found = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const [property, ...params] = line.slice(0, colon).split(";");
    if (property.replace(/^item\d+\./i, "").toUpperCase() !== "EMAIL") continue;
    const value = line.slice(colon + 1).trim();
    if (!value) continue;
    const preferred = params.some((p) => /^PREF=1$/i.test(p) || /^TYPE=.*\bpref\b/i.test(p));
    if (preferred) found.unshift(value);
    else found.push(value);
  }
  return found;
}

/** The display name of a vCard (FN), if it has one. */
export function vCardName(vCard) {
  const match = /^FN(?:;[^:\r\n]*)?:(.*)$/im.exec(String(vCard ?? ""));
  return match ? match[1].trim() || undefined : undefined;
}
