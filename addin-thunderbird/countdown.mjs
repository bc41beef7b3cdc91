// The countdown Thunderbird shows while a mail is held (policy `delay`). The background
// owns the state (the session with `until`); this page shows the time left, offers "Stop"
// (the mail stays in its compose window) and "Send now", and at zero asks the background
// to send. Closing this window is "Stop": nothing leaves without the countdown ending or
// the user's "Send now".

import { loadCatalogue, translator } from "./lib/i18n.mjs";

const session = new URLSearchParams(location.search).get("session");
const $ = (id) => document.getElementById(id);
const catalogue = await loadCatalogue((path) => fetch(path).then((response) => response.json()));
let t = translator(catalogue, "en");
let timer = null;
let asked = false;

function send(message) {
  return messenger.runtime.sendMessage({ session, ...message });
}

function close() {
  clearInterval(timer);
  document.documentElement.dataset.state = "closed";
  window.close();
}

/** "1:05" for 65 seconds; the seconds left, rounded up, so 0:00 means "now". */
export function clock(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

async function choose(action) {
  document.documentElement.dataset.state = "busy";
  for (const button of document.querySelectorAll("button")) button.disabled = true;
  try {
    const view = await send({ type: "sendguard:choose", choice: { action } });
    if (!view || view.closed || view.mode !== "countdown") return close();
    // Asked too early ("due" before the background's clock says so): keep counting.
    for (const button of document.querySelectorAll("button")) button.disabled = false;
    asked = false;
    document.documentElement.dataset.state = "ready";
  } catch (error) {
    // The background is gone for good: nothing was sent, the compose window keeps the mail.
    console.error("sendguard: no answer from the background", error);
    close();
  }
}

function show(view) {
  if (!view || view.closed || view.mode !== "countdown") return close();
  t = translator(catalogue, view.lang);
  document.documentElement.lang = view.lang;
  document.documentElement.dataset.verdict = "countdown";
  // The page's clock follows the background's: `until` in its time, corrected by the
  // difference between its `now` and this page's.
  const offset = Date.now() - view.now;
  const until = view.until + offset;
  $("lead").textContent = t("thunderbird.countdown.lead");
  $("why").textContent = view.delay?.message?.[view.lang] ?? "";
  $("hint").textContent = t("thunderbird.countdown.hint");
  $("stop").textContent = t("thunderbird.countdown.stop");
  $("send-now").textContent = t("thunderbird.countdown.send-now");
  // The site's incident page (next to an https policy URL), in the default browser.
  $("incident").hidden = !view.incident_url;
  if (view.incident_url) {
    $("incident-link").href = view.incident_url;
    $("incident-link").textContent = t("thunderbird.incident.link");
    $("incident-link").onclick = (event) => {
      event.preventDefault();
      messenger.windows?.openDefaultBrowser?.(view.incident_url);
    };
  }
  $("stop").onclick = () => choose("back");
  $("send-now").onclick = () => choose("send-now");
  const tick = () => {
    const left = until - Date.now();
    $("remaining").textContent = clock(left);
    document.title = `sendguard: ${t("thunderbird.countdown.lead")} ${clock(left)}`;
    if (left <= 0 && !asked) {
      asked = true;
      choose("due");
    }
  };
  tick();
  clearInterval(timer);
  timer = setInterval(tick, 250);
  $("stop").focus();
  document.documentElement.dataset.state = "ready";
}

show(await send({ type: "sendguard:view" }));
