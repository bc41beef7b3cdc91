// The send guard's flows against a fake Thunderbird and the REAL checker package, as the
// built add-on loads it (dist/addin-thunderbird, staged by `cargo xtask test "thunderbird
// unit"`): reports, fixes and verdicts are the checker's own, never a scripted stand-in.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ADDON, dialogOpened, fakeMessenger, loadCatalogue, loadChecker, sessionOf } from "./fakes.mjs";

const { APPROVALS_KEY, OVERRIDE_LOG_KEY, SESSIONS_KEY, SendGuard } = await import(new URL("lib/guard.mjs", ADDON));

const TAB = { id: 7 };
const FROM = "Anna <anna@example.com>";
const CANCEL = { cancel: true };
const many = (count) => Array.from({ length: count }, (_, i) => `Person ${i} <p${i}@org${i}.example>`);

function details(fields) {
  return { from: FROM, to: [], cc: [], bcc: [], subject: "S", plainTextBody: "B", ...fields };
}

/** A guard over a fake Thunderbird with the real checker. `timers` collects `later` calls. */
function setup({ managed, loadFails, fetchText, uiLanguage, faults, session, attachments, books } = {}) {
  const messenger = fakeMessenger({ managed, uiLanguage, faults, session, attachments, books });
  const drafts = [];
  const timers = [];
  const deps = {
    messenger,
    loadCheckerModule: async () => {
      if (loadFails) throw new Error(loadFails);
      const real = await loadChecker();
      return {
        createChecker: async (policy) => {
          const checker = await real.createChecker(policy);
          return {
            version: checker.version,
            apply: (draft, action) => checker.apply(draft, action),
            check: (draft) => {
              drafts.push(structuredClone(draft));
              return checker.check(draft);
            },
          };
        },
      };
    },
    fetchText:
      fetchText ??
      (async () => {
        throw new Error("no network in unit tests");
      }),
    loadCatalogue,
    later: (callback, ms) => timers.push({ callback, ms }),
  };
  return { messenger, guard: new SendGuard(deps), deps, drafts, timers };
}

/** Clicks Send: the listener answers at once; with a dialog, returns its session. */
async function clickSend(guard, messenger, current) {
  const answer = await guard.onBeforeSend(TAB, current);
  if (answer.cancel !== true || messenger.openWindows.size === 0) return { answer };
  const [windowId, options] = await dialogOpened(messenger);
  assert.equal(options.type, "popup");
  return { answer, windowId, session: sessionOf(options) };
}

/** What `compose.sendMessage` leads to: Thunderbird runs onBeforeSend with the written recipients. */
async function replaySend(guard, messenger, before) {
  const writes = messenger.calls.filter(([name]) => name === "setComposeDetails");
  const written = writes.length ? writes.at(-1)[2] : {};
  return guard.onBeforeSend(TAB, { ...before, ...written });
}

const choose = (guard, session, choice) => guard.handleMessage({ type: "sendguard:choose", session, choice });
const view = (guard, session) => guard.handleMessage({ type: "sendguard:view", session });
const fixOf = (report, kind) =>
  report.findings.flatMap((f) => f.fixes ?? []).find((fix) => fix.action.kind === kind)?.action;

test("a mail that passes is sent unchanged, with no dialog", async () => {
  const { messenger, guard } = setup();
  assert.deepEqual(await guard.onBeforeSend(TAB, details({ to: ["Bob <bob@example.com>"] })), {});
  assert.equal(messenger.calls.filter(([name]) => name === "windows.create").length, 0);
});

test("the draft the checker sees comes from the compose details", async () => {
  const { guard, drafts } = setup();
  await guard.onBeforeSend(TAB, details({ to: ["Bob <bob@partner.example>"], cc: ["c@x.example"] }));
  assert.deepEqual(drafts[0], {
    from: { name: "Anna", address: "anna@example.com" },
    to: [{ name: "Bob", address: "bob@partner.example" }],
    cc: [{ address: "c@x.example" }],
    bcc: [],
    subject: "S",
    body: "B",
    attachments: [],
  });
});

