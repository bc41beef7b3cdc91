// User-visible strings from the project's one catalogue
// (crates/sendguard-core/messages.json, shipped in the checker package as
// checker/messages.json).

/** The catalogue language for Thunderbird's UI language: German or English. */
export function languageOf(uiLanguage) {
  return /^de\b/i.test(uiLanguage ?? "") ? "de" : "en";
}

/**
 * A translator over a catalogue `{ en: {key: text}, de: {key: text} }`: the text in
 * `lang`, else English, else the key itself (so a missing string shows, not blank),
 * with `{name}` placeholders filled from `vars`.
 */
export function translator(catalogue, lang) {
  return (key, vars = {}) => {
    const text = catalogue?.[lang]?.[key] ?? catalogue?.en?.[key] ?? key;
    return text.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  };
}
