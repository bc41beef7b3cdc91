// The add-in's words: its own catalogue (addin-outlook/messages.json) over the checker
// package's shared one; the checker's findings bring their texts in the report. esbuild
// inlines the JSON, so the handler bundle needs no fetch for it. Language choice and the
// translator are the hosts' shared ones (crates/sendguard-wasm/js/host.mjs).

import own from "../messages.json";
import shared from "../../crates/sendguard-wasm/js/messages.json";
import { languageOf, mergeCatalogues, pick, translator } from "../../crates/sendguard-wasm/js/host.mjs";

const catalogue = mergeCatalogues(shared, own);

export { languageOf, pick };

/** The text for `key` in `lang` with `{name}` placeholders filled; the key itself if missing. */
export function t(lang, key, args) {
  return translator(catalogue, lang)(key, args);
}
