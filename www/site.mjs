// Language handling for every page: the site's de/en catalogue (www/messages.json, served
// at /messages.json), the language switch in the header, and translation of static markup.
//
// Markup carries English text inline so a page reads well before the catalogue arrives;
// `data-i18n="key"` replaces the text, `data-i18n-attr="placeholder:key;aria-label:key"`
// replaces attributes, and `data-lang="de"` blocks (long prose on the docs pages) are shown
// only in their language.

import { translator } from "/checker/host.mjs";

const CATALOGUE_URL = "/messages.json";
const STORAGE_KEY = "sendguard.lang";
const LANGS = ["en", "de"];

let catalogue = { en: {}, de: {} };
let lang = initialLang();
const listeners = [];

function initialLang() {
  const stored = safeStorage(() => localStorage.getItem(STORAGE_KEY));
  if (LANGS.includes(stored)) return stored;
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (LANGS.includes(fromUrl)) return fromUrl;
  return (navigator.language || "en").toLowerCase().startsWith("de") ? "de" : "en";
}

function safeStorage(operation) {
  try {
    return operation();
  } catch {
    return null; // storage can be disabled; the switch then lasts for this page only
  }
}

/** The language the page is shown in: "en" or "de". */
export function currentLang() {
  return lang;
}

/** The catalogue text for `key` in the current language, with `{name}` placeholders filled. */
export function t(key, args = {}) {
  return translator(catalogue, lang)(key, args);
}

/** Whether the catalogue has `key` (so callers can keep inline text when it does not). */
export function hasText(key) {
  return key in (catalogue[lang] ?? {});
}

/** Calls `callback(lang)` now and whenever the user switches language. */
export function onLangChange(callback) {
  listeners.push(callback);
  callback(lang);
}

/** Translates `[data-i18n]`, `[data-i18n-attr]` and `[data-lang]` under `root`. */
export function translate(root = document) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    const key = element.dataset.i18n;
    if (hasText(key)) element.textContent = t(key);
  }
  for (const element of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of element.dataset.i18nAttr.split(";")) {
      const [attribute, key] = pair.split(":").map((part) => part.trim());
      if (attribute && key && hasText(key)) element.setAttribute(attribute, t(key));
    }
  }
  for (const element of root.querySelectorAll("[data-lang]")) {
    element.hidden = element.dataset.lang !== lang;
  }
  // Examples in the docs name the server the reader is looking at.
  for (const element of root.querySelectorAll("[data-origin]")) {
    element.textContent = location.origin;
  }
  // Outlook loads add-ins only over HTTPS: say so where the page itself came over http.
  for (const element of root.querySelectorAll("[data-http-only]")) {
    element.hidden = location.protocol !== "http:";
  }
}

function setLang(next) {
  if (!LANGS.includes(next)) return;
  lang = next;
  safeStorage(() => localStorage.setItem(STORAGE_KEY, next));
  render();
  for (const listener of listeners) listener(lang);
}

function render() {
  document.documentElement.lang = lang;
  for (const button of document.querySelectorAll("[data-set-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.setLang === lang));
  }
  translate(document);
  const titleKey = document.documentElement.dataset.titleKey;
  if (titleKey && hasText(titleKey)) document.title = `${t(titleKey)} · sendguard`;
}

async function loadCatalogue() {
  try {
    const response = await fetch(CATALOGUE_URL);
    if (!response.ok) throw new Error(`${CATALOGUE_URL}: HTTP ${response.status}`);
    catalogue = await response.json();
  } catch (error) {
    // The inline English stays; say so where developers look.
    console.warn("sendguard: message catalogue not loaded;", error.message);
  }
}

for (const button of document.querySelectorAll("[data-set-lang]")) {
  button.addEventListener("click", () => setLang(button.dataset.setLang));
}

/** Resolves once the catalogue is loaded and the page is translated. */
export const ready = loadCatalogue().then(() => {
  render();
  return lang;
});

/** Offers `content` to the user as a file download, without any request. */
/** Calls `onFile` with the first file dropped on `dropzone` or picked in `fileInput`. */
export function takeFiles(dropzone, fileInput, onFile) {
  dropzone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropzone.classList.add("over");
  });
  dropzone.addEventListener("dragleave", () => dropzone.classList.remove("over"));
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropzone.classList.remove("over");
    const file = event.dataTransfer?.files?.[0];
    if (file) onFile(file);
  });
  fileInput.addEventListener("change", () => {
    if (fileInput.files[0]) onFile(fileInput.files[0]);
  });
}

export function download(filename, mediaType, content) {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
