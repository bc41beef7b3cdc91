// The message catalogues: each part of sendguard keeps the strings it says itself (the
// core its findings, the checker package its view and the add-ins' shared words, each
// front end its own). Every key has every language with the same placeholders, no
// catalogue holds another part's keys, and every key the code names exists.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { ROOT } from "./support.mjs";

/** The core's prefixes, from the one list its build script and its own test use. */
const CORE_PREFIXES = [
  ...readFileSync(join(ROOT, "crates/sendguard-core/src/message_prefixes.rs"), "utf8").matchAll(/"([a-z-]+)\."/g),
].map((match) => match[1]);
assert.ok(CORE_PREFIXES.length >= 5, "message_prefixes.rs: no prefixes found");

/** Each catalogue, the key prefixes it owns, and the code that names its keys. */
const CATALOGUES = [
  { file: "crates/sendguard-core/messages.json", prefixes: CORE_PREFIXES, code: [] },
  { file: "crates/sendguard-wasm/js/messages.json", prefixes: ["view", "host"], code: ["crates/sendguard-wasm/js"] },
  { file: "addin-outlook/messages.json", prefixes: ["outlook"], code: ["addin-outlook"] },
  { file: "addin-thunderbird/messages.json", prefixes: ["thunderbird"], code: ["addin-thunderbird"] },
  { file: "www/messages.json", prefixes: ["www"], code: ["www"] },
];
const FRONT_END_PREFIXES = ["view", "host", "outlook", "thunderbird", "www"];
const LANGS = ["en", "de"];

function load(file) {
  return JSON.parse(readFileSync(join(ROOT, file), "utf8"));
}

function placeholders(text) {
  return [...text.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === "node_modules") continue;
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(m?js|cjs|html)$/.test(name)) out.push(path);
  }
  return out;
}

/** Every complete key literal ("outlook.alert.more", data-i18n="www.nav.home") in `files`. */
function keysNamedIn(files) {
  const pattern = new RegExp(`["'\`](?:${FRONT_END_PREFIXES.join("|")})\\.[a-z0-9_.-]*[a-z0-9_]["'\`]`, "g");
  const keys = new Map();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const match of text.matchAll(pattern)) {
      const key = match[0].slice(1, -1);
      if (/\.(m?js|cjs|json|css|html)$/.test(key)) continue; // a file name, not a key
      if (!keys.has(key)) keys.set(key, file);
    }
    for (const match of text.matchAll(/data-i18n(?:-attr)?="([^"]+)"/g)) {
      for (const part of match[1].split(";")) {
        const key = part.includes(":") ? part.split(":")[1] : part;
        if (!keys.has(key.trim())) keys.set(key.trim(), file);
      }
    }
  }
  return keys;
}

for (const { file, prefixes, code } of CATALOGUES) {
  test(`${file}: every key in every language, same placeholders, own prefixes only`, () => {
    const catalogue = load(file);
    assert.deepEqual(Object.keys(catalogue).sort(), [...LANGS].sort(), `${file}: languages`);
    const keys = Object.keys(catalogue.en).sort();
    assert.ok(keys.length > 0, `${file} is empty`);
    for (const lang of LANGS) {
      assert.deepEqual(Object.keys(catalogue[lang]).sort(), keys, `${file}: keys of "${lang}" differ from "en"`);
      for (const key of keys) {
        const text = catalogue[lang][key];
        assert.equal(typeof text, "string", `${file}: ${lang}.${key}`);
        assert.ok(text.trim().length > 0, `${file}: ${lang}.${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(catalogue.en[key]), `${file}: placeholders of ${lang}.${key}`);
      }
    }
    for (const key of keys) {
      assert.ok(prefixes.includes(key.split(".")[0]), `${file}: ${key} belongs in another catalogue`);
    }
  });

  if (code.length > 0) {
    test(`${file}: every key its code names exists`, () => {
      const catalogue = load(file);
      const named = keysNamedIn(code.flatMap(sourceFiles));
      let checked = 0;
      for (const [key, where] of named) {
        if (!prefixes.includes(key.split(".")[0])) continue;
        checked += 1;
        // A counted text is named by its stem: `<key>.one` and `<key>.other` exist.
        const counted = `${key}.one` in catalogue.en && `${key}.other` in catalogue.en;
        assert.ok(key in catalogue.en || counted, `${where} names ${key}, which ${file} does not have`);
      }
      assert.ok(checked > 0, `no key of ${file} found in ${code.join(", ")}: is the scan broken?`);
    });
  }
}

test("the add-ins name no other front end's keys", () => {
  const owner = (key) => CATALOGUES.find((c) => c.prefixes.includes(key.split(".")[0]));
  for (const { file, code } of CATALOGUES) {
    for (const [key, where] of keysNamedIn(code.flatMap(sourceFiles))) {
      const home = owner(key);
      if (!home || home.file === file) continue;
      // The checker package's shared strings are for every front end.
      if (home.file === "crates/sendguard-wasm/js/messages.json") continue;
      assert.fail(`${where} names ${key}, which belongs to ${home.file}`);
    }
  }
});
