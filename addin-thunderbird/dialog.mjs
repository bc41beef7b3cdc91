// The dialog Thunderbird shows when a draft needs a decision. The background owns the
// state (draft, report, choices, kept in storage.session); this page renders it with the
// checker package's shared report view (the findings, their fix buttons and the host's
// own actions: send anyway, back) and sends the user's choice back. The background
// answers before anything closes; then this page closes itself.

import { loadCatalogue, translator } from "./lib/i18n.mjs";
import { describeOutcome, renderReport } from "./checker/report-view.mjs";

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
  document.title = `sendguard: ${report.headline?.[view.lang] ?? report.verdict}`;
  // The report's own headline ("Sending stopped") is the page's heading; the dialog adds
  // no second title that says the same.
  $("title").hidden = true;
  $("title").textContent = "";
  const status = statusText(view);
  $("status").hidden = !status;
  $("status").textContent = status;
  $("override").hidden = !actions.reason_required;
  $("reason-label").textContent = t("thunderbird.override.reason");
  $("reason").required = actions.reason_required;
  const buttons = [];
  if (actions.send_anyway) {
    buttons.push({
      id: "send-anyway",
      label: t(report.verdict === "block" ? "thunderbird.action.override" : "thunderbird.action.send-anyway"),
      onSelect: () => sendAnyway(actions),
    });
  }
  buttons.push({ id: "back", label: t("thunderbird.action.back"), primary: true, onSelect: () => choose({ action: "back" }) });
  $("report").after($("override")); // back in place before the report is drawn again
  $("reason-error").hidden = true;
  const outcomes = new Map((view.outcomes ?? []).map(({ action, outcome }) => [JSON.stringify(action), outcome]));
  renderReport($("report"), report, {
    lang: view.lang,
    headingLevel: 1,
    onFix: (action) => choose({ action: "fix", fix: action }),
    outcomeOf: (action) => outcomes.get(JSON.stringify(action)),
    sendsOnPass: true,
    actions: buttons,
    // After a fix or a refused choice, the status says what happened: start there.
    autofocus: !status,
  });
  // The reason box sits right above the buttons it is for (inside the report's action
  // bar), so the prompt is next to "Send anyway".
  const bar = $("report").querySelector(".sg-actions");
  if (bar && !$("override").hidden) bar.before($("override"));
  showIncidentLink(view);
  if (status) $("status").focus();
  setState("ready");
}

/**
 * Next to "Send anyway": where to go if the mail should not have gone out. The site's
 * incident page opens in the default browser (it reads the sent .eml there, locally).
 */
function showIncidentLink(view) {
  const url = view.actions.send_anyway ? view.incident_url : null;
  $("incident").hidden = !url;
  if (!url) return;
  const link = $("incident-link");
  link.href = url;
  link.textContent = t("thunderbird.incident.link");
  link.onclick = (event) => {
    event.preventDefault();
    messenger.windows?.openDefaultBrowser?.(url);
  };
}

/** What happened last, in words: the fix's outcome first, then what is left. */
function statusText(view) {
  if (!view.status) return "";
  const parts = [];
  if (view.status.outcome) parts.push(describeOutcome(view.status.outcome, view.lang));
  if (view.status.outcome) parts.push(t("view.outcome.left"));
  else parts.push(t(view.status.key, view.status.vars));
  return parts.filter(Boolean).join(" ");
}

/** Send anyway: a required reason is asked for at its box, with focus moved there. */
function sendAnyway(actions) {
  const reason = $("reason").value;
  if (actions.reason_required && !reason.trim()) {
    $("reason-error").hidden = false;
    $("reason-error").textContent = t("thunderbird.status.reason-missing");
    $("reason").setAttribute("aria-invalid", "true");
    $("reason").focus();
    return undefined;
  }
  return choose({ action: "send-anyway", reason });
}

function showError(view) {
  document.documentElement.dataset.verdict = "error";
  $("title").hidden = false;
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
