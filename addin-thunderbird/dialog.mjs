// The dialog Thunderbird shows when a draft needs a decision. The background owns the
// state (draft, report, choices); this page renders it with the checker package's
// shared report view and sends the user's choice back.

import { translator } from "./lib/i18n.mjs";
import { renderReport } from "./checker/report-view.mjs";

const session = new URLSearchParams(location.search).get("session");
const $ = (id) => document.getElementById(id);
const catalogue = await fetch("checker/messages.json").then((response) => response.json());
let t = translator(catalogue, "en");

/** Asks the background; the answer is the next view, or a note that it closed. */
async function send(message) {
  return messenger.runtime.sendMessage({ session, ...message });
}

function setState(state) {
  document.documentElement.dataset.state = state;
}

function show(view) {
  if (!view || view.closed || view.mode === "gone") {
    setState("closed");
    window.close();
    return;
  }
  t = translator(catalogue, view.lang);
  document.documentElement.lang = view.lang;
  if (view.mode === "error") return showError(view);
  const { report, actions } = view;
  document.documentElement.dataset.verdict = report.verdict;
  document.title = `Sendguard: ${t(`verdict.${report.verdict}`)}`;
  $("title").textContent = t(`thunderbird.dialog.title.${report.verdict}`);
  $("status").hidden = !view.status;
  $("status").textContent = view.status ? t(view.status.key, view.status.vars) : "";
  renderReport($("report"), report, {
    lang: view.lang,
    onFix: (fix) => choose({ action: "fix", fix: fix?.action ?? fix }),
  });

  button("move-to-bcc", actions.move_to_bcc, t("thunderbird.action.move-to-bcc"));
  button("remove-recipients", actions.remove.length > 0, t("fix.remove-recipient"));
  $("remove-recipients").title = actions.remove.join(", ");
  button("export", actions.export, exportLabel(report, view.lang));
  button(
    "send-anyway",
    actions.send_anyway,
    t(report.verdict === "block" ? "thunderbird.action.override" : "thunderbird.action.send-anyway"),
  );
  button("back", true, t("thunderbird.action.back"));
  $("override").hidden = !actions.reason_required;
  $("reason-label").textContent = t("thunderbird.override.reason");
  $("reason").required = actions.reason_required;
  setState("ready");
}

function showError(view) {
  document.documentElement.dataset.verdict = "error";
  $("title").textContent = t("thunderbird.failed.title");
  $("report").textContent = t("thunderbird.failed.message", { error: view.error });
  for (const id of ["move-to-bcc", "remove-recipients", "export", "send-anyway"]) $(id).hidden = true;
  button("back", true, t("thunderbird.action.back"));
  setState("ready");
}

function button(id, visible, label) {
  const element = $(id);
  element.hidden = !visible;
  element.textContent = label;
}

/** The export fix's own label names the newsletter tool when the policy has one. */
function exportLabel(report, lang) {
  for (const finding of report.findings) {
    for (const fix of finding.fixes ?? []) {
      if (fix.action?.kind === "export-recipients") return fix.label?.[lang] ?? fix.label?.en;
    }
  }
  return t("fix.export-recipients");
}

async function choose(choice) {
  setState("busy");
  for (const element of document.querySelectorAll("button")) element.disabled = true;
  try {
    show(await send({ type: "sendguard:choose", choice }));
  } finally {
    for (const element of document.querySelectorAll("button")) element.disabled = false;
  }
}

$("move-to-bcc").addEventListener("click", () => choose({ action: "move-to-bcc" }));
$("remove-recipients").addEventListener("click", () => choose({ action: "remove-recipients" }));
$("export").addEventListener("click", () => choose({ action: "export" }));
$("back").addEventListener("click", () => choose({ action: "back" }));
$("send-anyway").addEventListener("click", () => choose({ action: "send-anyway", reason: $("reason").value }));

// Keeps the background (an event page that Thunderbird may suspend when idle) alive
// while the user reads: it holds the answer the compose window is waiting for.
setInterval(() => send({ type: "sendguard:keepalive" }).catch(() => {}), 10_000);

show(await send({ type: "sendguard:view" }));