test("the compose window is never held: a block answers cancel at once and opens the dialog", async () => {
  const { messenger, guard } = setup();
  const { answer, session } = await clickSend(guard, messenger, details({ cc: many(40) }));
  assert.deepEqual(answer, CANCEL);
  const shown = await view(guard, session);
  assert.equal(shown.report.verdict, "block");
  assert.ok(shown.report.findings.some((f) => f.rule === "visible-recipients"));
  assert.equal(shown.actions.send_anyway, false, "no override for a block by default");
});

test("move to BCC: the background answers the dialog first, writes the recipients and sends", async () => {
  const { messenger, guard, timers } = setup();
  const before = details({ cc: many(40) });
  const { windowId, session } = await clickSend(guard, messenger, before);
  const move = fixOf((await view(guard, session)).report, "move-to-bcc");
  assert.ok(move, "the report offers move-to-bcc");
  assert.deepEqual(await choose(guard, session, { action: "fix", fix: move }), { closed: true });
  const written = messenger.calls.filter(([name]) => name === "setComposeDetails").at(-1)[2];
  assert.equal(written.cc.length, 0);
  assert.equal(written.bcc.length, 40);
  assert.deepEqual(messenger.compose.sent, [TAB.id]);
  // The window is removed only later (the dialog closes itself after reading its answer).
  assert.ok(messenger.openWindows.has(windowId));
  assert.equal(timers.length, 1);
  timers[0].callback();
  assert.equal(messenger.openWindows.has(windowId), false);
  // The Send that follows is let through.
  assert.deepEqual(await replaySend(guard, messenger, before), {});
  assert.deepEqual((await messenger.storage.session.get(SESSIONS_KEY))[SESSIONS_KEY], {});
});

test("move to BCC with a macro document beside it: the fix is made, the warning is shown, nothing is sent", async () => {
  const macro = { id: 1, name: "Kalkulation 2026.xlsm", file: new File([new Uint8Array(64)], "Kalkulation 2026.xlsm") };
  const { messenger, guard } = setup({ attachments: [macro] });
  const before = details({ cc: many(40) });
  const { session } = await clickSend(guard, messenger, before);
  const shown = await view(guard, session);
  const move = fixOf(shown.report, "move-to-bcc");
  assert.ok(move, "the report offers move-to-bcc");
  // The button can say beforehand what the fix does, and that it will not send.
  const preview = shown.outcomes.find((entry) => JSON.stringify(entry.action) === JSON.stringify(move)).outcome;
  assert.equal(preview.moved_to_bcc, 40);
  assert.equal(preview.sender_added, true);
  assert.equal(preview.verdict, "warn", "the macro document still warns");
  const answer = await choose(guard, session, { action: "fix", fix: move });
  assert.equal(answer.mode, "report", "the dialog stays with what is left");
  assert.equal(answer.report.verdict, "warn");
  assert.ok(answer.report.findings.some((f) => f.rule === "attachment-macro-document"));
  assert.equal(answer.status.key, "thunderbird.status.fixed-still");
  assert.equal(answer.status.outcome.moved_to_bcc, 40);
  assert.deepEqual(messenger.compose.sent, [], "a warning the user never confirmed is not waved through");
  // The user reads it and confirms: now it goes, with the fixed recipients.
  assert.deepEqual(await choose(guard, session, { action: "send-anyway" }), { closed: true });
  assert.deepEqual(messenger.compose.sent, [TAB.id]);
  const written = messenger.calls.filter(([name]) => name === "setComposeDetails").at(-1)[2];
  assert.equal(written.cc.length, 0);
  assert.equal(written.bcc.length, 40);
  assert.deepEqual(await replaySend(guard, messenger, before), {}, "the approved Send goes");
});

test("the dialog learns what each fix would do, so its button can say it", async () => {
  const { messenger, guard } = setup();
  const { session } = await clickSend(guard, messenger, details({ to: ["Bob <bob@example.com>", "x@hotmail.com"] }));
  const shown = await view(guard, session);
  const remove = fixOf(shown.report, "remove-recipient");
  const preview = shown.outcomes.find((entry) => JSON.stringify(entry.action) === JSON.stringify(remove)).outcome;
  assert.deepEqual(preview.removed, ["x@hotmail.com"]);
  assert.equal(preview.verdict, "pass", "removing it leaves nothing: this button sends");
});

