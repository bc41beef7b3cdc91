import assert from "node:assert/strict";
import { test } from "node:test";

import { OVERRIDE_LOG_KEY, SendGuard } from "../../addin-thunderbird/lib/guard.mjs";
import { catalogue, checkerModule, dialogOpened, fakeMessenger, finding, report, sessionOf } from "./fakes.mjs";

const TAB = { id: 7 };
const FROM = "Anna <anna@example.com>";

function details(fields) {
  return { from: FROM, to: [], cc: [], bcc: [], subject: "S", plainTextBody: "B", ...fields };
}

/** A guard over a fake Thunderbird and a checker that answers with `judge`. */
function setup(judge, { managed, failCreate, loadFails } = {}) {
  const messenger = fakeMessenger({ managed });
  const module = checkerModule(judge, { failCreate });
  const guard = new SendGuard({
    messenger,
    loadCheckerModule: async () => {
      if (loadFails) throw new Error(loadFails);
      return module;
    },
    fetchText: async () => {
      throw new Error("no network in unit tests");
    },
    loadCatalogue: async () => catalogue,
  });
  return { messenger, guard, module };
}

/** Starts a send that opens the dialog; returns the pending answer and the session. */
async function sendWithDialog(guard, messenger, draftDetails) {
  const answer = guard.onBeforeSend(TAB, draftDetails);
  const [windowId, options] = await dialogOpened(messenger);
  assert.equal(options.type, "popup");
  return { answer, windowId, session: sessionOf(options) };
}

const visibleBlock = () =>
  report([
    finding("visible-recipients", "block", { fixes: [{ kind: "move-to-bcc" }, { kind: "export-recipients" }] }),
    finding("external-recipients", "info"),
  ]);

test("a mail that passes is sent unchanged, with no dialog", async () => {
  const { messenger, guard } = setup(() => report([finding("external-recipients", "info")]));
  assert.deepEqual(await guard.onBeforeSend(TAB, details({ to: ["b@partner.example"] })), {});
  assert.equal(messenger.calls.filter(([name]) => name === "windows.create").length, 0);
});

test("the draft the checker sees comes from the compose details", async () => {
  let seen;
  const { guard } = setup((draft) => {
    seen = draft;
    return report([]);
  });
  await guard.onBeforeSend(TAB, details({ to: ["Bob <bob@partner.example>"], cc: ["c@x.example"] }));
  assert.deepEqual(seen, {
    from: { name: "Anna", address: "anna@example.com" },
    to: [{ name: "Bob", address: "bob@partner.example" }],
    cc: [{ address: "c@x.example" }],
    bcc: [],
    subject: "S",
    body: "B",
    attachments: [],
  });
});

test("move to BCC and send returns the new recipients and closes the dialog", async () => {
  const { messenger, guard } = setup((draft) =>
    draft.cc.length ? visibleBlock() : report([finding("external-recipients", "info")]),
  );
  const cc = Array.from({ length: 20 }, (_, i) => `p${i}@org${i}.example`);
  const { answer, windowId, session } = await sendWithDialog(guard, messenger, details({ cc }));

  const view = await guard.handleMessage({ type: "sendguard:view", session });
  assert.equal(view.report.verdict, "block");
  assert.equal(view.actions.move_to_bcc, true);
  assert.equal(view.actions.send_anyway, false, "no override for a block by default");

  assert.deepEqual(await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "move-to-bcc" } }), { closed: true });
  assert.deepEqual(await answer, { details: { to: [FROM], cc: [], bcc: cc } });
  assert.equal(messenger.openWindows.has(windowId), false);
});

