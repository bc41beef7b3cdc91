// The task pane: the report as a person reads it (the checker package's shared report
// view), with one-click fixes written back into Outlook, and a fresh check after each
// change. It opens from the ribbon button or from "Fix it" in the Smart Alerts dialog.

import { fieldLimit } from "./office-api.js";
import { readDraft, recipientFields } from "./read-draft.js";
import { loadPolicy, policyCache, policyUrlFor, rememberAddinUrl } from "./policy-source.js";
import { describeError } from "./decision.js";
import { planWrite, sameRecipients, writePlan } from "./recipients.js";
import { languageOf, pick, t } from "./i18n.js";

// Copied next to the task pane by the build, so the add-in folder works on any static host.
const CHECKER_URL = "./checker/sendguard-checker.mjs";
const VIEW_URL = "./checker/report-view.mjs";
const POLICY_TIMEOUT_MS = 4000;
const VERDICT_STATUS = { pass: "ok", warn: "warn", block: "error" };
/** What the pane says when the server's policy is not the one in force. */
const POLICY_NOTE = { "url-cached": "outlook.pane.policy.cache", default: "outlook.pane.policy.default" };

const $ = (id) => document.getElementById(id);
const state = { lang: "en", checker: null, renderReport: null, draft: null, appointment: false, report: null, policy: null, busy: false };

let statusText = () => "";
function say(kind, text) {
  statusText = typeof text === "function" ? text : () => text;
  const status = $("status");
  status.className = "status " + kind;
  status.textContent = statusText();
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
  applyLabels();
  const roaming = office.context.roamingSettings;
  // The JavaScript-only runtime of older classic Outlook cannot tell its own URL; it reads it here.
  rememberAddinUrl(roaming, location.href).catch(() => {});
  const cache = policyCache(globalThis.OfficeRuntime, roaming);
  try {
    const [checkerModule, viewModule] = await Promise.all([import(CHECKER_URL), import(VIEW_URL)]);
    state.renderReport = viewModule.renderReport;
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
  await recheck();
  document.body.dataset.ready = "true";
}

/** Reads the draft from Outlook again (the truth after any change) and checks it. */
async function recheck(prefix) {
  const read = await readDraft(globalThis.Office);
  state.draft = read.draft;
  state.appointment = read.appointment;
  state.report = state.checker.check(state.draft);
  render();
  const verdict = state.report.verdict;
  say(VERDICT_STATUS[verdict], () => (prefix ? t(state.lang, prefix) + " " : "") + pick(state.report.headline, state.lang));
  document.body.dataset.verdict = verdict;
}

function render() {
  state.renderReport($("report"), state.report, { lang: state.lang, onFix });
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
    say("warn", () => t(state.lang, "outlook.pane.no-bcc"));
    return;
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
  await recheck("outlook.pane.fixed");
  if (!sameRecipients(expected, state.draft)) {
    say("warn", () => t(state.lang, "outlook.pane.write-mismatch"));
  }
}

$("recheck").addEventListener("click", () => {
  if (state.checker && !state.busy) recheck("outlook.pane.rechecked").catch((error) => say("error", describeError(error)));
});
$("limit-export").addEventListener("click", () => onFix({ kind: "export-recipients" }));

globalThis.Office.onReady(() => {
  start().catch((error) => say("error", () => t(state.lang, "outlook.pane.error", { error: describeError(error) })));
});
