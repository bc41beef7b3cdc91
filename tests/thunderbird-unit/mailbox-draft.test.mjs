import assert from "node:assert/strict";
import { test } from "node:test";

import { ADDON, fakeMessenger } from "./fakes.mjs";

// The built add-on's modules (they import the checker package's host.mjs from checker/).
const { composeDraft, hasListRecipients, mailingListsByName, readAttachments, recipientsFromDraft } = await import(
  new URL("lib/draft.mjs", ADDON)
);
const { formatMailbox, parseMailbox, vCardEmails, vCardName } = await import(new URL("lib/mailbox.mjs", ADDON));
const { CONTENT_LIMITS } = await import(new URL("checker/host.mjs", ADDON));

test("mailboxes parse and format back, quoting names that hold header characters", () => {
  assert.deepEqual(parseMailbox("Bob <bob@x.example>"), { name: "Bob", address: "bob@x.example" });
  assert.deepEqual(parseMailbox("bob@x.example"), { address: "bob@x.example" });
  assert.deepEqual(parseMailbox('"Doe, Jane" <jane@x.example>'), { name: "Doe, Jane", address: "jane@x.example" });
  assert.equal(formatMailbox({ name: "Doe, Jane", address: "jane@x.example" }), '"Doe, Jane" <jane@x.example>');
  assert.equal(formatMailbox({ name: 'Say "hi"', address: "a@x.example" }), '"Say \\"hi\\"" <a@x.example>');
  assert.equal(formatMailbox({ address: "a@x.example" }), "a@x.example");
  for (const text of ['"Doe, Jane" <jane@x.example>', "Bob <bob@x.example>", "a@x.example"]) {
    assert.equal(formatMailbox(parseMailbox(text)), text);
  }
});

test("vCards give their e-mail addresses, the preferred one first, folded lines joined", () => {
  const vCard = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve Example\r\nEMAIL:eve@home.example\r\nEMAIL;PREF=1:eve@wo\r\n rk.example\r\nEND:VCARD\r\n";
  assert.deepEqual(vCardEmails(vCard), ["eve@work.example", "eve@home.example"]);
  assert.equal(vCardName(vCard), "Eve Example");
  assert.deepEqual(vCardEmails(""), []);
});

const BOOKS = [
  {
    mailingLists: [
      {
        id: "l1",
        name: "Partners",
        contacts: [
          { vCard: "BEGIN:VCARD\nFN:Pia\nEMAIL:pia@one.example\nEND:VCARD" },
          { vCard: "BEGIN:VCARD\nEMAIL:paul@two.example\nEND:VCARD" },
          { vCard: "BEGIN:VCARD\nFN:No Mail\nEND:VCARD" },
        ],
      },
    ],
  },
];

test("a mailing list is expanded into its members, each tagged with the list as group", async () => {
  const details = {
    from: "Anna <anna@example.com>",
    to: ["Partners <Partners>"],
    cc: ["Unknown List <Unknown List>"],
    bcc: [],
    subject: "Hi",
    plainTextBody: "Body",
  };
  assert.equal(hasListRecipients(details), true);
  const lists = await mailingListsByName(fakeMessenger({ books: BOOKS }).addressBooks);
  const composed = composeDraft(details, { lists });
  assert.deepEqual(composed.draft.from, { name: "Anna", address: "anna@example.com" });
  assert.deepEqual(composed.draft.to, [
    { name: "Pia", address: "pia@one.example", group: "Partners" },
    { address: "paul@two.example", group: "Partners" },
  ]);
  assert.deepEqual(composed.draft.cc, [], "a name without address is no recipient …");
  assert.deepEqual(composed.draft.not_inspected, [{ part: "list", name: "Unknown List", reason: "unreadable" }], "… but a finding");
  assert.deepEqual(composed.unresolved.cc, ["Unknown List <Unknown List>"]);
  assert.equal(composed.draft.body, "Body");

  // Unchanged, the list is written back as the list, and the unknown entry survives.
  assert.deepEqual(recipientsFromDraft(composed.draft, composed), {
    to: ["Partners <Partners>"],
    cc: ["Unknown List <Unknown List>"],
    bcc: [],
  });
  // Moved to BCC, the members are written one by one; nothing is lost.
  const moved = { ...composed.draft, to: [], bcc: composed.draft.to };
  assert.deepEqual(recipientsFromDraft(moved, composed), {
    to: [],
    cc: ["Unknown List <Unknown List>"],
    bcc: ["Pia <pia@one.example>", "paul@two.example"],
  });
  // One member removed: the list is no longer whole, so the rest is written out.
  const fewer = { ...composed.draft, to: composed.draft.to.slice(1) };
  assert.deepEqual(recipientsFromDraft(fewer, composed).to, ["paul@two.example"]);
});

