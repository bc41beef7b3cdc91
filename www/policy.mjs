// The policy editor: a form generated from the policy's JSON Schema, kept in step with a
// raw JSON view, validated by the checker itself (createChecker refuses a bad policy
// with the key and the line), and downloaded as policy.json.
//
// The form writes only what differs from the default, so the file says exactly what this
// organization changed; an empty file ({}) is the default policy.
//
// The raw JSON is the truth: a form field that is touched changes that one key in the
// JSON as it stands (edits the form does not show are kept), and while the JSON cannot
// be read the form is locked instead of overwriting it. The checker's error is shown in
// the page's language, next to the field it is about.

import { ready, t, hasText, onLangChange, download, currentLang } from "/site.mjs";

const CHECKER_URL = "/checker/sendguard-checker.mjs";
const SCHEMA_URL = "/checker/policy.schema.json";
const VALIDATE_DELAY_MS = 200;

const form = document.getElementById("policy-form");
const raw = document.getElementById("raw-json");
const validation = document.getElementById("validation");
const downloadButton = document.getElementById("download");

let createChecker = null;
let schema = null;
let policy = {}; // the raw JSON as last read (valid or not for the checker)
let syncedText = ""; // the raw text `policy` was read from or written as
let validatedText = null; // the raw text last accepted by the checker
let lastError = null; // the checker's refusal of the current text, to redraw on a language switch
let validationRun = 0;

// ---- paths into the policy -------------------------------------------------------------

function getAt(object, path) {
  return path.reduce((node, key) => (node == null ? undefined : node[key]), object);
}

function setAt(object, path, value) {
  const parents = [];
  let node = object;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    parents.push([node, key]);
    node = node[key];
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  // Drop objects the deletion left empty, so `{"severity": {}}` does not linger.
  for (const [parent, key] of parents.reverse()) {
    if (Object.keys(parent[key]).length === 0) delete parent[key];
  }
}

function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- the form from the schema --------------------------------------------------------------

function labelFor(path) {
  const key = `www.policy.field.${path.join(".")}`;
  if (hasText(key)) return t(key);
  // Severities are labelled with the rule's own title from the catalogue.
  if (path[0] === "severity" && hasText(`rule.${path[1]}.title`)) return t(`rule.${path[1]}.title`);
  return path[path.length - 1];
}

function helpFor(path, node) {
  const key = `www.policy.help.${path.join(".")}`;
  if (hasText(key)) return t(key);
  // A severity's help is the rule's own reason, as reports give it.
  if (path[0] === "severity" && hasText(`rule.${path[1]}.why`)) return t(`rule.${path[1]}.why`);
  return node.description ?? ""; // a key the catalogue lacks still gets the schema's words
}

function fieldId(path) {
  return `policy-${path.join("-")}`;
}

function hint(text, id) {
  const element = document.createElement("p");
  element.className = "hint";
  element.id = id;
  element.textContent = text;
  return element;
}

/** One control for a leaf of the schema; `read` turns its state into a policy value. */
function control(path, node) {
  const id = fieldId(path);
  const wrapper = document.createElement("div");
  wrapper.className = "field";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelFor(path);
  const help = helpFor(path, node);
  let input;
  let read;
  let write;
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  if (type === "boolean") {
    wrapper.className = "check-row";
    input = document.createElement("input");
    input.type = "checkbox";
    read = () => input.checked;
    write = (value) => { input.checked = Boolean(value ?? node.default ?? false); };
    wrapper.append(input, label);
    if (help) {
      const helpText = hint(help, `${id}-help`);
      label.append(helpText);
      input.setAttribute("aria-describedby", helpText.id);
    }
    input.id = id;
    return { element: wrapper, input, read, write };
  }
  if (node.enum) {
    input = document.createElement("select");
    for (const option of node.enum) {
      const element = document.createElement("option");
      element.value = option;
      element.textContent = hasText(`www.policy.option.${option}`) ? t(`www.policy.option.${option}`) : option;
      input.append(element);
    }
    read = () => input.value;
    write = (value) => { input.value = value ?? node.default; };
  } else if (type === "integer") {
    input = document.createElement("input");
    input.type = "number";
    input.step = "1";
    if (node.minimum !== undefined) input.min = String(node.minimum);
    input.placeholder = String(node.default ?? "");
    // Text the checker must see as it is (and refuse), not a silently dropped number.
    read = () => (input.value.trim() === "" ? undefined : Number(input.value));
    write = (value) => { input.value = value ?? ""; };
  } else if (type === "array") {
    input = document.createElement("textarea");
    input.className = "mono";
    input.rows = 2;
    input.spellcheck = false;
    read = () => {
      const items = input.value.split(/[\s,;]+/).filter(Boolean);
      return items.length ? items : undefined;
    };
    write = (value) => { input.value = Array.isArray(value) ? value.join("\n") : (value == null ? "" : String(value)); };
  } else {
    input = document.createElement("input");
    input.type = path[path.length - 1] === "url" ? "url" : "text";
    read = () => (input.value.trim() === "" ? undefined : input.value.trim());
    write = (value) => { input.value = value ?? ""; };
  }
  input.id = id;
  wrapper.append(label, input);
  if (help) {
    const helpText = hint(help, `${id}-help`);
    wrapper.append(helpText);
    input.setAttribute("aria-describedby", helpText.id);
  }
  return { element: wrapper, input, read, write };
}

