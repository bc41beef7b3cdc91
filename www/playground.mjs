// The playground: a draft made of pasted recipients or a dropped .eml, checked in this
// browser by the checker package under the server's /policy.json, shown with the shared
// report view, with the fixes applied to the fields. Nothing is sent anywhere.

import { ready, t, onLangChange, currentLang, download, takeFiles } from "/site.mjs";

const CHECKER_URL = "/checker/sendguard-checker.mjs";
const REPORT_VIEW_URL = "/checker/report-view.mjs";
const HOST_URL = "/checker/host.mjs";
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
let describeOutcome = null;
let fixOutcome = null;
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
    const [checkerModule, viewModule, policyText, hostModule] = await Promise.all([
      import(CHECKER_URL),
      import(REPORT_VIEW_URL),
      fetch("/policy.json").then((response) => {
        if (!response.ok) throw new Error(`/policy.json: HTTP ${response.status}`);
        return response.text();
      }),
      import(HOST_URL),
    ]);
    checker = await checkerModule.createChecker(policyText);
    renderReport = viewModule.renderReport;
    describeOutcome = viewModule.describeOutcome;
    fixOutcome = hostModule.fixOutcome;
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
  if (isEmpty(draft)) {
    // Nothing to check is not "may be sent": no report, and a word on what to do.
    report = null;
    view?.destroy();
    view = null;
    reportContainer.replaceChildren();
    updateCounts();
    delete form.dataset.verdict;
    say("info", () => t("www.playground.empty"));
    return;
  }
  delete form.dataset.refused;
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

/** A draft with no recipient and no attachment: nothing the checker could judge. */
function isEmpty(candidate) {
  if (!candidate) return true;
  const people = FIELDS.some((field) => (candidate[field] ?? []).length > 0);
  return !people && !(candidate.attachments ?? []).length;
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
    view = renderReport(reportContainer, report, { lang: viewLang, onFix: applyFix, outcomeOf, autofocus: focus });
  }
  if (focus) view.focus();
}

/** What a fix would do to the current draft, so its button can name it. */
function outcomeOf(action) {
  if (!fixOutcome || !draft) return undefined;
  const { draft: _after, ...outcome } = fixOutcome(checker, draft, action);
  return outcome;
}

/** The view's onFix: called with the fix's action (and the finding it belongs to). */
function applyFix(action) {
  let outcome;
  try {
    outcome = outcomeOf(action);
  } catch {
    outcome = undefined;
  }
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
  if (!report) return;
  const verdict = report.verdict;
  const done = () => (outcome && describeOutcome ? describeOutcome(outcome, currentLang()) : t("www.playground.fixed"));
  say(VERDICT_STATUS[verdict], () => `${done()} ${t(`www.playground.verdict.${verdict}`)}`);
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

/**
 * Why `bytes` is not a mail (.eml or Outlook .msg), as a catalogue key, or null when it may
 * be one. Looked at before parsing, so an Excel sheet, a PDF or a picture is refused with a
 * reason instead of being read as an empty mail that "may be sent".
 */
export function notAMail(bytes) {
  if (bytes.length === 0) return "www.playground.refused.empty";
  const starts = (...magic) => magic.every((byte, i) => bytes[i] === byte);
  // Compound File Binary (OLE): Outlook's .msg, which the reader opens (an old .doc or
  // .xls is refused there, with the reason).
  if (isCompoundFile(bytes)) return null;
  // ZIP: .xlsx, .docx, .pptx, .zip.
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return "www.playground.refused.zip";
  if (starts(0x25, 0x50, 0x44, 0x46)) return "www.playground.refused.pdf";
  const head = bytes.subarray(0, 4096);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return "www.playground.refused.binary";
    if (byte < 9 || (byte > 13 && byte < 32)) control += 1;
  }
  if (control > head.length / 20) return "www.playground.refused.binary";
  // A mail starts with header lines: "Name: value" (or a mbox "From " line).
  let start = 0;
  if (starts(0xef, 0xbb, 0xbf)) start = 3;
  while (start < head.length && (head[start] === 0x0d || head[start] === 0x0a)) start += 1;
  const firstLine = new TextDecoder("latin1").decode(head.subarray(start, start + 200)).split(/\r?\n/)[0];
  if (!/^(From |[!-9;-~]+:)/.test(firstLine)) return "www.playground.refused.no-headers";
  return null;
}

/** Whether `bytes` start like a compound file (Outlook .msg, old Office documents). */
function isCompoundFile(bytes) {
  return [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((byte, i) => bytes[i] === byte);
}

/** Shows why a file was refused; the report of the previous draft is taken away. */
function refuse(name, key) {
  report = null;
  view?.destroy();
  view = null;
  reportContainer.replaceChildren();
  delete form.dataset.verdict;
  form.dataset.refused = "true";
  say("error", () => t(key, { name }));
}

async function loadEml(file) {
  if (!checker) return;
  let parsed;
  let compound = false;
  try {
    const [parseEml, buffer] = await Promise.all([emlParser(), file.arrayBuffer()]);
    const bytes = new Uint8Array(buffer);
    const refused = notAMail(bytes);
    if (refused) return refuse(file.name, refused);
    compound = isCompoundFile(bytes);
    // The site module reads both: .msg by its first bytes, else .eml.
    parsed = await parseEml(bytes);
  } catch (error) {
    refuse(file.name, compound ? "www.playground.refused.msg" : "www.playground.refused.unreadable");
    statusText = ((base) => () => `${base()} ${error.message}`)(statusText);
    status.textContent = statusText();
    return;
  }
  delete form.dataset.refused;
  showDraftInFields(parsed);
  check({ focus: true });
}

takeFiles(dropzone, fileInput, loadEml);

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
