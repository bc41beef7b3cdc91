// The task pane: the report as a person reads it (the checker package's shared report
// view), with one-click fixes written back into Outlook, and a fresh check after each
// change. It opens from the ribbon button or from "Fix it" in the Smart Alerts dialog.

import { fieldLimit } from "./office-api.js";
import { readDraft, recipientFields } from "./read-draft.js";
import { loadPolicy, policyCache, policyUrlFor, rememberAddinUrl } from "./policy-source.js";
import { describeError } from "./decision.js";
import { planWrite, sameRecipients, writePlan } from "./recipients.js";
import { languageOf, pick, t } from "./i18n.js";
import { fixOutcome } from "../../crates/sendguard-wasm/js/host.mjs";

// Copied next to the task pane by the build, so the add-in folder works on any static host.
const CHECKER_URL = "./checker/sendguard-checker.mjs";
const VIEW_URL = "./checker/report-view.mjs";
const POLICY_TIMEOUT_MS = 4000;
const VERDICT_STATUS = { pass: "ok", warn: "warn", block: "error" };
/** What the pane says when the server's policy is not the one in force. */
const POLICY_NOTE = { "url-cached": "outlook.pane.policy.cache", default: "outlook.pane.policy.default" };

const $ = (id) => document.getElementById(id);
const state = { lang: "en", checker: null, renderReport: null, describeOutcome: null, draft: null, appointment: false, report: null, policy: null, busy: false };

let statusText = () => "";
function say(kind, text) {
  statusText = typeof text === "function" ? text : () => text;
  const status = $("status");
  status.className = "status " + kind;
  status.textContent = statusText();
  status.hidden = false;
}

/**
 * Light or dark as Outlook is: `Office.context.officeTheme` (where the client has it) gives
 * the body background; a dark one sets `data-theme="dark"` on <html>, which the pane's
 * and the report view's stylesheets follow. Without it the system's preference decides.
 */
function applyTheme(office) {
  const theme = office && office.context && office.context.officeTheme;
  const color = theme && /^#?([0-9a-f]{6})$/i.exec(String(theme.bodyBackgroundColor || "").trim());
  if (!color) {
    delete document.documentElement.dataset.theme;
    return;
  }
  const value = parseInt(color[1], 16);
  const channel = (shift) => {
    const c = ((value >> shift) & 255) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
  document.documentElement.dataset.theme = luminance < 0.2 ? "dark" : "light";
}

function watchTheme(office) {
  applyTheme(office);
  const type = office.EventType && office.EventType.OfficeThemeChanged;
  const mailbox = office.context && office.context.mailbox;
  if (type && mailbox && typeof mailbox.addHandlerAsync === "function") {
    try {
      mailbox.addHandlerAsync(type, () => applyTheme(office));
    } catch {
      // an older client without the event: the theme read at start stays
    }
  }
}

function applyLabels() {
  document.documentElement.lang = state.lang;
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(state.lang, element.dataset.i18n);
  }
}

function fieldName(field) {
  return t(state.lang, "outlook.field." + field);
}

async function start() {
  const office = globalThis.Office;
  state.lang = languageOf(office.context.displayLanguage);
  watchTheme(office);
  applyLabels();
  const roaming = office.context.roamingSettings;
  // The JavaScript-only runtime of older classic Outlook cannot tell its own URL; it reads it here.
  rememberAddinUrl(roaming, location.href).catch(() => {});
  const cache = policyCache(globalThis.OfficeRuntime, roaming);
  try {
    const [checkerModule, viewModule] = await Promise.all([import(CHECKER_URL), import(VIEW_URL)]);
    state.renderReport = viewModule.renderReport;
    state.describeOutcome = viewModule.describeOutcome;
    const chosen = await loadPolicy({
      fetchFn: fetch.bind(globalThis),
      url: policyUrlFor(location.href),
      cache,
      createChecker: checkerModule.createChecker,
      timeoutMs: POLICY_TIMEOUT_MS,
    });
    state.checker = chosen.value;
    state.policy = JSON.parse(chosen.text);
    const note = $("policy-note");
    note.hidden = chosen.source === "url";
    note.textContent = chosen.source === "url" ? "" : t(state.lang, POLICY_NOTE[chosen.source] || POLICY_NOTE.default);
  } catch (error) {
    say("error", () => t(state.lang, "outlook.pane.error", { error: describeError(error) }));
    return;
  }
  showToolLink();
  showIncidentLink();
  await recheck();
  document.body.dataset.ready = "true";
}

/**
 * Reads the draft from Outlook again (the truth after any change) and checks it. The report
 * speaks for itself (its headline says "Sending stopped"); the status line says only what
 * just happened (`done`: a sentence about the fix) and what to do next.
 */
async function recheck(done) {
  const read = await readDraft(globalThis.Office);
  state.draft = read.draft;
  state.appointment = read.appointment;
  state.report = forThisItem(state.checker.check(state.draft));
  render();
  const verdict = state.report.verdict;
  document.body.dataset.verdict = verdict;
  updateIncidentLink();
  $("meeting-note").hidden = !(state.appointment && offersMoveToBcc(state.rawReport));
  if (done === undefined) {
    hideStatus();
    return;
  }
  const next = verdict === "pass" ? "view.outcome.can-send" : "view.outcome.left";
  say(verdict === "pass" ? "ok" : VERDICT_STATUS[verdict], () => [done(), t(state.lang, next)].filter(Boolean).join(" "));
  $("status").focus();
}

