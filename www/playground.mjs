// The playground: a draft made of pasted recipients or a dropped .eml, checked in this
// browser by the checker package under the server's /policy.json, shown with the shared
// report view, with the fixes applied to the fields. Nothing is sent anywhere.

import { ready, t, onLangChange, currentLang, download } from "/site.mjs";

const CHECKER_URL = "/checker/sendguard-checker.mjs";
const REPORT_VIEW_URL = "/checker/report-view.mjs";
// .eml parsing is a module of its own (mail-parser is too big for the add-ins' checker),
// loaded when the first file arrives.
const EML_URL = "/checker/sendguard-checker-site.mjs";
const FIELDS = ["to", "cc", "bcc"];
const EXAMPLE_SIZE = 800;
const VERDICT_STATUS = { pass: "ok", warn: "warn", block: "error" };

const form = document.getElementById("draft-form");
const status = document.getElementById("status");
const reportContainer = document.getElementById("report");
const fileInput = document.getElementById("eml-file");
const dropzone = document.getElementById("dropzone");

let checker = null;
let renderReport = null;
// The draft last checked; fixes apply to it, so names and groups survive a round trip.
let draft = null;
let report = null;
// Set while the fields show a draft that came from a fix or an .eml, cleared on any edit.
let draftMatchesFields = false;

// The status line is kept as a function of the language, so a switch re-words it.
let statusText = () => "";
function say(kind, text) {
  statusText = typeof text === "function" ? text : () => text;
  status.className = `status ${kind}`;
  status.textContent = statusText();
}

async function start() {
  await ready;
  try {
    const [checkerModule, viewModule, policyText] = await Promise.all([
      import(CHECKER_URL),
      import(REPORT_VIEW_URL),
      fetch("/policy.json").then((response) => {
        if (!response.ok) throw new Error(`/policy.json: HTTP ${response.status}`);
        return response.text();
      }),
    ]);
    checker = await checkerModule.createChecker(policyText);
    renderReport = viewModule.renderReport;
  } catch (error) {
    say("error", `${t("www.playground.checker-failed")}\n${error.message}`);
    return;
  }
  const missing = ["parseAddresses", "check", "apply"].filter(
    (name) => typeof checker[name] !== "function",
  );
  if (missing.length) {
    say("error", () => `${t("www.playground.checker-failed")}\n${CHECKER_URL}: no ${missing.join(", ")}`);
    return;
  }
  say("info", () => t("www.playground.ready"));
  form.dataset.ready = "true";
  onLangChange(() => {
    showReport();
    status.textContent = statusText();
  });
  check();
}

// ---- drafts from the fields --------------------------------------------------------

/** Parses a pasted address list with the core's tolerant parser: `{addresses, rejected}`. */
function parseList(text) {
  return checker.parseAddresses(text);
}

function draftFromFields() {
  const rejected = [];
  const next = { from: null, to: [], cc: [], bcc: [], subject: form.subject.value };
  const from = parseList(form.from.value).addresses[0];
  if (from) next.from = from;
  for (const field of FIELDS) {
    const parsed = parseList(form[field].value);
    next[field] = parsed.addresses;
    for (const piece of parsed.rejected) rejected.push(piece.text);
  }
  if (draft && draft.attachments) next.attachments = draft.attachments;
  if (draft && draft.body) next.body = draft.body;
  return { draft: next, rejected };
}