test("a block without override cannot be sent anyway, whatever the dialog asks", async () => {
  const { messenger, guard } = setup(() => visibleBlock());
  const { answer, session } = await sendWithDialog(guard, messenger, details({ cc: ["a@x.example"] }));
  const view = await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "send-anyway" } });
  assert.equal(view.status.key, "thunderbird.status.not-allowed");
  const unoffered = await guard.handleMessage({
    type: "sendguard:choose",
    session,
    choice: { action: "fix", fix: { kind: "remove-recipient", addresses: ["a@x.example"] } },
  });
  assert.equal(unoffered.status.key, "thunderbird.status.not-allowed", "only fixes the report offers");
  await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "back" } });
  assert.deepEqual(await answer, { cancel: true });
});

test("an allowed override needs a reason, which stays in the local log", async () => {
  const { messenger, guard } = setup(() =>
    report([finding("attachment-too-large", "block")], { allowed: true, reason_required: true }),
  );
  const { answer, session } = await sendWithDialog(guard, messenger, details({ to: ["a@x.example"] }));
  const view = await guard.handleMessage({ type: "sendguard:view", session });
  assert.equal(view.actions.send_anyway, true);
  assert.equal(view.actions.reason_required, true);

  const refused = await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "send-anyway", reason: "  " } });
  assert.equal(refused.status.key, "thunderbird.status.reason-missing");
  await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "send-anyway", reason: "Board decision" } });
  assert.deepEqual(await answer, {});
  const log = messenger.storage.local.data[OVERRIDE_LOG_KEY];
  assert.equal(log.length, 1);
  assert.deepEqual(log[0].rules, ["attachment-too-large"]);
  assert.equal(log[0].reason, "Board decision");
});

test("a warning is confirmed once with Send anyway, no reason asked", async () => {
  const { messenger, guard } = setup(() => report([finding("freemail-recipient", "warn")]));
  const { answer, session } = await sendWithDialog(guard, messenger, details({ to: ["x@hotmail.com"] }));
  const view = await guard.handleMessage({ type: "sendguard:view", session });
  assert.deepEqual([view.actions.send_anyway, view.actions.reason_required], [true, false]);
  await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "send-anyway" } });
  assert.deepEqual(await answer, {});
});

test("a fix that leaves a block keeps the dialog; Back writes the fix into the draft", async () => {
  const judge = (draft) => {
    const findings = [finding("attachment-dangerous-type", "block")];
    if (draft.to.some((a) => a.address === "x@hotmail.com")) {
      findings.push(finding("freemail-recipient", "warn", { fixes: [{ kind: "remove-recipient", addresses: ["x@hotmail.com"] }] }));
    }
    return report(findings);
  };
  const { messenger, guard } = setup(judge);
  const { answer, session } = await sendWithDialog(
    guard,
    messenger,
    details({ to: ["Bob <bob@partner.example>", "x@hotmail.com"] }),
  );
  const view = await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "remove-recipients" } });
  assert.equal(view.status.key, "thunderbird.status.fixed-still");
  assert.deepEqual(view.report.findings.map((f) => f.rule), ["attachment-dangerous-type"]);
  assert.equal(view.actions.changed, true);

  await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "back" } });
  assert.deepEqual(await answer, { cancel: true });
  assert.deepEqual(messenger.calls.find(([name]) => name === "setComposeDetails"), [
    "setComposeDetails",
    7,
    { to: ["Bob <bob@partner.example>"], cc: [], bcc: [] },
  ]);
});

test("after a fix, a warning already shown does not stop the mail again", async () => {
  const judge = (draft) => {
    const findings = [finding("freemail-recipient", "warn")];
    if (draft.cc.length) findings.push(finding("visible-recipients", "block", { fixes: [{ kind: "move-to-bcc" }] }));
    return report(findings);
  };
  const { messenger, guard } = setup(judge);
  const { answer, session } = await sendWithDialog(guard, messenger, details({ cc: ["x@hotmail.com", "y@z.example"] }));
  await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "move-to-bcc" } });
  assert.deepEqual(await answer, { details: { to: [FROM], cc: [], bcc: ["x@hotmail.com", "y@z.example"] } });
});

