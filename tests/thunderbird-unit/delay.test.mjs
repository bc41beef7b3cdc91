// The delivery delay in Thunderbird (policy `delay`, issue 15) against a fake Thunderbird
// and the REAL checker package: a mail that may go is held in its compose window behind a
// countdown; "Stop" keeps it there unsent, "Send now" and the end of the countdown send it
// with compose.sendMessage, checked again on its way out and not held a second time. A
// delay never replaces a stop. The real client does the same in tests/thunderbird/e2e.py.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ADDON, dialogOpened, fakeMessenger, loadCatalogue, loadChecker, sessionOf } from "./fakes.mjs";

const { SESSIONS_KEY, SendGuard } = await import(new URL("lib/guard.mjs", ADDON));

const TAB = { id: 7 };
const CANCEL = { cancel: true };
const EXTERNAL = { from: "Anna <anna@example.com>", to: ["Buyer <buyer@partner.example>"], cc: [], bcc: [], subject: "Offer", plainTextBody: "Hi" };
const INTERNAL = { ...EXTERNAL, to: ["Bob <bob@example.com>"] };
const FIVE = { ...EXTERNAL, to: Array.from({ length: 5 }, (_, i) => `P${i} <p${i}@org${i}.example>`) };

/** A guard with a clock the test moves, and the `later` timers it collects. */
function setup(policy, { policyUrl } = {}) {
  // IT's policy inline in policies.json, or at a policy URL (answered by `fetchText`).
  const messenger = fakeMessenger({ managed: policyUrl ? { policy_url: policyUrl } : { policy } });
  const clock = { now: 1_000_000 };
  const timers = [];
  const guard = new SendGuard({
    messenger,
    loadCheckerModule: loadChecker,
    fetchText: async (url) => {
      if (url === policyUrl) return JSON.stringify(policy);
      throw new Error("no network in unit tests");
    },
    loadCatalogue,
    now: () => clock.now,
    later: (callback, ms) => timers.push({ callback, ms }),
  });
  return { messenger, guard, clock, timers };
}

const choose = (guard, session, choice) => guard.handleMessage({ type: "sendguard:choose", session, choice });
const view = (guard, session) => guard.handleMessage({ type: "sendguard:view", session });
const created = (messenger) => messenger.calls.filter(([name]) => name === "windows.create").map(([, options]) => options);

/** Clicks Send on a mail the policy holds: cancelled, and the countdown window opens. */
async function sendHeld(guard, messenger, mail) {
  assert.deepEqual(await guard.onBeforeSend(TAB, mail), CANCEL, "the held mail is not handed to Thunderbird's send");
  const [, options] = await dialogOpened(messenger);
  assert.match(options.url, /^moz-extension:\/\/fake\/countdown\.html\?session=/);
  return sessionOf(options);
}

test("an external mail is held for the policy's seconds, with the core's reason, in the user's language", async () => {
  const { messenger, guard, clock, timers } = setup({ delay: { seconds: 120 } });
  const session = await sendHeld(guard, messenger, EXTERNAL);
  const shown = await view(guard, session);
  assert.equal(shown.mode, "countdown");
  assert.equal(shown.until - shown.now, 120_000);
  assert.equal(shown.delay.seconds, 120);
  assert.match(shown.delay.message.en, /waits 2 minutes before it leaves/);
  assert.match(shown.delay.message.de, /2 Minuten/);
  assert.deepEqual(messenger.compose.sent, [], "nothing sent during the countdown");
  assert.ok(timers.some(({ ms }) => ms >= 120_000), "the background's own trigger is set");
  // Send pressed again meanwhile: the countdown comes to the front, nothing is sent.
  assert.deepEqual(await guard.onBeforeSend(TAB, EXTERNAL), CANCEL);
  assert.equal(created(messenger).length, 1);
  // The page's clock at zero asks too early: refused, still counting.
  clock.now += 60_000;
  assert.equal((await choose(guard, session, { action: "due" })).mode, "countdown");
  assert.deepEqual(messenger.compose.sent, []);
  // At zero it sends; the Send that follows is checked again and goes without a second hold.
  clock.now += 60_000;
  assert.deepEqual(await choose(guard, session, { action: "due" }), { closed: true });
  assert.deepEqual(messenger.compose.sent, [TAB.id]);
  assert.deepEqual(await guard.onBeforeSend(TAB, EXTERNAL), {});
  assert.equal(created(messenger).length, 1, "no second countdown");
  // The background's timer firing late finds nothing left to send.
  for (const { callback } of timers) await callback();
  assert.deepEqual(messenger.compose.sent, [TAB.id]);
});

