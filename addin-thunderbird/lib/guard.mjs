// The send guard: what happens between the user's click on Send and the mail leaving.
// It builds the draft, asks the checker, and for a warn or block stops the send and
// opens the dialog. All Thunderbird access goes through `messenger`, so the unit tests
// run this file against a fake Thunderbird (and the real checker package).
//
// The compose window is never held while the dialog is open: `onBeforeSend` answers
// `{cancel: true}` at once and keeps the dialog's state in `storage.session`. Thunderbird
// may suspend this background while the user reads (an event page); the dialog's next
// message wakes it, it finds the state again, and a choice that sends writes the fixed
// recipients into the compose window and calls `compose.sendMessage`. That Send comes
// back through `onBeforeSend`, which checks the mail again and lets it go when nothing
// stops it that the user has not already accepted for exactly these recipients. So a
// suspended background can neither lose the user's choice nor leave the window locked.
//
// The delivery delay (policy `delay`, decided by the core as `report.delay`) comes after
// all of that: a mail that may go (a pass, or a warning or block the user sent past) is
// cancelled once more and a countdown window opens with "Stop" and "Send now". At zero
// (the countdown page drives the clock; the background's own timer is a second trigger
// while it is awake) the add-on sends the mail itself with `compose.sendMessage`, checked
// again on its way out, and an approval marked `countdown` lets it go without a second
// countdown. Until then the mail has not been handed to Thunderbird's send at all: it is
// the open compose window. Stop, closing the countdown window, or quitting Thunderbird
// leaves it there (Thunderbird's own "save changes?" prompt applies on quit), so a draft
// is never lost and never sent without the user's Send.

import { choosePolicy, describe, fixOutcome, lastGoodPolicy, sendAnywayOf, withTimeout } from "../checker/host.mjs";
import {
  addressBookDomains,
  composeDraft,
  encryptionOn,
  hasListRecipients,
  listAddressBooks,
  mailingListsByName,
  readAttachments,
  recipientsFromDraft,
} from "./draft.mjs";
import { languageOf, translator } from "./i18n.mjs";
import { fetchPolicyText, policyCache, readSettings } from "./policy.mjs";

/** What `onBeforeSend` returns to let the mail go unchanged. */
const SEND = Object.freeze({});
/** What `onBeforeSend` returns to stop the send; the compose window stays open. */
const CANCEL = Object.freeze({ cancel: true });

/** The storage.local key of the local override log (never sent anywhere). */
export const OVERRIDE_LOG_KEY = "override_log";
const OVERRIDE_LOG_LENGTH = 50;
/** storage.session keys: the open dialogs, and the user's approvals by compose tab. */
export const SESSIONS_KEY = "sessions";
export const APPROVALS_KEY = "approvals";
/** How long an approval waits for its Send (compose.sendMessage) to come back. */
const APPROVAL_MAX_AGE_MS = 2 * 60 * 1000;
/** How long reading the compose window's details may take. */
const COMPOSE_TIMEOUT_MS = 3000;

const DIALOG_SIZE = { width: 680, height: 620 };
const COUNTDOWN_SIZE = { width: 440, height: 300 };

export class SendGuard {
  /**
   * @param {object} deps
   * @param {object} deps.messenger       the MailExtension API (or a fake)
   * @param {() => Promise<object>} deps.loadCheckerModule  imports the checker package
   * @param {(url: string) => Promise<string>} [deps.fetchText]  fetches the policy URL
   * @param {() => Promise<object>} deps.loadCatalogue  the merged catalogue (i18n.mjs)
   * @param {() => number} [deps.now]
   * @param {(callback: () => void, ms: number) => unknown} [deps.later]  setTimeout
   */
  constructor({ messenger, loadCheckerModule, fetchText = fetchPolicyText, loadCatalogue, now = Date.now, later = setTimeout }) {
    this.messenger = messenger;
    this.loadCheckerModule = loadCheckerModule;
    this.fetchText = fetchText;
    this.loadCatalogue = loadCatalogue;
    this.now = now;
    this.later = later;
    this.checkers = new Map();
    /** Open dialogs with their full drafts (attachment content included), by id. */
    this.sessions = new Map();
    let memory = {};
    // storage.session survives a suspended background; memory is the fallback for
    // versions without it (then a suspension closes the dialog as "gone").
    this.sessionStore = messenger.storage.session ?? {
      get: async (key) => ({ [key]: memory[key] }),
      set: async (items) => {
        memory = { ...memory, ...items };
      },
    };
  }