const controls = []; // { path, node, read, write, input }

function buildSection(path, node, parent) {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === "$schema") continue;
    const childPath = [...path, key];
    const types = Array.isArray(child.type) ? child.type : [child.type];
    if (types.includes("object")) {
      const fieldset = document.createElement("fieldset");
      fieldset.id = fieldId(childPath);
      const legend = document.createElement("legend");
      legend.textContent = labelFor(childPath);
      fieldset.append(legend);
      const help = helpFor(childPath, child);
      if (help) fieldset.append(hint(help, `${fieldset.id}-help`));
      buildSection(childPath, child, fieldset);
      parent.append(fieldset);
    } else {
      const built = control(childPath, child);
      controls.push({ path: childPath, node: child, ...built });
      parent.append(built.element);
    }
  }
}

function buildForm() {
  controls.length = 0;
  const general = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = t("www.policy.section.general");
  general.append(legend);
  form.replaceChildren(general);
  // Top-level leaves go into "General"; objects get their own fieldset.
  buildSection([], schema, general);
  for (const fieldset of [...general.querySelectorAll(":scope > fieldset")]) form.append(fieldset);
  showPolicyInForm();
}

function showPolicyInForm() {
  for (const { path, write } of controls) write(getAt(policy, path));
}

/** `base` with the touched control's value written in (and its section mate for the
 *  newsletter tool, whose name and address only count together). */
function withControl(base, touched) {
  const next = structuredClone(base);
  const related = touched.path[0] === "newsletter_tool"
    ? controls.filter(({ path }) => path[0] === "newsletter_tool")
    : [touched];
  for (const { path, node, read } of related) {
    let value = read();
    if (value !== undefined && node.default !== undefined && sameValue(value, node.default)) value = undefined;
    setAt(next, path, value);
  }
  const tool = next.newsletter_tool;
  if (tool && typeof tool === "object" && !tool.name) {
    // A URL without a name is not a tool yet; the checker would refuse it, and half-typed
    // input should not read as an error.
    delete next.newsletter_tool;
  }
  return next;
}