test("Stop keeps the mail unsent in its compose window; closing the countdown does too", async () => {
  for (const how of ["stop", "close"]) {
    const { messenger, guard, clock, timers } = setup({ delay: { seconds: 30 } });
    const session = await sendHeld(guard, messenger, EXTERNAL);
    const windowId = [...messenger.openWindows.keys()].at(-1);
    if (how === "stop") assert.deepEqual(await choose(guard, session, { action: "back" }), { closed: true });
    else await guard.onWindowRemoved(windowId);
    clock.now += 31_000;
    for (const { callback } of timers) await callback();
    assert.equal((await view(guard, session)).mode, "gone", how);
    assert.deepEqual(messenger.compose.sent, [], `${how}: nothing sent`);
    assert.equal(messenger.calls.filter(([name]) => name === "setComposeDetails").length, 0, `${how}: the draft is untouched`);
    assert.deepEqual(Object.keys((await messenger.storage.session.get(SESSIONS_KEY))[SESSIONS_KEY]), []);
    // The next Send starts over: checked and held again.
    assert.deepEqual(await guard.onBeforeSend(TAB, EXTERNAL), CANCEL, how);
  }
});

test("Send now sends at once; the background's timer alone sends when the page cannot", async () => {
  const now = setup({ delay: { seconds: 300 } });
  const session = await sendHeld(now.guard, now.messenger, EXTERNAL);
  assert.deepEqual(await choose(now.guard, session, { action: "send-now" }), { closed: true });
  assert.deepEqual(now.messenger.compose.sent, [TAB.id]);
  assert.deepEqual(await now.guard.onBeforeSend(TAB, EXTERNAL), {});

  const timer = setup({ delay: { seconds: 10 } });
  await sendHeld(timer.guard, timer.messenger, EXTERNAL);
  timer.clock.now += 10_000;
  for (const { callback } of timer.timers) await callback();
  assert.deepEqual(timer.messenger.compose.sent, [TAB.id]);
  assert.deepEqual(await timer.guard.onBeforeSend(TAB, EXTERNAL), {});
});

test("the countdown links the incident page next to an https policy URL, and only there", async () => {
  const inline = setup({ delay: { seconds: 60 } });
  const held = await sendHeld(inline.guard, inline.messenger, EXTERNAL);
  assert.equal((await view(inline.guard, held)).incident_url, null, "an inline policy has no server");
  const served = setup({ delay: { seconds: 60 } }, { policyUrl: "https://sendguard.corp.example/policy.json" });
  const session = await sendHeld(served.guard, served.messenger, EXTERNAL);
  assert.equal((await view(served.guard, session)).incident_url, "https://sendguard.corp.example/incident.html");
});

test("internal mail is not held unless the policy says always; no delay without a policy", async () => {
  const external = setup({ delay: { seconds: 60 } });
  assert.deepEqual(await external.guard.onBeforeSend(TAB, INTERNAL), {});
  const always = setup({ delay: { seconds: 60, when: "always" } });
  await sendHeld(always.guard, always.messenger, INTERNAL);
  const none = setup({});
  assert.deepEqual(await none.guard.onBeforeSend(TAB, EXTERNAL), {});
});

test("a delay never replaces a stop: the warning comes first, the hold after Send anyway", async () => {
  const { messenger, guard, clock } = setup({ delay: { seconds: 60, when: "findings" } });
  assert.deepEqual(await guard.onBeforeSend(TAB, EXTERNAL), {}, "a pass is not held under `findings`");
  assert.deepEqual(await guard.onBeforeSend(TAB, FIVE), CANCEL);
  const [, dialog] = await dialogOpened(messenger);
  assert.match(dialog.url, /dialog\.html/, "the report first, not the countdown");
  assert.deepEqual(await choose(guard, sessionOf(dialog), { action: "send-anyway" }), { closed: true });
  assert.deepEqual(messenger.compose.sent, [TAB.id]);
  // Thunderbird runs onBeforeSend for the add-on's Send: now the hold.
  const countdown = await sendHeld(guard, messenger, FIVE);
  clock.now += 60_000;
  assert.deepEqual(await choose(guard, countdown, { action: "due" }), { closed: true });
  assert.deepEqual(messenger.compose.sent, [TAB.id, TAB.id]);
  assert.deepEqual(await guard.onBeforeSend(TAB, FIVE), {}, "the warning the user accepted is not asked again");
  // Edited during the countdown (a recipient added): the approval does not fit, checked anew.
  const edited = setup({ delay: { seconds: 5 } });
  const held = await sendHeld(edited.guard, edited.messenger, EXTERNAL);
  edited.clock.now += 5_000;
  await choose(edited.guard, held, { action: "due" });
  const more = { ...EXTERNAL, to: [...EXTERNAL.to, "C <c@other.example>"] };
  assert.deepEqual(await edited.guard.onBeforeSend(TAB, more), CANCEL, "a changed mail is held again");
});

test("a block nobody may override is never held or sent", async () => {
  const { messenger, guard } = setup({ delay: { seconds: 60 }, blocked_domains: ["partner.example"] });
  assert.deepEqual(await guard.onBeforeSend(TAB, EXTERNAL), CANCEL);
  const [, dialog] = await dialogOpened(messenger);
  assert.match(dialog.url, /dialog\.html/);
  const shown = await view(guard, sessionOf(dialog));
  assert.equal(shown.report.verdict, "block");
  const refused = await choose(guard, sessionOf(dialog), { action: "send-now" });
  assert.equal(refused.mode, "report");
  assert.equal(refused.status.key, "thunderbird.status.not-allowed");
  assert.deepEqual(messenger.compose.sent, []);
});
