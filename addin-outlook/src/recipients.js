// Writes a fixed draft's recipients back into Outlook without ever losing one: fields that
// grow are written before fields that shrink (so a failure half-way leaves a recipient in two
// fields, never in none), every call carries at most 100 recipients, and a field that would
// exceed the client's limit (500 in classic Outlook on Windows) is refused before anything
// is written.

import { RECIPIENTS_PER_CALL, call } from "./office-api.js";

const FIELDS = ["to", "cc", "bcc"];

function key(recipient) {
  return String(recipient.address || "").toLowerCase();
}

function toOffice(recipient) {
  return { displayName: recipient.name || recipient.address, emailAddress: recipient.address };
}

function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * What to write: `{ writes: [{ field, list, append }], tooBig: [{ field, count, limit }] }`.
 * `append` lists only the new recipients when the field keeps all it had in the same order
 * (then nothing already there is touched); otherwise `list` replaces the field.
 * Fields the draft does not have (meetings have no Bcc) must not be in `after`.
 */
export function planWrite(before, after, limit, available) {
  const writes = [];
  const tooBig = [];
  for (const field of FIELDS) {
    if (!available.includes(field)) continue;
    const old = before[field] || [];
    const next = after[field] || [];
    const same = old.length === next.length && old.every((r, i) => key(r) === key(next[i]));
    if (same) continue;
    if (next.length > limit) tooBig.push({ field, count: next.length, limit });
    const keepsOld = next.length >= old.length && old.every((r, i) => key(r) === key(next[i]));
    writes.push({
      field,
      list: next,
      append: keepsOld ? next.slice(old.length) : null,
      grows: next.length > old.length,
    });
  }
  // Growing fields first: a failure later leaves duplicates, never a lost address.
  writes.sort((a, b) => Number(b.grows) - Number(a.grows));
  return { writes, tooBig };
}

/** Applies a plan through `fields` (Office Recipients objects by draft field name). */
export async function writePlan(fields, plan) {
  for (const write of plan.writes) {
    const target = fields[write.field];
    if (write.append) {
      for (const part of chunks(write.append.map(toOffice), RECIPIENTS_PER_CALL)) {
        await call(target, "addAsync", part);
      }
      continue;
    }
    const parts = chunks(write.list.map(toOffice), RECIPIENTS_PER_CALL);
    await call(target, "setAsync", parts.length ? parts[0] : []);
    for (const part of parts.slice(1)) await call(target, "addAsync", part);
  }
}

/** Whether `actual` (as read back from Outlook) holds exactly the addresses of `expected`. */
export function sameRecipients(expected, actual) {
  return FIELDS.every((field) => {
    const a = (expected[field] || []).map(key).sort();
    const b = (actual[field] || []).map(key).sort();
    return a.length === b.length && a.every((x, i) => x === b[i]);
  });
}