  // -- policy -------------------------------------------------------------------

  /** What is known before anything is downloaded: the last good policy's fail mode. */
  async knownFailMode() {
    const settings = await readSettings(this.messenger.storage.managed);
    let cached = null;
    if (settings.managedText === undefined && settings.url) {
      cached = await policyCache(this.messenger.storage.local)
        .get()
        .catch(() => null);
    }
    return lastGoodPolicy({ managedText: settings.managedText, cached, url: settings.url }).failMode;
  }

  /** The policy in force with its checker (see host.mjs `choosePolicy`). */
  async policy() {
    const settings = await readSettings(this.messenger.storage.managed);
    return choosePolicy({
      managedText: settings.managedText,
      url: settings.url,
      cache: policyCache(this.messenger.storage.local),
      fetchText: this.fetchText,
      accept: (text) => this.checkerFor(text),
      now: this.now,
    });
  }

  /** A checker for a policy text, created once per policy. Throws on a bad policy. */
  async checkerFor(policyText) {
    let checker = this.checkers.get(policyText);
    if (!checker) {
      const module = await this.loadCheckerModule();
      checker = await module.createChecker(policyText);
      this.checkers.clear();
      this.checkers.set(policyText, checker);
    }
    return checker;
  }

  async lang() {
    return languageOf(await this.messenger.i18n.getUILanguage());
  }

  // -- Send ---------------------------------------------------------------------

  /** The `compose.onBeforeSend` listener. It never throws and never waits for the user. */
  async onBeforeSend(tab, details) {
    let failMode = "fail-open";
    let checked;
    try {
      failMode = await this.knownFailMode();
      const open = await this.sessionForTab(tab.id);
      if (open) {
        // Send pressed again while the dialog is open: show it, send nothing. A dialog
        // whose window is gone (closed while the background slept) is forgotten.
        const shown = await this.messenger.windows.update(open.windowId, { focused: true }).then(
          () => true,
          () => false,
        );
        if (shown) return CANCEL;
        await this.forget(open);
      }
      const policy = await this.policy();
      failMode = policy.failMode;
      for (const skipped of policy.errors) console.warn(`sendguard: policy from ${skipped.source} not used: ${skipped.error}`);
      const composed = await this.composeDraft(tab, details);
      const report = policy.value.check(composed.draft);
      checked = { checker: policy.value, policyText: policy.text, composed, report };
    } catch (error) {
      return this.checkerFailed(error, failMode);
    }
    const { report, composed } = checked;
    const approval = await this.takeApproval(tab.id, composed.draft);
    if (report.verdict === "pass" || accepts(approval, report)) {
      // A delay never replaces a stop: only a mail that may go is held.
      if (!report.delay || approval?.countdown) return SEND;
      try {
        await this.startCountdown(tab.id, checked, approval);
        return CANCEL;
      } catch (error) {
        // No countdown window: the mail stays in its compose window, unsent. Safer
        // than sending at once what the policy wants held.
        console.error("sendguard: countdown failed", error);
        return CANCEL;
      }
    }
    try {
      await this.openSession({
        mode: "report",
        tabId: tab.id,
        policyText: checked.policyText,
        composed,
        draft: composed.draft,
        report,
        seen: [...warnRules(report)],
        changed: false,
        status: null,
      });
    } catch (error) {
      console.error("sendguard: dialog failed", error);
    }
    // The user has seen (or will see) a warning or block: the draft stays open.
    return CANCEL;
  }

