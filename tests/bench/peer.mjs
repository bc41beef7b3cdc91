// The plain-JavaScript peer: the recipient classification a typical JS add-in would
// write, with npm's usual parts (email-addresses for parsing, tldts for the Public
// Suffix List) and the same freemail and disposable lists in Sets. It does what the
// recipient rules need (parse, classify, count parties) and nothing else: no
// attachments, no messages in two languages, no report JSON, so the comparison
// flatters the peer.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import emailAddresses from "email-addresses";
import { getDomain } from "tldts";

function domainSet(root, files) {
  const set = new Set();
  for (const file of files) {
    for (const line of readFileSync(join(root, "crates/sendguard-core/data", file), "utf8").split("\n")) {
      const domain = line.split("#")[0].trim();
      if (domain) set.add(domain);
    }
  }
  return set;
}

export function createPeer(root) {
  const freemail = domainSet(root, ["freemail-core.txt", "freemail-extra.txt"]);
  const disposable = domainSet(root, ["disposable.txt"]);
  const inList = (set, domain) => {
    for (let d = domain; d; d = d.indexOf(".") < 0 ? "" : d.slice(d.indexOf(".") + 1)) {
      if (set.has(d)) return true;
    }
    return false;
  };
  return function check(draftJson) {
    const draft = JSON.parse(draftJson);
    const sender = draft.from && emailAddresses.parseOneAddress(draft.from.address);
    const internal = sender ? getDomain(sender.domain.toLowerCase(), { allowPrivateDomains: true }) : null;
    const seen = new Map();
    for (const field of ["to", "cc", "bcc"]) {
      for (const entry of draft[field] || []) {
        const key = entry.address.trim().toLowerCase();
        const known = seen.get(key);
        if (known) {
          known.visible = known.visible || field !== "bcc";
          continue;
        }
        const parsed = emailAddresses.parseOneAddress(entry.address);
        const domain = parsed ? parsed.domain.toLowerCase() : null;
        const organization = domain ? getDomain(domain, { allowPrivateDomains: true }) : null;
        seen.set(key, {
          visible: field !== "bcc",
          organization,
          external: organization !== internal,
          freemail: domain ? inList(freemail, domain) : false,
          disposable: domain ? inList(disposable, domain) : false,
        });
      }
    }
    const parties = new Set();
    let externalAddresses = 0;
    const freemailRecipients = [];
    const disposableRecipients = [];
    for (const [key, r] of seen) {
      if (r.external) externalAddresses++;
      if (r.visible && r.external) parties.add(r.freemail || !r.organization ? key : r.organization);
      if (r.freemail) freemailRecipients.push(key);
      if (r.disposable) disposableRecipients.push(key);
    }
    const verdict = disposableRecipients.length > 0 || parties.size >= 15 || externalAddresses >= 25
      ? "block"
      : parties.size >= 5 || freemailRecipients.length > 0 ? "warn" : "pass";
    return { verdict, parties: parties.size, externalAddresses, freemailRecipients, disposableRecipients };
  };
}
