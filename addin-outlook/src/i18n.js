// The add-in's words, from the one catalogue (crates/sendguard-core/messages.json) that the
// core and every front end share. esbuild inlines the JSON, so the handler bundle needs no
// fetch for it.

import catalogue from "../../crates/sendguard-core/messages.json";

/** "de" for a German Outlook (de-DE, de-AT, de-CH …), otherwise "en". */
export function languageOf(displayLanguage) {
  return /^de\b/i.test(String(displayLanguage || "")) ? "de" : "en";
}

/** The text for `key` in `lang` with `{name}` placeholders filled; the key itself if missing. */
export function t(lang, key, args) {
  const table = catalogue[lang] || catalogue.en;
  let text = table[key];
  if (text === undefined) text = catalogue.en[key];
  if (text === undefined) return key;
  if (args) {
    for (const name of Object.keys(args)) {
      text = text.split("{" + name + "}").join(String(args[name]));
    }
  }
  return text;
}

/** A report's `{ en, de }` text in `lang`. */
export function pick(text, lang) {
  if (text == null) return "";
  if (typeof text === "string") return text;
  return text[lang] || text.en || "";
}