function formatAddress(address) {
  if (!address.name) return address.address;
  const name = /[",;<>@()\\]/.test(address.name)
    ? `"${address.name.replace(/["\\]/g, "\\$&")}"`
    : address.name;
  return `${name} <${address.address}>`;
}

function showDraftInFields(next) {
  form.from.value = next.from ? formatAddress(next.from) : "";
  for (const field of FIELDS) {
    form[field].value = (next[field] ?? []).map(formatAddress).join(";\n");
  }
  form.subject.value = next.subject ?? "";
  draft = next;
  draftMatchesFields = true;
  updateCounts();
}

function updateCounts() {
  for (const field of FIELDS) {
    const count = draftMatchesFields
      ? (draft?.[field] ?? []).length
      : parseList(form[field].value).addresses.length;
    document.getElementById(`${field}-count`).textContent = count
      ? t("www.playground.count", { count: count.toLocaleString(currentLang()) })
      : "";
  }
}

// ---- checking and fixing -------------------------------------------------------------

function check({ focus = false } = {}) {
  if (!checker) return;
  let rejected = [];
  if (!draftMatchesFields) {
    ({ draft, rejected } = draftFromFields());
  }
  try {
    report = checker.check(draft);
  } catch (error) {
    report = null;
    say("error", error.message);
    view?.destroy();
    view = null;
    reportContainer.replaceChildren();
    return;
  }
  updateCounts();
  showReport({ focus });
  if (rejected.length) {
    say("error", () => t("www.playground.rejected", { pieces: rejected.join(", ") }));
  } else {
    const verdict = report.verdict;
    say(VERDICT_STATUS[verdict], () => t(`www.playground.verdict.${verdict}`));
  }
  form.dataset.verdict = report.verdict;
}

// The shared view, rendered once per language and updated in place after that. It takes
// focus only when asked: never while someone is typing in a field.
let view = null;
let viewLang = null;

function showReport({ focus = false } = {}) {
  if (!report || !renderReport) return;
  if (view && viewLang === currentLang()) {
    view.update(report);
  } else {
    view?.destroy();
    viewLang = currentLang();
    view = renderReport(reportContainer, report, { lang: viewLang, onFix: applyFix, autofocus: focus });
  }
  if (focus) view.focus();
}

/** The view's onFix: called with the fix's action (and the finding it belongs to). */
function applyFix(action) {
  let result;
  try {
    result = checker.apply(draft, action);
  } catch (error) {
    say("error", error.message);
    return;
  }
  if (result.export) {
    download(result.export.filename, result.export.media_type, result.export.content);
    const { filename } = result.export;
    say("ok", () => t("www.playground.exported", { filename }));
    return;
  }
  showDraftInFields(result.draft);
  check({ focus: true });
  const verdict = report.verdict;
  say(VERDICT_STATUS[verdict], () => `${t("www.playground.fixed")} ${t(`www.playground.verdict.${verdict}`)}`);
}

// ---- .eml files ------------------------------------------------------------------------

let emlModule = null;

/** The site module's `parseEml`, imported once (a failed import is tried again next time). */
function emlParser() {
  emlModule ??= import(EML_URL).then(
    (module) => {
      if (typeof module.parseEml !== "function") throw new Error(`${EML_URL}: no parseEml`);
      return module.parseEml;
    },
    (error) => {
      emlModule = null;
      throw error;
    },
  );
  return emlModule;
}

async function loadEml(file) {
  if (!checker) return;
  let parsed;
  try {
    const [parseEml, bytes] = await Promise.all([emlParser(), file.arrayBuffer()]);
    parsed = await parseEml(new Uint8Array(bytes));
  } catch (error) {
    say("error", `${file.name}: ${error.message}`);
    return;
  }
  showDraftInFields(parsed);
  check({ focus: true });
}

dropzone.addEventListener("dragover", (event) => {
  event.preventDefault();
  dropzone.classList.add("over");
});
dropzone.addEventListener("dragleave", () => dropzone.classList.remove("over"));
dropzone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropzone.classList.remove("over");
  const file = event.dataTransfer?.files?.[0];
  if (file) loadEml(file);
});
fileInput.addEventListener("change", () => {
  if (fileInput.files[0]) loadEml(fileInput.files[0]);
});

// ---- the example and editing ---------------------------------------------------------

/** The incident sendguard was built for: a partner newsletter with everyone in CC. */
function exampleDraft() {
  const cc = [];
  for (let index = 1; index <= EXAMPLE_SIZE; index += 1) {
    const number = String(index).padStart(3, "0");
    cc.push({ name: `Partner ${number}`, address: `info@partner-${number}.example` });
  }
  return {
    from: { name: "Anna Admin", address: "anna.admin@example.com" },
    to: [],
    cc,
    bcc: [],
    subject: currentLang() === "de" ? "Partner-Newsletter Mai" : "Partner newsletter, May",
  };
}

document.getElementById("load-example").addEventListener("click", () => {
  showDraftInFields(exampleDraft());
  check();
});
document.getElementById("clear").addEventListener("click", () => {
  for (const field of [...FIELDS, "subject"]) form[field].value = "";
  fileInput.value = "";
  draft = null;
  draftMatchesFields = false;
  check();
});

let pending = 0;
form.addEventListener("input", (event) => {
  if (event.target === fileInput) return;
  draftMatchesFields = false;
  clearTimeout(pending);
  pending = setTimeout(check, 250);
});
form.addEventListener("submit", (event) => event.preventDefault());

start();