test("export saves the CSV on this computer and sends nothing", async () => {
  const { messenger, guard } = setup(() => visibleBlock());
  const { answer, session } = await sendWithDialog(guard, messenger, details({ cc: ["a@x.example", "b@y.example"] }));
  const view = await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "export" } });
  assert.deepEqual(messenger.downloads.saved, [{ filename: "recipients.csv", content: "a@x.example\nb@y.example" }]);
  assert.deepEqual(view.status, { key: "thunderbird.status.exported", vars: { path: "/home/user/Downloads/recipients.csv" } });
  assert.equal(messenger.calls.find(([name]) => name === "downloads.download")[1].saveAs, false);
  let settled = false;
  answer.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(settled, false, "the send still waits for the user");
  await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "back" } });
  assert.deepEqual(await answer, { cancel: true });
});

test("closing the dialog window is Back to editing", async () => {
  const { messenger, guard } = setup(() => visibleBlock());
  const { answer, windowId } = await sendWithDialog(guard, messenger, details({ cc: ["a@x.example"] }));
  await guard.onWindowRemoved(windowId);
  assert.deepEqual(await answer, { cancel: true });
});

test("a checker that cannot load sends with a notice under fail-open", async () => {
  const { messenger, guard } = setup(() => report([]), { loadFails: "no wasm" });
  assert.deepEqual(await guard.onBeforeSend(TAB, details({ to: ["a@x.example"] })), {});
  assert.deepEqual(messenger.notifications.shown, [{ type: "basic", title: "Not checked", message: "Sent unchecked: no wasm" }]);
});

test("a checker that throws stops the send under fail-closed and keeps the draft", async () => {
  const { messenger, guard } = setup(
    () => {
      throw new Error("boom");
    },
    { managed: { policy: { on_checker_error: "fail-closed" } } },
  );
  const { answer, session } = await sendWithDialog(guard, messenger, details({ to: ["a@x.example"] }));
  const view = await guard.handleMessage({ type: "sendguard:view", session });
  assert.deepEqual(view, { mode: "error", lang: "en", error: "boom" });
  await guard.handleMessage({ type: "sendguard:choose", session, choice: { action: "back" } });
  assert.deepEqual(await answer, { cancel: true });
});

test("a policy the checker rejects follows that policy's fail mode", async () => {
  const { guard } = setup(() => report([]), {
    managed: { policy: { on_checker_error: "fail-closed", typo: 1 } },
    failCreate: "unknown key `typo` at line 1",
  });
  const answer = guard.onBeforeSend(TAB, details({ to: ["a@x.example"] }));
  const [windowId] = await dialogOpened(guard.messenger);
  await guard.onWindowRemoved(windowId);
  assert.deepEqual(await answer, { cancel: true });
});

test("the listener never throws: a dialog that cannot open keeps the draft", async () => {
  const { messenger, guard } = setup(() => visibleBlock());
  messenger.windows.create = async () => {
    throw new Error("no windows");
  };
  assert.deepEqual(await guard.onBeforeSend(TAB, details({ cc: ["a@x.example"] })), { cancel: true });
});

test("the managed policy reaches the checker and the options page names its source", async () => {
  const { guard, module } = setup(() => report([]), { managed: { policy: { visible_recipients: { warn_parties: 2 } } } });
  await guard.onBeforeSend(TAB, details({ to: ["a@x.example"] }));
  assert.deepEqual(JSON.parse(module.created[0]), { visible_recipients: { warn_parties: 2 } });
  const info = await guard.handleMessage({ type: "sendguard:policy" });
  assert.equal(info.source, "managed");
  assert.equal(info.fail_mode, "fail-open");
  assert.deepEqual(info.checker, { version: "test" });
});

test("German UI gets the German dialog", async () => {
  const { messenger, guard } = setup(() => visibleBlock());
  messenger.i18n.getUILanguage = () => "de-DE";
  const { session } = await sendWithDialog(guard, messenger, details({ cc: ["a@x.example"] }));
  assert.equal((await guard.handleMessage({ type: "sendguard:view", session })).lang, "de");
});
