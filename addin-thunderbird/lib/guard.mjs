// The send guard: what happens between the user's click on Send and the mail leaving.
// It builds the draft, asks the checker, and for a warn or block opens the dialog and
// waits for the user's choice. All Thunderbird access goes through `messenger`, so
// the unit tests run this file against a fake.

import {
  composeDraft,
  hasListRecipients,
  mailingListsByName,
  readAttachments,
  recipientsFromDraft,
} from "./draft.mjs";
import { languageOf, translator } from "./i18n.mjs";
import { failModeOf, loadPolicy } from "./policy.mjs";

/** What `onBeforeSend` returns to let the mail go unchanged. */
const SEND = Object.freeze({});
/** What `onBeforeSend` returns to stop the send; the compose window stays open. */
const CANCEL = Object.freeze({ cancel: true });

/** The storage.local key of the local override log (never sent anywhere). */
export const OVERRIDE_LOG_KEY = "override_log";
const OVERRIDE_LOG_LENGTH = 50;

const DIALOG_SIZE = { width: 680, height: 620 };

export class SendGuard {
  /**
   * @param {object} deps
   * @param {object} deps.messenger       the MailExtension API (or a fake)
   * @param {() => Promise<object>} deps.loadCheckerModule  imports the checker package
   * @param {(url: string) => Promise<string>} deps.fetchText  fetches the policy URL
   * @param {() => Promise<object>} deps.loadCatalogue  the messages.json catalogue
   * @param {() => number} [deps.now]
   */
  constructor({ messenger, loadCheckerModule, fetchText, loadCatalogue, now = Date.now }) {
    this.messenger = messenger;
    this.loadCheckerModule = loadCheckerModule;
    this.fetchText = fetchText;
    this.loadCatalogue = loadCatalogue;
    this.now = now;
    this.checkers = new Map();
    this.sessions = new Map();
    this.nextSession = 1;
  }