  async composeDraft(tab, details) {
    const current =
      details ?? (await withTimeout(this.messenger.compose.getComposeDetails(tab.id), COMPOSE_TIMEOUT_MS, "reading the mail"));
    const missed = [];
    // The address books are listed once per Send, for the lists in the mail and for the
    // domains the user already writes to (lookalike-recipient); nothing leaves the machine.
    let listed = null;
    const books = () => (listed ??= listAddressBooks(this.messenger.addressBooks));
    let lists = new Map();
    if (hasListRecipients(current)) {
      try {
        lists = await mailingListsByName(this.messenger.addressBooks, books());
      } catch (error) {
        // No address book to open: every list in the mail is reported as not expanded.
        console.warn("sendguard: address books not readable", error);
        lists = new Map();
      }
    }
    let knownDomains = [];
    try {
      knownDomains = addressBookDomains(await books());
    } catch (error) {
      // Without them the look-alike check still compares with the sender's, the
      // policy's, the other recipients' and the big providers' domains.
      console.warn("sendguard: address book domains not readable", error);
    }
    const read = await readAttachments(this.messenger.compose, tab.id);
    missed.push(...read.notInspected);
    return composeDraft(current, { lists, attachments: read.attachments, notInspected: missed, knownDomains });
  }

  /** The fail mode decides: send with a notice, or stop and say why. */
  async checkerFailed(error, failMode) {
    const message = describe(error);
    console.error("sendguard: check failed", error);
    if (failMode !== "fail-closed") {
      await this.notify("thunderbird.unchecked.title", "thunderbird.unchecked.message", { error: message });
      return SEND;
    }
    try {
      await this.openSession({ mode: "error", error: message });
    } catch (dialogError) {
      console.error("sendguard: cannot show the failure", dialogError);
    }
    return CANCEL;
  }

  async notify(titleKey, messageKey, vars) {
    try {
      const t = translator(await this.loadCatalogue(), await this.lang());
      await this.messenger.notifications.create({
        type: "basic",
        title: t(titleKey, vars),
        message: t(messageKey, vars),
      });
    } catch (error) {
      console.error("sendguard: notification failed", error);
    }
  }

  // -- approvals: a choice that sends, checked again on its way out ---------------

  /**
   * The user's approval to send exactly this mail (consumed), or null when there is none,
   * it is stale, or the recipients or attachments changed since.
   */
  async takeApproval(tabId, draft) {
    const approvals = await this.readStore(APPROVALS_KEY);
    const approval = approvals[tabId];
    if (!approval) return null;
    delete approvals[tabId];
    await this.writeStore(APPROVALS_KEY, approvals);
    if (this.now() - approval.at > APPROVAL_MAX_AGE_MS) return null;
    if (approval.fingerprint !== fingerprint(draft)) return null;
    return approval;
  }

  // -- the delivery delay ---------------------------------------------------------

  /** Opens the countdown for a mail that may go; the compose window keeps the mail. */
  async startCountdown(tabId, checked, approval) {
    const { report, composed } = checked;
    const seconds = report.delay.seconds;
    const session = await this.openSession(
      {
        mode: "countdown",
        tabId,
        policyText: checked.policyText,
        composed,
        draft: composed.draft,
        report,
        seen: [...new Set([...(approval?.seen ?? []), ...warnRules(report)])],
        override: Boolean(approval?.override),
        changed: false,
        status: null,
        until: this.now() + seconds * 1000,
      },
      { page: "countdown.html", size: COUNTDOWN_SIZE },
    );
    // A second trigger beside the countdown page's clock, while this background is awake.
    if (session) this.later(() => this.countdownDue(session.id), seconds * 1000 + 250);
  }

  /** The background's timer: sends when the countdown is still open and due. */
  async countdownDue(id) {
    const session = await this.session(id);
    if (session?.mode === "countdown" && this.now() >= session.until) await this.sendHeld(session);
  }