/** Reads the raw JSON into `policy` if it is a JSON object; says whether it was. */
function readRaw() {
  let parsed;
  try {
    parsed = JSON.parse(raw.value);
  } catch {
    return false;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return false;
  policy = parsed;
  syncedText = raw.value;
  return true;
}

/** Locks the form while the raw JSON cannot be read, so a touched field cannot replace it. */
function lockForm(locked) {
  form.dataset.locked = String(locked);
  for (const fieldset of form.querySelectorAll(":scope > fieldset")) fieldset.disabled = locked;
  const note = document.getElementById("form-locked");
  note.hidden = !locked;
  note.textContent = locked ? t("www.policy.form-locked") : "";
}

// ---- validation ------------------------------------------------------------------------

function showValidation(kind, text) {
  validation.className = `status ${kind}`;
  validation.textContent = text;
}

const POSITION = /^line (\d+), column (\d+): /;

/** The checker's refusal as the editor shows it: the message in the page's language, the
 *  place and the key. The core gives all of them (PolicyError::to_json: `messages`,
 *  `path`, `line`, `column`); a checker that passes only the English message is read
 *  as "line L, column C: message" with the key as its first `quoted` name. */
function describeRefusal(error) {
  const english = String(error.message ?? "");
  const at = POSITION.exec(english);
  const message = error.messages?.[currentLang()] ?? english.replace(POSITION, "");
  const line = error.line ?? (at ? Number(at[1]) : undefined);
  const column = error.column ?? (at ? Number(at[2]) : undefined);
  const path = error.path ?? /`([^`]+)`/.exec(english)?.[1] ?? "";
  return { message, line, column, path };
}

function showRefusal(error) {
  const { message, line, column, path } = describeRefusal(error);
  const place = line ? `${t("www.policy.position", { line, column })}: ` : "";
  showValidation("error", `${t("www.policy.invalid")}\n${place}${message}`);
  markField(path, message);
}

async function validate(text) {
  const run = ++validationRun;
  let error = null;
  try {
    await createChecker(text); // the checker words syntax errors too, in both languages
  } catch (caught) {
    error = caught;
  }
  if (run !== validationRun) return; // a newer edit is being checked
  if (error) {
    validatedText = null;
    lastError = error;
    downloadButton.disabled = true;
    raw.setAttribute("aria-invalid", "true");
    form.dataset.valid = "false";
    showRefusal(error);
    return;
  }
  lastError = null;
  markField("", "");
  validatedText = text;
  downloadButton.disabled = false;
  raw.removeAttribute("aria-invalid");
  form.dataset.valid = "true";
  showValidation("ok", t("www.policy.valid"));
}

/** Puts `message` under the control (or section) the key `path` belongs to, marks it
 *  invalid, and clears the marks of every other field. A key the form has no control
 *  for (a typo) lands on the closest section it names. */
function markField(path, message) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const { input } of controls) {
    input.removeAttribute("aria-invalid");
    const describedBy = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && !id.endsWith("-error"));
    if (describedBy.length) input.setAttribute("aria-describedby", describedBy.join(" "));
    else input.removeAttribute("aria-describedby");
  }
  if (!path) return;
  const keys = path.replace(/\[\d+\]/g, "").split(".");
  const control = controls.find(({ path: own }) => own.join(".") === keys.join("."));
  const note = document.createElement("p");
  note.className = "field-error";
  note.textContent = message;
  if (control) {
    note.id = `${fieldId(control.path)}-error`;
    control.input.setAttribute("aria-invalid", "true");
    const describedBy = control.input.getAttribute("aria-describedby");
    control.input.setAttribute("aria-describedby", describedBy ? `${describedBy} ${note.id}` : note.id);
    control.element.append(note);
    return;
  }
  for (let length = keys.length - 1; length > 0; length--) {
    const section = document.getElementById(fieldId(keys.slice(0, length)));
    if (section) {
      note.id = `${section.id}-error`;
      section.querySelector(":scope > legend").after(note);
      return;
    }
  }
}

function policyText(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function fromForm(event) {
  const touched = controls.find(({ input }) => input === event.target);
  if (!touched) return;
  if (raw.value !== syncedText && !readRaw()) {
    // The JSON has edits the editor cannot read: keep them, undo the field, say why.
    touched.write(getAt(policy, touched.path));
    lockForm(true);
    return;
  }
  policy = withControl(policy, touched);
  raw.value = policyText(policy);
  syncedText = raw.value;
  validate(raw.value);
}

let pending = 0;
function fromRaw() {
  clearTimeout(pending);
  pending = setTimeout(() => {
    const readable = readRaw();
    lockForm(!readable);
    if (readable) showPolicyInForm();
    validate(raw.value);
  }, VALIDATE_DELAY_MS);
}

function load(value) {
  policy = value;
  raw.value = policyText(policy);
  syncedText = raw.value;
  lockForm(false);
  showPolicyInForm();
  validate(raw.value);
}

async function loadServerPolicy() {
  const response = await fetch("/policy.json");
  if (!response.ok) throw new Error(`/policy.json: HTTP ${response.status}`);
  load(await response.json());
}

// ---- start -------------------------------------------------------------------------------

async function start() {
  await ready;
  try {
    const [checkerModule, schemaResponse] = await Promise.all([import(CHECKER_URL), fetch(SCHEMA_URL)]);
    if (!schemaResponse.ok) throw new Error(`${SCHEMA_URL}: HTTP ${schemaResponse.status}`);
    createChecker = checkerModule.createChecker;
    schema = await schemaResponse.json();
  } catch (error) {
    document.getElementById("form-status").className = "status error";
    document.getElementById("form-status").textContent = `${t("www.policy.load-failed")}\n${error.message}`;
    return;
  }
  buildForm();
  try {
    await loadServerPolicy();
  } catch (error) {
    load({});
    showValidation("error", error.message);
  }
  form.dataset.ready = "true";
  onLangChange(() => {
    if (schema) buildForm();
    lockForm(form.dataset.locked === "true");
    if (validatedText !== null) showValidation("ok", t("www.policy.valid"));
    else if (lastError) showRefusal(lastError);
  });
}

form.addEventListener("input", fromForm);
form.addEventListener("change", fromForm);
form.addEventListener("submit", (event) => event.preventDefault());
raw.addEventListener("input", fromRaw);
downloadButton.addEventListener("click", () => {
  if (validatedText !== null) download("policy.json", "application/json", validatedText);
});
document.getElementById("load-server").addEventListener("click", () =>
  loadServerPolicy().catch((error) => showValidation("error", error.message)));
document.getElementById("reset").addEventListener("click", () => load({}));

start();