test("plain addresses never touch the address book", () => {
  assert.equal(hasListRecipients({ to: ["a@x.example"], cc: ["B <b@y.example>"] }), false);
});

test("attachments carry name, type, size and a bounded prefix; what cannot be read is listed", async () => {
  const small = new File([new Uint8Array([0x4d, 0x5a, 1, 2])], "tool.pdf.exe", { type: "application/octet-stream" });
  const big = new Blob([new Uint8Array(100 * 1024 * 1024 + 10)]);
  const messenger = fakeMessenger({
    attachments: [
      { id: 1, name: "tool.pdf.exe", file: small },
      { id: 2, name: "video.mp4", file: big },
      { id: 3, name: "cloud.zip", size: 5000 },
    ],
  });
  const { attachments, notInspected } = await readAttachments(messenger.compose, 7);
  assert.deepEqual(attachments[0], {
    name: "tool.pdf.exe",
    size: 4,
    media_type: "application/octet-stream",
    content_base64: "TVoBAg==",
  });
  assert.equal(attachments[1].size, 100 * 1024 * 1024 + 10, "the real size, not the prefix's");
  assert.equal(Buffer.from(attachments[1].content_base64, "base64").length, CONTENT_LIMITS.perFileBytes);
  assert.deepEqual(attachments[2], { name: "cloud.zip", size: 5000 }, "no file: name and size");
  assert.deepEqual(notInspected, [{ part: "attachment", name: "cloud.zip", reason: "error" }]);
});

test("eleven 8 MiB files stay within the total budget; the rest is listed, every name goes", async () => {
  const files = Array.from({ length: 11 }, (_, i) => ({ id: i + 1, name: `scan-${i}.pdf`, file: new Blob([new Uint8Array(8 * 1024 * 1024)]) }));
  const { attachments, notInspected } = await readAttachments(fakeMessenger({ attachments: files }).compose, 7);
  assert.equal(attachments.length, 11);
  const bytes = attachments.reduce((sum, a) => sum + (a.content_base64 ? Buffer.from(a.content_base64, "base64").length : 0), 0);
  assert.ok(bytes <= CONTENT_LIMITS.totalBytes, `${bytes} bytes of content`);
  assert.deepEqual(
    notInspected.map((entry) => entry.name),
    ["scan-8.pdf", "scan-9.pdf", "scan-10.pdf"],
  );
  assert.ok(notInspected.every((entry) => entry.reason === "too-large"));
});

test("a body over the limit is cut and listed", () => {
  const body = "x".repeat(CONTENT_LIMITS.bodyChars + 1);
  const { draft } = composeDraft({ from: "a@example.com", to: ["b@example.com"], plainTextBody: body });
  assert.equal(draft.body.length, CONTENT_LIMITS.bodyChars);
  assert.deepEqual(draft.not_inspected, [{ part: "body", reason: "too-large" }]);
});

test("protection: Thunderbird's encryption choice as the draft carries it, unknown values as unknown", async () => {
  const { protectionOf, encryptionOn } = await import(new URL("lib/draft.mjs", ADDON));
  const none = { encrypted: false, can_encrypt: false, can_label: false };
  assert.deepEqual(protectionOf({}), none, "no technology: the identity cannot encrypt");
  assert.deepEqual(protectionOf({ selectedEncryptionTechnology: {} }), none);
  assert.deepEqual(protectionOf({ selectedEncryptionTechnology: { name: "OpenPGP", encryptBody: true, encryptSubject: true, signMessage: false } }), {
    encrypted: true,
    can_encrypt: true,
    can_label: false,
  });
  assert.deepEqual(protectionOf({ selectedEncryptionTechnology: { name: "S/MIME", encryptBody: "yes" } }), {
    encrypted: null,
    can_encrypt: true,
    can_label: false,
  });
  assert.deepEqual(encryptionOn({ name: "OpenPGP", encryptBody: false, encryptSubject: false, signMessage: true }), {
    name: "OpenPGP",
    encryptBody: true,
    signMessage: true,
    encryptSubject: true,
  });
  assert.deepEqual(encryptionOn({ name: "S/MIME", encryptBody: false }), { name: "S/MIME", encryptBody: true, signMessage: false });
  const { draft } = composeDraft({ from: "a@example.com", to: ["b@example.com"], selectedEncryptionTechnology: { name: "S/MIME", encryptBody: true, signMessage: true } });
  assert.deepEqual(draft.protection, { encrypted: true, can_encrypt: true, can_label: false });
});
