// User-visible strings: the add-on's own catalogue (addin-thunderbird/messages.json, at
// the root of the .xpi) over the checker package's shared one (checker/messages.json).
// Language choice and the translator are the hosts' shared ones (checker/host.mjs).

import { mergeCatalogues } from "../checker/host.mjs";

export { languageOf, translator } from "../checker/host.mjs";

/** Both catalogues merged, read through `fetchJson(path)` (a path inside the add-on). */
export async function loadCatalogue(fetchJson) {
  const [shared, own] = await Promise.all([fetchJson("checker/messages.json"), fetchJson("messages.json")]);
  return mergeCatalogues(shared, own);
}
