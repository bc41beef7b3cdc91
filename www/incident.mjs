// After a mistake: the sent .eml is read by the site's checker module in this browser
// (the same core as `sendguard incident`), and the assessment and papers are shown to copy
// or download. Nothing is uploaded and nothing is sent.

import { ready, t, onLangChange, currentLang, download, takeFiles } from "/site.mjs";

const SITE_MODULE = "/checker/sendguard-checker-site.mjs";

const form = document.getElementById("incident-form");
const dropzone = document.getElementById("dropzone");
const fileInput = document.getElementById("eml-file");
const noticedInput = document.getElementById("noticed");
const status = document.getElementById("status");
const facts = document.getElementById("facts");
const reasons = document.getElementById("reasons");
const dpoNote = document.getElementById("dpo-note");
const papers = document.getElementById("papers");
const paperList = document.getElementById("paper-list");

let site = null;
let bytes = null;
let fileName = "";

/** The datetime-local value as a UTC time the core reads (`2026-12-01T08:00:00Z`). */
function noticedIso() {
  const local = noticedInput.value ? new Date(noticedInput.value) : new Date();
  const at = Number.isNaN(local.getTime()) ? new Date() : local;
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function nowForInput() {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function say(kind, text) {
  status.className = `status ${kind}`;
  status.textContent = text;
}

function fact(term, value) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  facts.append(dt, dd);
}

const readable = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : t("www.incident.unknown"));

/** One paper: a heading, its text, and Copy / Download buttons. */
function paper(id, titleKey, name, mediaType, text) {
  const section = document.createElement("details");
  section.className = "paper";
  section.id = `paper-${id}`;
  const summary = document.createElement("summary");
  summary.textContent = t(titleKey);
  const pre = document.createElement("pre");
  pre.className = "paper-text";
  pre.tabIndex = 0;
  pre.textContent = text;
  const tools = document.createElement("div");
  tools.className = "toolbar";
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "secondary";
  copy.textContent = t("www.incident.copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = t("www.incident.copied");
    } catch {
      copy.textContent = t("www.incident.copy-failed");
    }
  });
  const save = document.createElement("button");
  save.type = "button";
  save.className = "secondary";
  save.textContent = t("www.incident.download", { name });
  save.addEventListener("click", () => download(name, mediaType, text));
  tools.append(copy, save);
  section.append(summary, tools, pre);
  return section;
}

async function assess() {
  if (!bytes) return;
  const noticed = noticedIso();
  const lang = currentLang();
  try {
    site ??= await import(SITE_MODULE);
    const { register, papers: texts } = await site.assessIncident(bytes, { noticed, lang });
    show(register, texts, noticed);
  } catch (error) {
    delete form.dataset.risk;
    facts.hidden = true;
    dpoNote.hidden = true;
    papers.hidden = true;
    reasons.replaceChildren();
    say("error", t("www.incident.refused", { name: fileName, reason: error.message }));
  }
}

function show(register, texts, noticed) {
  const r = register.recipients;
  const a = register.assessment;
  form.dataset.risk = a.risk;
  form.dataset.noticed = noticed;
  say(a.risk === "low" ? "info" : a.risk === "high" ? "error" : "warn", t(`www.incident.risk.${a.risk}`));
  facts.replaceChildren();
  fact(t("www.incident.sent"), readable(register.sent_at));
  fact(t("www.incident.deadline"), readable(register.notify_authority_by));
  fact(t("www.incident.recipients"), t("www.incident.recipients-value", {
    total: r.total, visible: r.visible, bcc: r.bcc_only, private: r.private_mailboxes, organizations: r.external_organizations,
  }));
  fact(t("www.incident.disclosed"), t("www.incident.disclosed-value", { disclosed: r.disclosed_addresses, seen: r.disclosed_to }));
  fact(t("www.incident.art33"), t(`www.incident.${a.notify_authority}`));
  fact(t("www.incident.art34"), t(`www.incident.${a.inform_data_subjects}`));
  facts.hidden = false;
  // Why, in the core's words (the register's list).
  const list = document.createElement("ul");
  for (const reason of texts.reasons) {
    const item = document.createElement("li");
    item.textContent = reason;
    list.append(item);
  }
  reasons.replaceChildren(list);
  dpoNote.hidden = false;
  const json = JSON.stringify(register, null, 2) + "\n";
  const lang = currentLang();
  paperList.replaceChildren(
    paper("register-json", "www.incident.paper.register-json", "register.json", "application/json", json),
    paper("register-md", "www.incident.paper.register-md", `register.${lang}.md`, "text/markdown", texts.register_markdown),
    paper("authority", "www.incident.paper.authority", `authority.${lang}.md`, "text/markdown", texts.authority),
    paper("subjects", "www.incident.paper.subjects", `data-subjects.${lang}.txt`, "text/plain", texts.data_subjects),
    paper("recall", "www.incident.paper.recall", "recall.eml", "message/rfc822", texts.recall_eml),
    paper("mailto", "www.incident.paper.mailto", "recall-mailto.txt", "text/plain", texts.recall_mailto),
  );
  papers.hidden = false;
}

async function load(file) {
  fileName = file.name;
  bytes = new Uint8Array(await file.arrayBuffer());
  await assess();
}

takeFiles(dropzone, fileInput, load);
noticedInput.addEventListener("change", () => assess());

noticedInput.value = nowForInput();
await ready;
onLangChange(() => assess());
form.dataset.ready = "true";