test("a block without override cannot be sent anyway, whatever the dialog asks", async () => {
  const { messenger, guard } = setup();
  const { session } = await clickSend(guard, messenger, details({ cc: many(40) }));
  assert.equal((await choose(guard, session, { action: "send-anyway" })).status.key, "thunderbird.status.not-allowed");
  const unoffered = await choose(guard, session, {
    action: "fix",
    fix: { kind: "remove-recipient", addresses: ["p1@org1.example"] },
  });
  assert.equal(unoffered.status.key, "thunderbird.status.not-allowed", "only fixes the report offers");
  assert.deepEqual(await choose(guard, session, { action: "back" }), { closed: true });
  assert.deepEqual(messenger.compose.sent, []);
});

test("an allowed override needs a reason, which stays in the local log", async () => {
  const { messenger, guard } = setup({ managed: { policy: { override: { allow_block: true, require_reason: true } } } });
  const before = details({ cc: many(40) });
  const { session } = await clickSend(guard, messenger, before);
  const shown = await view(guard, session);
  assert.deepEqual([shown.actions.send_anyway, shown.actions.reason_required], [true, true]);
  const refused = await choose(guard, session, { action: "send-anyway", reason: "  " });
  assert.equal(refused.status.key, "thunderbird.status.reason-missing");
  assert.deepEqual(messenger.compose.sent, []);
  assert.deepEqual(await choose(guard, session, { action: "send-anyway", reason: "Board decision" }), { closed: true });
  assert.deepEqual(messenger.compose.sent, [TAB.id]);
  assert.deepEqual(await replaySend(guard, messenger, before), {}, "the approved Send goes");
  const log = messenger.storage.local.data[OVERRIDE_LOG_KEY];
  assert.equal(log.length, 1);
  assert.ok(log[0].rules.includes("visible-recipients"));
  assert.equal(log[0].reason, "Board decision");
});

test("a warning is confirmed once with Send anyway; the approval is for exactly that mail", async () => {
  const { messenger, guard } = setup();
  const before = details({ to: ["x@hotmail.com"] });
  const { session } = await clickSend(guard, messenger, before);
  const shown = await view(guard, session);
  assert.equal(shown.report.verdict, "warn");
  assert.deepEqual([shown.actions.send_anyway, shown.actions.reason_required], [true, false]);
  assert.deepEqual(await choose(guard, session, { action: "send-anyway" }), { closed: true });
  // A Send with another recipient added is checked from the start.
  const changed = await guard.onBeforeSend(TAB, { ...before, to: ["x@hotmail.com", "y@hotmail.com"] });
  assert.deepEqual(changed, CANCEL);
  assert.deepEqual((await messenger.storage.session.get(APPROVALS_KEY))[APPROVALS_KEY], {}, "an approval is used once");
});

test("removing the only recipient does not send: the window stays and the dialog says why", async () => {
  const { messenger, guard } = setup();
  const { session } = await clickSend(guard, messenger, details({ to: ["x@hotmail.com"] }));
  const remove = fixOf((await view(guard, session)).report, "remove-recipient");
  assert.ok(remove, "the report offers remove-recipient");
  const answer = await choose(guard, session, { action: "fix", fix: remove });
  assert.equal(answer.status.key, "thunderbird.status.no-recipients-left");
  assert.deepEqual(messenger.compose.sent, []);
  assert.equal(messenger.calls.filter(([name]) => name === "setComposeDetails").length, 0);
  assert.equal((await view(guard, session)).mode, "report", "the dialog stays open");
});

test("removing one of two recipients writes the rest and sends", async () => {
  const { messenger, guard } = setup();
  const before = details({ to: ["Bob <bob@example.com>", "x@hotmail.com"] });
  const { session } = await clickSend(guard, messenger, before);
  const remove = fixOf((await view(guard, session)).report, "remove-recipient");
  assert.deepEqual(await choose(guard, session, { action: "fix", fix: remove }), { closed: true });
  const written = messenger.calls.filter(([name]) => name === "setComposeDetails").at(-1)[2];
  assert.deepEqual(written.to, ["Bob <bob@example.com>"]);
  assert.deepEqual(await replaySend(guard, messenger, before), {});
});

