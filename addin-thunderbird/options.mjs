// The options page: read-only. It shows the policy in force and where it came from;
// there is nothing a user could change to weaken IT's policy.

import { loadCatalogue, translator } from "./lib/i18n.mjs";

const $ = (id) => document.getElementById(id);
const catalogue = await loadCatalogue((path) => fetch(path).then((response) => response.json()));
const info = await messenger.runtime.sendMessage({ type: "sendguard:policy" });
const t = translator(catalogue, info.lang);

document.documentElement.lang = info.lang;
document.title = t("thunderbird.options.title");
$("heading").textContent = t("thunderbird.options.title");
$("lead").textContent = t("thunderbird.options.lead");
$("source-label").textContent = t("thunderbird.options.source");
$("source").textContent = t(`thunderbird.options.source.${info.source}`, { url: info.url ?? "" });
$("fail-mode-label").textContent = t("thunderbird.options.fail-mode");
$("fail-mode").textContent = t(`thunderbird.options.fail-mode.${info.fail_mode}`);
$("checker-label").textContent = t("thunderbird.options.checker");
$("checker").textContent = info.checker ? info.checker.version : "—";
$("error").hidden = !info.error;
$("error").textContent = info.error ? t("thunderbird.options.error", { error: info.error }) : "";
$("policy-heading").textContent = t("thunderbird.options.policy");
$("policy").textContent = pretty(info.text);
$("overrides-heading").textContent = t("thunderbird.options.overrides");
$("overrides-empty").hidden = info.overrides.length > 0;
$("overrides-empty").textContent = t("thunderbird.options.overrides.none");
for (const entry of info.overrides) {
  const item = document.createElement("li");
  const when = new Date(entry.at).toLocaleString(info.lang);
  item.textContent = `${when}: ${entry.rules.join(", ")}${entry.reason ? ` — ${entry.reason}` : ""}`;
  $("overrides").append(item);
}
document.documentElement.dataset.state = "ready";

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