  /**
   * Sends a held mail now (the countdown ran out, or "Send now"). The approval marked
   * `countdown` carries what the user already accepted, so the Send that follows is
   * checked again but not held again. Once per session, whoever asks first.
   */
  async sendHeld(session) {
    if (session.sending) return { closed: true };
    session.sending = true;
    const approvals = await this.readStore(APPROVALS_KEY);
    approvals[session.tabId] = {
      fingerprint: fingerprint(session.draft),
      seen: [...session.seen],
      override: session.override,
      countdown: true,
      at: this.now(),
    };
    await this.writeStore(APPROVALS_KEY, approvals);
    await this.forget(session);
    const sending = this.messenger.compose.sendMessage(session.tabId);
    Promise.resolve(sending).catch((error) => console.error("sendguard: sending failed", error));
    this.closeWindowSoon(session);
    return { closed: true };
  }

  /**
   * Sends the mail the dialog settled: writes the fixed recipients into the compose
   * window, records the approval for the Send that follows, and starts it. Resolves
   * before the Send finishes, so the dialog gets its answer first.
   */
  async sendFrom(session, { override = false } = {}) {
    if (session.changed) {
      const recipients = recipientsFromDraft(session.draft, session.composed);
      await this.messenger.compose.setComposeDetails(session.tabId, recipients);
    }
    const approvals = await this.readStore(APPROVALS_KEY);
    approvals[session.tabId] = {
      fingerprint: fingerprint(session.draft),
      seen: [...session.seen],
      override,
      at: this.now(),
    };
    await this.writeStore(APPROVALS_KEY, approvals);
    await this.forget(session);
    const sending = this.messenger.compose.sendMessage(session.tabId);
    Promise.resolve(sending).catch((error) => console.error("sendguard: sending failed", error));
    this.closeWindowSoon(session);
    return { closed: true };
  }

  // -- the dialog's state -------------------------------------------------------

  async readStore(key) {
    const stored = await this.sessionStore.get(key);
    return { ...(stored?.[key] ?? {}) };
  }

  async writeStore(key, value) {
    await this.sessionStore.set({ [key]: value });
  }

  /** What survives a suspended background: the session without attachment bytes. */
  async persist(session) {
    const sessions = await this.readStore(SESSIONS_KEY);
    sessions[session.id] = slim(session);
    await this.writeStore(SESSIONS_KEY, sessions);
  }

  async forget(session) {
    this.sessions.delete(session.id);
    const sessions = await this.readStore(SESSIONS_KEY);
    delete sessions[session.id];
    await this.writeStore(SESSIONS_KEY, sessions);
  }

  /** The session `id`, from memory or (after a suspension) from storage.session. */
  async session(id) {
    if (!id) return null;
    const live = this.sessions.get(id);
    if (live) return live;
    const stored = (await this.readStore(SESSIONS_KEY))[id];
    if (!stored) return null;
    const session = revive(stored);
    this.sessions.set(id, session);
    return session;
  }

  async sessionForTab(tabId) {
    const sessions = await this.readStore(SESSIONS_KEY);
    const id = Object.keys(sessions).find((key) => sessions[key].tabId === tabId);
    return id ? this.session(id) : null;
  }

  async openSession(state, { page = "dialog.html", size = DIALOG_SIZE } = {}) {
    const id = newId();
    const session = { id, ...state };
    this.sessions.set(id, session);
    await this.persist(session);
    const url = this.messenger.runtime.getURL(`${page}?session=${id}`);
    const window = await this.messenger.windows.create({ type: "popup", url, ...size });
    if (!this.sessions.has(id)) {
      // Answered before the window id was known: close it now.
      await this.messenger.windows.remove(window.id).catch(() => {});
      return null;
    }
    session.windowId = window.id;
    await this.persist(session);
    return session;
  }

  /** Closes the dialog window after it had time to read its answer and close itself. */
  closeWindowSoon(session) {
    const windowId = session.windowId;
    if (windowId === undefined) return;
    this.later(() => {
      this.messenger.windows.remove(windowId).catch(() => {});
    }, 1000);
  }