  /** The active policy and where it came from (see policy.mjs). */
  policy() {
    return loadPolicy({
      managed: this.messenger.storage.managed,
      local: this.messenger.storage.local,
      fetchText: this.fetchText,
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

  /** The `compose.onBeforeSend` listener. It never throws: a throw would leave the
   * compose window locked. */
  async onBeforeSend(tab, details) {
    let policy = { text: "{}", source: "default" };
    let checked;
    try {
      policy = await this.policy();
      const checker = await this.checkerFor(policy.text);
      const composed = await this.composeDraft(tab, details);
      const report = checker.check(composed.draft);
      checked = { checker, composed, report };
    } catch (error) {
      return this.checkerFailed(error, policy);
    }
    if (checked.report.verdict === "pass") return SEND;
    try {
      return await this.askUser(tab, checked);
    } catch (error) {
      // The user has seen a warning or block; whatever broke, the draft stays open.
      console.error("sendguard: dialog failed", error);
      return CANCEL;
    }
  }

  async composeDraft(tab, details) {
    const current = details ?? (await this.messenger.compose.getComposeDetails(tab.id));
    const lists = hasListRecipients(current)
      ? await mailingListsByName(this.messenger.addressBooks).catch(() => new Map())
      : new Map();
    const attachments = await readAttachments(this.messenger.compose, tab.id);
    return composeDraft(current, { lists, attachments });
  }

  /** The policy's fail mode decides: send with a notice, or stop and say why. */
  async checkerFailed(error, policy) {
    const message = error?.message ?? String(error);
    console.error("sendguard: check failed", error);
    const mode = failModeOf(policy.text);
    if (mode === "fail-open") {
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

  /** Opens the dialog for a warn or block and resolves with the listener's answer. */
  askUser(tab, { checker, composed, report }) {
    return this.openSession({
      mode: "report",
      tab,
      checker,
      composed,
      draft: composed.draft,
      report,
      seen: warnRules(report),
      changed: false,
      status: null,
    });
  }

  async openSession(state) {
    const id = String(this.nextSession++);
    const session = { id, ...state };
    const answer = new Promise((resolve) => {
      session.resolve = resolve;
    });
    this.sessions.set(id, session);
    const url = this.messenger.runtime.getURL(`dialog.html?session=${id}`);
    const window = await this.messenger.windows.create({ type: "popup", url, ...DIALOG_SIZE });
    session.windowId = window.id;
    if (!this.sessions.has(id)) {
      // Answered before the window id was known: close it now.
      await this.messenger.windows.remove(window.id).catch(() => {});
    }
    return answer;
  }

  async finish(session, result) {
    if (!this.sessions.delete(session.id)) return;
    session.resolve(result);
    if (session.windowId !== undefined) {
      await this.messenger.windows.remove(session.windowId).catch(() => {});
    }
  }

  /** The dialog window was closed with its close button: same as "Back to editing". */
  async onWindowRemoved(windowId) {
    for (const session of this.sessions.values()) {
      if (session.windowId === windowId) {
        delete session.windowId;
        await this.backToEditing(session);
      }
    }
  }

  /** `runtime.onMessage`: the dialog and options page talk to the background here. */
  handleMessage(message) {
    switch (message?.type) {
      case "sendguard:view":
        return this.view(this.sessions.get(message.session));
      case "sendguard:choose":
        return this.choose(this.sessions.get(message.session), message.choice ?? {});
      case "sendguard:keepalive":
        return Promise.resolve({ alive: this.sessions.has(message.session) });
      case "sendguard:policy":
        return this.describePolicy();
      default:
        return undefined;
    }
  }

  /** What the dialog shows, and which actions it offers. */
  async view(session) {
    const lang = await this.lang();
    if (!session) return { mode: "gone", lang };
    if (session.mode === "error") return { mode: "error", lang, error: session.error };
    return { mode: "report", lang, report: session.report, status: session.status, actions: actions(session) };
  }

  async choose(session, choice) {
    if (!session) return { mode: "gone" };
    if (session.mode === "error" || choice.action === "back") {
      await this.backToEditing(session);
      return { closed: true };
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
        await this.finish(session, this.sendResult(session));
        return { closed: true };
      }
      case "move-to-bcc":
        if (!offered.move_to_bcc) return this.withStatus(session, "thunderbird.status.not-allowed");
        return this.applyFix(session, { kind: "move-to-bcc" });
      case "remove-recipients":
        if (offered.remove.length === 0) return this.withStatus(session, "thunderbird.status.not-allowed");
        return this.applyFix(session, { kind: "remove-recipient", addresses: offered.remove });
      case "export":
        if (!offered.export) return this.withStatus(session, "thunderbird.status.not-allowed");
        return this.exportList(session);
      case "fix":
        // A fix button inside the shared report view: only fixes this report offers.
        if (!offersAction(session.report, choice.fix)) {
          return this.withStatus(session, "thunderbird.status.not-allowed");
        }
        return choice.fix.kind === "export-recipients"
          ? this.exportList(session)
          : this.applyFix(session, choice.fix);
      default:
        return this.withStatus(session, "thunderbird.status.not-allowed");
    }
  }

  async withStatus(session, key, vars = {}) {
    session.status = { key, vars };
    return this.view(session);
  }

  /**
   * Applies a fix and checks again. The mail goes out when nothing new stops it: a
   * pass, or warnings the user has already seen in this dialog (a warn stops once).
   * Otherwise the dialog shows what is left; the changes are kept either way.
   */
  async applyFix(session, action) {
    const { draft } = session.checker.apply(session.draft, action);
    const report = session.checker.check(draft);
    session.draft = draft;
    session.changed = true;
    const unseen = [...warnRules(report)].filter((rule) => !session.seen.has(rule));
    if (report.verdict === "pass" || (report.verdict === "warn" && unseen.length === 0)) {
      await this.finish(session, this.sendResult(session));
      return { closed: true };
    }
    for (const rule of warnRules(report)) session.seen.add(rule);
    session.report = report;
    return this.withStatus(session, "thunderbird.status.fixed-still");
  }

  /** Saves the CSV into the downloads folder; nothing is sent, the dialog stays. */
  async exportList(session) {
    const { export: file } = session.checker.apply(session.draft, { kind: "export-recipients" });
    try {
      const path = await this.saveFile(file);
      return this.withStatus(session, "thunderbird.status.exported", { path });
    } catch (error) {
      return this.withStatus(session, "thunderbird.status.export-failed", { error: error?.message ?? String(error) });
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

  sendResult(session) {
    return session.changed ? { details: recipientsFromDraft(session.draft, session.composed) } : SEND;
  }

  /** Stops the send; fixes applied so far are written into the compose window. */
  async backToEditing(session) {
    if (session.changed && session.tab) {
      const recipients = recipientsFromDraft(session.draft, session.composed);
      await this.messenger.compose.setComposeDetails(session.tab.id, recipients).catch((error) => {
        console.error("sendguard: cannot write the fixed recipients back", error);
      });
    }
    await this.finish(session, CANCEL);
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
    const policy = await this.policy();
    let checker = null;
    let error = policy.error ?? null;
    try {
      const loaded = await this.checkerFor(policy.text);
      checker = { version: loaded.version };
    } catch (checkerError) {
      error = checkerError?.message ?? String(checkerError);
    }
    const overrides = (await this.messenger.storage.local.get(OVERRIDE_LOG_KEY))?.[OVERRIDE_LOG_KEY] ?? [];
    return {
      lang: await this.lang(),
      source: policy.source,
      url: policy.url ?? null,
      text: policy.text,
      fail_mode: failModeOf(policy.text),
      error,
      checker,
      overrides,
    };
  }
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

/** The dialog's buttons for the current report. */
export function actions(session) {
  const { report } = session;
  const offered = fixActions(report);
  const remove = [];
  for (const action of offered) {
    if (action.kind !== "remove-recipient") continue;
    for (const address of action.addresses ?? []) if (!remove.includes(address)) remove.push(address);
  }
  const blocked = report.verdict === "block";
  const override = report.override ?? { allowed: false, reason_required: true };
  return {
    move_to_bcc: offered.some((action) => action.kind === "move-to-bcc"),
    remove,
    export: offered.some((action) => action.kind === "export-recipients"),
    send_anyway: report.verdict === "warn" || (blocked && override.allowed === true),
    reason_required: blocked && override.allowed === true && override.reason_required !== false,
    changed: session.changed,
  };
}