function hideStatus() {
  statusText = () => "";
  $("status").textContent = "";
  $("status").hidden = true;
}

function offersMoveToBcc(report) {
  return Boolean(report) && (report.findings || []).some((f) => (f.fixes || []).some((x) => x.action && x.action.kind === "move-to-bcc"));
}

/**
 * A meeting has no Bcc and its fields are required/optional attendees: the report for it
 * offers no "Move to Bcc" and does not speak of To and Cc. The note above the report says
 * what works instead (fewer attendees per invitation, or a mail with everyone in Bcc).
 */
function forThisItem(report) {
  state.rawReport = report;
  if (!state.appointment) return report;
  const findings = (report.findings || []).map((finding) => {
    const fixes = (finding.fixes || []).filter((fix) => !(fix.action && fix.action.kind === "move-to-bcc"));
    if (finding.rule !== "visible-recipients") return Object.assign({}, finding, { fixes });
    const count = (finding.recipients || []).length;
    const message = {};
    for (const lang of ["en", "de"]) message[lang] = t(lang, "outlook.pane.meeting.visible", { count });
    return Object.assign({}, finding, { fixes, message });
  });
  return Object.assign({}, report, { findings });
}

function outcomeOf(action) {
  if (!state.checker || !state.draft) return undefined;
  const { draft: _after, ...outcome } = fixOutcome(state.checker, state.draft, action);
  return outcome;
}

function render() {
  state.renderReport($("report"), state.report, { lang: state.lang, onFix, outcomeOf, autofocus: false });
}

/**
 * "Sent by mistake? What now": the site's incident page on the server that hosts this
 * add-in (beside its policy.json), for a user who sends despite the warning or block.
 */
function showIncidentLink() {
  const policyUrl = policyUrlFor(location.href);
  const link = $("incident-link");
  if (policyUrl) {
    link.href = policyUrl.replace(/policy\.json$/, "incident.html");
  } else {
    link.removeAttribute("href");
  }
  updateIncidentLink();
}

/** Shown while the mail would be stopped: the user may still send it anyway. */
function updateIncidentLink() {
  const stopped = Boolean(state.report) && state.report.verdict !== "pass";
  $("incident").hidden = !(stopped && $("incident-link").hasAttribute("href"));
}

function showToolLink() {
  const tool = state.policy && state.policy.newsletter_tool;
  const link = $("open-tool");
  if (tool && tool.url && /^https:\/\//i.test(tool.url)) {
    link.href = tool.url;
    link.textContent = t(state.lang, "outlook.pane.open-tool", { tool: tool.name });
    link.hidden = false;
  } else {
    link.hidden = true;
  }
}

function download(file) {
  const blob = new Blob([file.content], { type: file.media_type || "text/csv" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = file.filename || "recipients.csv";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  // Some Outlook clients block downloads from add-ins: the list is also here to copy.
  $("export-text").value = file.content;
  $("export-fallback").hidden = false;
}

async function onFix(fixOrAction) {
  const action = (fixOrAction && fixOrAction.action) || fixOrAction;
  if (!action || state.busy) return;
  $("limit").hidden = true;
  if (action.kind === "move-to-bcc" && state.appointment) {
    // Not offered for a meeting; a stale button still does nothing.
    say("warn", () => t(state.lang, "outlook.pane.no-bcc"));
    return;
  }
  let outcome;
  try {
    outcome = outcomeOf(action);
  } catch {
    outcome = undefined;
  }
  let result;
  try {
    result = state.checker.apply(state.draft, action);
  } catch (error) {
    say("error", () => t(state.lang, "outlook.pane.error", { error: describeError(error) }));
    return;
  }
  if (result.export) {
    download(result.export);
    const filename = result.export.filename;
    say("ok", () => t(state.lang, "outlook.pane.exported", { filename }));
    return;
  }
  const office = globalThis.Office;
  const fields = recipientFields(office, office.context.mailbox.item);
  const plan = planWrite(state.draft, result.draft, fieldLimit(office), Object.keys(fields));
  if (plan.tooBig.length) {
    const big = plan.tooBig[0];
    $("limit-text").textContent = t(state.lang, "outlook.pane.field-limit", {
      limit: big.limit,
      field: fieldName(big.field),
      count: big.count,
    });
    $("limit").hidden = false;
    $("limit-export").focus();
    return;
  }
  state.busy = true;
  document.body.dataset.busy = "true";
  say("info", () => t(state.lang, "outlook.pane.writing"));
  try {
    await writePlan(fields, plan);
  } catch (error) {
    state.busy = false;
    delete document.body.dataset.busy;
    await recheck().catch(() => {});
    say("error", () => t(state.lang, "outlook.pane.write-failed", { error: describeError(error) }));
    return;
  }
  state.busy = false;
  delete document.body.dataset.busy;
  const expected = result.draft;
  await recheck(() => (outcome && state.describeOutcome ? state.describeOutcome(outcome, state.lang) : t(state.lang, "outlook.pane.fixed")));
  if (!sameRecipients(expected, state.draft)) {
    say("warn", () => t(state.lang, "outlook.pane.write-mismatch"));
  }
}

$("recheck").addEventListener("click", () => {
  if (state.checker && !state.busy) recheck(() => t(state.lang, "outlook.pane.rechecked")).catch((error) => say("error", describeError(error)));
});
$("limit-export").addEventListener("click", () => onFix({ kind: "export-recipients" }));

globalThis.Office.onReady(() => {
  start().catch((error) => say("error", () => t(state.lang, "outlook.pane.error", { error: describeError(error) })));
});