  /** The dialog window was closed with its close button: same as "Back to editing". */
  async onWindowRemoved(windowId) {
    const sessions = await this.readStore(SESSIONS_KEY);
    for (const id of Object.keys(sessions)) {
      if (sessions[id].windowId !== windowId) continue;
      const session = await this.session(id);
      if (session) await this.backToEditing(session, { windowGone: true });
    }
  }

  /** `runtime.onMessage`: the dialog and options page talk to the background here. */
  async handleMessage(message) {
    switch (message?.type) {
      case "sendguard:view":
        return this.view(await this.session(message.session));
      case "sendguard:choose":
        return this.choose(await this.session(message.session), message.choice ?? {});
      case "sendguard:keepalive":
        return { alive: Boolean(await this.session(message.session)) };
      case "sendguard:policy":
        return this.describePolicy();
      default:
        return undefined;
    }
  }

  /** What the dialog shows, and what it may offer beside the report's own fixes. */
  async view(session) {
    const lang = await this.lang();
    if (!session) return { mode: "gone", lang };
    if (session.mode === "error") return { mode: "error", lang, error: session.error };
    const settings = await readSettings(this.messenger.storage.managed);
    if (session.mode === "countdown") {
      // Within the delay window: where to go if the mail should not have gone out.
      const incident_url = incidentUrlFor(settings.url);
      return { mode: "countdown", lang, until: session.until, now: this.now(), delay: session.report.delay, incident_url };
    }
    return {
      mode: "report",
      lang,
      report: session.report,
      status: session.status,
      actions: actions(session),
      outcomes: await this.outcomes(session),
      incident_url: incidentUrlFor(settings.url),
    };
  }

  /** What each fix the report offers would do, so its button can say it beforehand. */
  async outcomes(session) {
    let checker;
    try {
      checker = await this.checkerFor(session.policyText);
    } catch {
      return [];
    }
    const out = [];
    for (const action of fixActions(session.report)) {
      try {
        const { draft: _draft, ...outcome } = fixOutcome(checker, session.draft, action);
        out.push({ action, outcome });
      } catch (error) {
        console.warn("sendguard: cannot preview a fix", error);
      }
    }
    return out;
  }

  async choose(session, choice) {
    if (!session) return { mode: "gone", closed: true };
    if (session.mode === "error" || choice.action === "back") {
      await this.backToEditing(session);
      return { closed: true };
    }
    if (session.mode === "countdown") {
      // "Stop" is "back"; "Send now" sends at once; the page's clock at zero asks for
      // "due", which the background honours only when the time has really come.
      if (choice.action === "send-now") return this.sendHeld(session);
      if (choice.action === "due" && this.now() >= session.until) return this.sendHeld(session);
      return this.view(session);
    }
    const offered = actions(session);
    switch (choice.action) {
      case "send-anyway": {
        if (!offered.send_anyway) return this.withStatus(session, "thunderbird.status.not-allowed");
        const reason = String(choice.reason ?? "").trim();
        if (offered.reason_required && !reason) {
          return this.withStatus(session, "thunderbird.status.reason-missing");
        }
        await this.logOverride(session, reason);
        return this.sendFrom(session, { override: true });
      }
      case "fix":
        // A fix button of the shared report view: only fixes this report offers.
        if (!offersAction(session.report, choice.fix)) {
          return this.withStatus(session, "thunderbird.status.not-allowed");
        }
        return choice.fix.kind === "export-recipients" ? this.exportList(session) : this.applyFix(session, choice.fix);
      default:
        return this.withStatus(session, "thunderbird.status.not-allowed");
    }
  }

  async withStatus(session, key, vars = {}) {
    session.status = { key, vars };
    await this.persist(session);
    return this.view(session);
  }

