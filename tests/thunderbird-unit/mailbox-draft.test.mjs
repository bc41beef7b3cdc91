import assert from "node:assert/strict";
import { test } from "node:test";

import {
  base64,
  composeDraft,
  FULL_CONTENT_LIMIT,
  hasListRecipients,
  mailingListsByName,
  readAttachments,
  recipientsFromDraft,
} from "../../addin-thunderbird/lib/draft.mjs";
import { formatMailbox, parseMailbox, vCardEmails, vCardName } from "../../addin-thunderbird/lib/mailbox.mjs";
import { fakeMessenger } from "./fakes.mjs";

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
  assert.deepEqual(composed.draft.cc, [], "a name without address never reaches the checker");
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

test("attachments carry name, type, size and content; large ones only their start", async () => {
  const small = new File([new Uint8Array([0x4d, 0x5a, 1, 2])], "tool.pdf.exe", { type: "application/octet-stream" });
  const big = new Blob([new Uint8Array(FULL_CONTENT_LIMIT + 10)]);
  const messenger = fakeMessenger({
    attachments: [
      { id: 1, name: "tool.pdf.exe", file: small },
      { id: 2, name: "video.mp4", file: big },
      { id: 3, name: "cloud.zip" },
    ],
  });
  const attachments = await readAttachments(messenger.compose, 7);
  assert.deepEqual(attachments[0], {
    name: "tool.pdf.exe",
    size: 4,
    media_type: "application/octet-stream",
    content_base64: "TVoBAg==",
  });
  assert.equal(attachments[1].size, FULL_CONTENT_LIMIT + 10);
  assert.equal(Buffer.from(attachments[1].content_base64, "base64").length, 1024 * 1024);
  assert.deepEqual(attachments[2], { name: "cloud.zip", size: 0 }, "no file: name and size only");
});

test("base64 matches Node's encoder across chunk boundaries", () => {
  const bytes = new Uint8Array(0x8000 * 2 + 5).map((_, i) => (i * 7) % 256);
  assert.equal(base64(bytes), Buffer.from(bytes).toString("base64"));
});