test("a suspended background loses nothing: a new one finds the dialog and the fix still sends", async () => {
  const first = setup();
  const before = details({ cc: many(40) });
  const { session } = await clickSend(first.guard, first.messenger, before);
  const move = fixOf((await view(first.guard, session)).report, "move-to-bcc");
  // Thunderbird suspends the event page: a fresh background with the same storage.
  const woken = new SendGuard({ ...first.deps });
  assert.equal((await woken.handleMessage({ type: "sendguard:keepalive", session })).alive, true);
  assert.deepEqual(await choose(woken, session, { action: "fix", fix: move }), { closed: true });
  assert.deepEqual(first.messenger.compose.sent, [TAB.id]);
  const again = new SendGuard({ ...first.deps });
  assert.deepEqual(await replaySend(again, first.messenger, before), {}, "the approval survived too");
});

test("a look-alike of the sender's domain: the dialog says what it resembles, Replace writes the intended address and sends", async () => {
  const { messenger, guard } = setup();
  const before = details({ to: ["Max <max@examp1e.com>", "Bob <bob@example.com>"] });
  const { session } = await clickSend(guard, messenger, before);
  const shown = await view(guard, session);
  assert.equal(shown.report.verdict, "block", "a look-alike of the own domain blocks");
  const finding = shown.report.findings.find((f) => f.rule === "lookalike-recipient");
  assert.equal(finding.message.en, "examp1e.com looks like example.com, the sender's domain: 1 for l.");
  assert.equal(finding.message.de, "examp1e.com sieht aus wie example.com, die Domain des Absenders: 1 statt l.");
  const replace = fixOf(shown.report, "replace-recipient");
  assert.deepEqual(replace, { kind: "replace-recipient", address: "max@examp1e.com", replacement: "max@example.com" });
  assert.deepEqual(await choose(guard, session, { action: "fix", fix: replace }), { closed: true });
  const written = messenger.calls.filter(([name]) => name === "setComposeDetails").at(-1)[2];
  assert.deepEqual(written.to, ["Max <max@example.com>", "Bob <bob@example.com>"], "one out, one in, the name kept");
  assert.deepEqual(messenger.compose.sent, [TAB.id]);
  assert.deepEqual(await replaySend(guard, messenger, before), {});
});

test("address-book domains reach the checker as domains only, and a recipient resembling one is named", async () => {
  const books = [
    {
      id: "b1",
      contacts: [
        { id: "c1", vCard: "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kontakt\r\nEMAIL:kontakt@Nordsee-Fish.de\r\nEND:VCARD" },
        { id: "c2", vCard: "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:a@partner.example\r\nEND:VCARD" },
      ],
    },
  ];
  const { messenger, guard, drafts } = setup({ books });
  const { session } = await clickSend(guard, messenger, details({ to: ["x@nordsee-fisch.de"] }));
  assert.deepEqual(drafts[0].known_domains, ["nordsee-fish.de", "partner.example"]);
  assert.ok(!JSON.stringify(drafts[0].known_domains).includes("kontakt"), "no address, no name");
  const finding = (await view(guard, session)).report.findings.find((f) => f.rule === "lookalike-recipient");
  assert.match(finding.message.en, /nordsee-fisch\.de looks like nordsee-fish\.de, a domain in your address book/);
  // A domain the address book knows is not reported.
  const known = setup({ books });
  assert.deepEqual(await known.guard.onBeforeSend(TAB, details({ to: ["y@partner.example"] })), {});
});

test("Send pressed again while the dialog is open opens no second dialog", async () => {
  const { messenger, guard } = setup();
  const current = details({ cc: many(40) });
  await clickSend(guard, messenger, current);
  assert.deepEqual(await guard.onBeforeSend(TAB, current), CANCEL);
  assert.equal(messenger.calls.filter(([name]) => name === "windows.create").length, 1);
  assert.ok(messenger.calls.some(([name]) => name === "windows.update"));
});

test("a dialog whose window vanished unseen does not block the next Send", async () => {
  const { messenger, guard } = setup();
  const current = details({ cc: many(40) });
  const { windowId } = await clickSend(guard, messenger, current);
  messenger.openWindows.delete(windowId); // closed while the background was suspended
  assert.deepEqual(await guard.onBeforeSend(TAB, current), CANCEL);
  assert.equal(messenger.calls.filter(([name]) => name === "windows.create").length, 2, "a new dialog");
});