  /**
   * Applies a fix and checks again. The mail goes out only when the result passes: a
   * warning that is left (also one the user already read, like a private mailbox beside
   * the visible list) is shown again with what the fix did, and the user decides (Send
   * anyway or Back). The fix buttons say so beforehand ("… and send" only on a pass). The
   * changes are kept either way. A fix that would leave the mail without any recipient is
   * not applied.
   */
  async applyFix(session, action) {
    const checker = await this.checkerFor(session.policyText);
    if (action.kind === "encrypt") {
      // Written into the compose window at once: Thunderbird refuses what the identity
      // cannot do (S/MIME without an encryption certificate), and then the user hears
      // why, the dialog stays, and nothing is sent unencrypted.
      const technology = session.composed.encryption;
      if (!technology) return this.withStatus(session, "thunderbird.status.not-allowed");
      const on = encryptionOn(technology);
      try {
        await this.messenger.compose.setComposeDetails(session.tabId, { selectedEncryptionTechnology: on });
      } catch (error) {
        return this.withStatus(session, "thunderbird.status.encrypt-failed", { error: describe(error) });
      }
      session.composed.encryption = on;
    }
    const { draft: outcomeDraft, ...outcome } = fixOutcome(checker, session.draft, action);
    if (!hasRecipients(outcomeDraft, session.composed)) {
      return this.withStatus(session, "thunderbird.status.no-recipients-left");
    }
    const report = checker.check(outcomeDraft);
    session.draft = outcomeDraft;
    session.changed = true;
    if (report.verdict === "pass") return this.sendFrom(session);
    session.seen = [...new Set([...session.seen, ...warnRules(report)])];
    session.report = report;
    session.status = { key: "thunderbird.status.fixed-still", vars: {}, outcome };
    await this.persist(session);
    return this.view(session);
  }

  /** Saves the CSV into the downloads folder; nothing is sent, the dialog stays. */
  async exportList(session) {
    const checker = await this.checkerFor(session.policyText);
    const { export: file } = checker.apply(session.draft, { kind: "export-recipients" });
    try {
      const path = await this.saveFile(file);
      return this.withStatus(session, "thunderbird.status.exported", { path });
    } catch (error) {
      return this.withStatus(session, "thunderbird.status.export-failed", { error: describe(error) });
    }
  }

