// The dialog Thunderbird shows when a draft needs a decision. The background owns the
// state (draft, report, choices, kept in storage.session); this page renders it with the
// checker package's shared report view (the findings, their fix buttons and the host's
// own actions: send anyway, back) and sends the user's choice back. The background
// answers before anything closes; then this page closes itself.

import { loadCatalogue, translator } from "./lib/i18n.mjs";
import { renderReport } from "./checker/report-view.mjs";

const session = new URLSearchParams(location.search).get("session");
const $ = (id) => document.getElementById(id);
const catalogue = await loadCatalogue((path) => fetch(path).then((response) => response.json()));
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
  document.title = `Sendguard: ${report.headline?.[view.lang] ?? report.verdict}`;
  $("title").textContent = t(`thunderbird.dialog.title.${report.verdict}`);
  $("status").hidden = !view.status;
  $("status").textContent = view.status ? t(view.status.key, view.status.vars) : "";
  $("override").hidden = !actions.reason_required;
  $("reason-label").textContent = t("thunderbird.override.reason");
  $("reason").required = actions.reason_required;
  const buttons = [];
  if (actions.send_anyway) {
    buttons.push({
      id: "send-anyway",
      label: t(report.verdict === "block" ? "thunderbird.action.override" : "thunderbird.action.send-anyway"),
      onSelect: () => choose({ action: "send-anyway", reason: $("reason").value }),
    });
  }
  buttons.push({ id: "back", label: t("thunderbird.action.back"), primary: true, onSelect: () => choose({ action: "back" }) });
  renderReport($("report"), report, {
    lang: view.lang,
    onFix: (action) => choose({ action: "fix", fix: action }),
    actions: buttons,
  });
  setState("ready");
}

function showError(view) {
  document.documentElement.dataset.verdict = "error";
  $("title").textContent = t("thunderbird.failed.title");
  const message = document.createElement("p");
  message.textContent = t("thunderbird.failed.message", { error: view.error });
  const bar = document.createElement("div");
  bar.className = "sg-actions";
  const back = document.createElement("button");
  back.type = "button";
  back.className = "sg-action sg-primary";
  back.dataset.action = "back";
  back.textContent = t("thunderbird.action.back");
  back.addEventListener("click", () => choose({ action: "back" }));
  bar.append(back);
  $("report").replaceChildren(message, bar);
  setState("ready");
}

async function choose(choice) {
  setState("busy");
  try {
    show(await send({ type: "sendguard:choose", choice }));
  } catch (error) {
    // The background is gone for good (the add-on was updated or disabled): nothing
    // holds the compose window, so closing here loses nothing.
    console.error("sendguard: no answer from the background", error);
    window.close();
  }
}

// Asks now and then whether the background still knows this dialog; a keepalive for
// the event page while the user reads, and a way to close a dialog whose mail is gone.
setInterval(() => {
  send({ type: "sendguard:keepalive" })
    .then((answer) => {
      if (answer && answer.alive === false) show({ closed: true });
    })
    .catch(() => {});
}, 10_000);

show(await send({ type: "sendguard:view" }));