test("closing the dialog window is Back to editing", async () => {
  const { messenger, guard } = setup();
  const { windowId, session } = await clickSend(guard, messenger, details({ cc: many(40) }));
  await guard.onWindowRemoved(windowId);
  assert.equal((await view(guard, session)).mode, "gone");
  assert.deepEqual(messenger.compose.sent, []);
});

test("export saves the CSV on this computer and sends nothing", async () => {
  const { messenger, guard } = setup();
  const { session } = await clickSend(guard, messenger, details({ cc: many(20) }));
  const exportFix = fixOf((await view(guard, session)).report, "export-recipients");
  const answer = await choose(guard, session, { action: "fix", fix: exportFix });
  assert.equal(answer.status.key, "thunderbird.status.exported");
  assert.match(messenger.downloads.saved[0].content, /p19@org19\.example/);
  assert.deepEqual(messenger.compose.sent, []);
});

test("a checker that cannot load sends with a notice under fail-open", async () => {
  const { messenger, guard } = setup({ loadFails: "no wasm" });
  assert.deepEqual(await guard.onBeforeSend(TAB, details({ to: ["a@x.example"] })), {});
  assert.equal(messenger.notifications.shown.length, 1);
  assert.match(messenger.notifications.shown[0].message, /no wasm/);
});

test("a checker that cannot load stops the send under a managed fail-closed policy", async () => {
  const { messenger, guard } = setup({ loadFails: "no wasm", managed: { policy: { on_checker_error: "fail-closed" } } });
  const { answer, session } = await clickSend(guard, messenger, details({ to: ["a@x.example"] }));
  assert.deepEqual(answer, CANCEL);
  const shown = await view(guard, session);
  assert.equal(shown.mode, "error");
  assert.match(shown.error, /no wasm/);
  assert.deepEqual(await choose(guard, session, { action: "back" }), { closed: true });
});

test("a managed policy with a typo is an error: its own fail mode holds, no silent default", async () => {
  const { messenger, guard } = setup({ managed: { policy: { visible_recipents: {}, on_checker_error: "fail-closed" } } });
  const { answer, session } = await clickSend(guard, messenger, details({ to: ["Bob <bob@example.com>"] }));
  assert.deepEqual(answer, CANCEL);
  const shown = await view(guard, session);
  assert.equal(shown.mode, "error");
  assert.match(shown.error, /visible_recipents/);
  const info = await guard.handleMessage({ type: "sendguard:policy" });
  assert.equal(info.fail_mode, "fail-closed");
  assert.match(info.error, /visible_recipents/);
});

test("German UI gets German reports", async () => {
  const { messenger, guard } = setup({ uiLanguage: "de-DE" });
  const { session } = await clickSend(guard, messenger, details({ cc: many(40) }));
  assert.equal((await view(guard, session)).lang, "de");
});

test("“Sent by mistake? What now”: the dialog gets the incident page of the policy's server, never a made-up one", async () => {
  const { incidentUrlFor } = await import(new URL("lib/guard.mjs", ADDON));
  assert.equal(incidentUrlFor("https://sendguard.corp.example/policy.json"), "https://sendguard.corp.example/incident.html");
  assert.equal(incidentUrlFor("https://corp.example/it/sendguard/policy.json?v=2"), "https://corp.example/it/sendguard/incident.html");
  for (const none of [null, "", "http://corp.example/policy.json", "javascript:alert(1)", "file:///etc/policy.json"]) {
    assert.equal(incidentUrlFor(none), null, String(none));
  }
  // With a policy server: the view carries its page; without one: no link.
  const served = setup({ managed: { policy_url: "https://sendguard.corp.example/policy.json" }, fetchText: async () => "{}" });
  const { session } = await clickSend(served.guard, served.messenger, details({ cc: many(6) }));
  const shown = await view(served.guard, session);
  assert.equal(shown.actions.send_anyway, true);
  assert.equal(shown.incident_url, "https://sendguard.corp.example/incident.html");
  const inline = setup();
  const second = await clickSend(inline.guard, inline.messenger, details({ cc: many(6) }));
  assert.equal((await view(inline.guard, second.session)).incident_url, null);
});