  /** Writes a file through `downloads` and resolves with the path it got. */
  async saveFile({ filename, media_type: type, content }) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    try {
      const id = await this.messenger.downloads.download({ url, filename, saveAs: false, conflictAction: "uniquify" });
      for (let attempt = 0; attempt < 50; attempt++) {
        const [item] = await this.messenger.downloads.search({ id });
        if (item?.state === "complete") return item.filename;
        if (item?.state === "interrupted") throw new Error(item.error ?? "download interrupted");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return filename;
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  /** Stops here; fixes applied so far are written into the compose window. */
  async backToEditing(session, { windowGone = false } = {}) {
    if (session.changed && session.tabId !== undefined) {
      const recipients = recipientsFromDraft(session.draft, session.composed);
      await this.messenger.compose.setComposeDetails(session.tabId, recipients).catch((error) => {
        console.error("sendguard: cannot write the fixed recipients back", error);
      });
    }
    await this.forget(session);
    if (!windowGone) this.closeWindowSoon(session);
  }

  /** Overrides are remembered on this machine only, for the options page. */
  async logOverride(session, reason) {
    const local = this.messenger.storage.local;
    const stored = (await local.get(OVERRIDE_LOG_KEY))?.[OVERRIDE_LOG_KEY] ?? [];
    const entry = {
      at: new Date(this.now()).toISOString(),
      verdict: session.report.verdict,
      rules: session.report.findings.filter((f) => f.severity !== "info").map((f) => f.rule),
    };
    if (reason) entry.reason = reason;
    await local.set({ [OVERRIDE_LOG_KEY]: [entry, ...stored].slice(0, OVERRIDE_LOG_LENGTH) });
  }

  /** For the options page: the active policy, its source and whether it loads. */
  async describePolicy() {
    let policy = null;
    let error = null;
    try {
      policy = await this.policy();
      if (policy.errors.length > 0) error = policy.errors.map((e) => `${e.source}: ${e.error}`).join("; ");
    } catch (refused) {
      error = describe(refused);
    }
    const settings = await readSettings(this.messenger.storage.managed);
    const overrides = (await this.messenger.storage.local.get(OVERRIDE_LOG_KEY))?.[OVERRIDE_LOG_KEY] ?? [];
    return {
      lang: await this.lang(),
      source: policy?.source ?? (settings.managedText !== undefined ? "managed" : "default"),
      url: policy?.url ?? settings.url,
      text: policy?.text ?? settings.managedText ?? "{}",
      fail_mode: policy?.failMode ?? (await this.knownFailMode()),
      error,
      checker: policy ? { version: policy.value.version } : null,
      overrides,
    };
  }
}

/** Whether an approval lets this report's warning or block go. */
function accepts(approval, report) {
  if (!approval) return false;
  if (approval.override) return true;
  const unseen = [...warnRules(report)].filter((rule) => !approval.seen.includes(rule));
  return report.verdict === "warn" && unseen.length === 0;
}

/** The rules of a report's warn findings. */
function warnRules(report) {
  return new Set(report.findings.filter((f) => f.severity === "warn").map((f) => f.rule));
}

function fixActions(report) {
  return report.findings.flatMap((finding) => (finding.fixes ?? []).map((fix) => fix.action));
}

function offersAction(report, action) {
  const wanted = JSON.stringify(action ?? null);
  return fixActions(report).some((offered) => JSON.stringify(offered) === wanted);
}

/** Whether a draft still has someone to send to (lists and unparsed entries count). */
function hasRecipients(draft, composed) {
  const fields = ["to", "cc", "bcc"];
  return fields.some((field) => (draft[field] ?? []).length > 0 || (composed.unresolved?.[field] ?? []).length > 0);
}

/**
 * The recipients and attachment names of a draft as one string: an approval is for
 * exactly this mail, and a Send after further edits is checked from the start.
 */
export function fingerprint(draft) {
  const fields = ["to", "cc", "bcc"].map((field) =>
    (draft[field] ?? []).map((entry) => String(entry.address).toLowerCase()).sort().join(","),
  );
  const files = (draft.attachments ?? []).map((a) => `${a.name}:${a.size}`).sort().join(",");
  return JSON.stringify([fields, files]);
}

/** The session as stored: JSON only, attachment bytes left out. */
function slim(session) {
  const { draft, composed } = session;
  return {
    id: session.id,
    mode: session.mode,
    error: session.error,
    tabId: session.tabId,
    until: session.until,
    override: session.override,
    windowId: session.windowId,
    policyText: session.policyText,
    report: session.report,
    seen: session.seen,
    changed: session.changed,
    status: session.status,
    draft: draft && {
      ...draft,
      attachments: (draft.attachments ?? []).map(({ content_base64: _content, ...rest }) => rest),
    },
    composed: composed && {
      lists: [...composed.lists.entries()],
      unresolved: composed.unresolved,
      encryption: composed.encryption ?? null,
    },
  };
}

function revive(stored) {
  return {
    ...stored,
    composed: stored.composed && {
      lists: new Map(stored.composed.lists),
      unresolved: stored.composed.unresolved,
      encryption: stored.composed.encryption ?? null,
    },
  };
}

function newId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The site's "Sent by mistake? What now" page on the server that hands out the policy:
 * `https://host/prefix/policy.json` → `https://host/prefix/incident.html`; null without
 * an https policy URL (a policy set inline names no server).
 */
export function incidentUrlFor(policyUrl) {
  const match = /^(https:\/\/[^/?#]+)(\/[^?#]*)?/i.exec(String(policyUrl || ""));
  if (!match) return null;
  const path = match[2] || "/";
  return `${match[1]}${path.slice(0, path.lastIndexOf("/"))}/incident.html`;
}

/** What the dialog offers beside the report's fix buttons. */
export function actions(session) {
  const { sendAnyway, reasonRequired } = sendAnywayOf(session.report);
  return { send_anyway: sendAnyway, reason_required: reasonRequired, changed: session.changed };
}
