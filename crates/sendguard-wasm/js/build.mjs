// Bundles the checker package into dist/checker/. Run by `cargo xtask dist`, which
// has built and converted the WebAssembly modules first:
//
//   node build.mjs <gen-dir> <out-dir>
//
// <gen-dir> holds sendguard_checker.wasm (the checker, wasm-opt'ed), fallback.js (wasm2js
// of that very module) and sendguard_checker_site.wasm (the site-only module).
// The package's own catalogue (messages.json next to this file: the report view's and
// the add-ins' shared strings) is bundled into the view and copied beside it.

import { readFileSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const [genDir, outDir] = process.argv.slice(2);
if (!genDir || !outDir) {
  console.error("usage: node build.mjs <gen-dir> <out-dir>");
  process.exit(64);
}
mkdirSync(outDir, { recursive: true });

function wasmModule(name) {
  const wasm = readFileSync(join(genDir, `${name}.wasm`));
  return `export const wasmBase64 = ${JSON.stringify(wasm.toString("base64"))};\n`;
}

// wasm2js output: helpers, `function asmFunc(imports) {…}`, then a module-level
// instance and `export var …` lines. Keep the helpers and the function, drop the
// instance: the rest is the body of a function that returns a fresh instance's exports
// each time it is called (the helpers share state, `bufferView`, so two checkers must
// not share one copy of them). Minified here and embedded as text, so that only a
// runtime without WebAssembly ever parses it (checker-fallback.mjs compiles it).
const fallback = readFileSync(join(genDir, "fallback.js"), "utf8");
const cut = fallback.indexOf("\nvar retasmFunc = asmFunc(");
if (cut < 0 || !fallback.includes("function asmFunc(imports)")) {
  throw new Error("unexpected wasm2js output: no asmFunc");
}
const wrapped = "var sgFallback = function () {\n" + fallback.slice(0, cut) + "\nreturn asmFunc({});\n};";
const minified = (
  await esbuild.transform(wrapped, { minify: true, target: "es2016", legalComments: "none", charset: "utf8" })
).code.trim();
const body = /^var sgFallback=function\(\)\{([\s\S]*)\};?$/.exec(minified);
if (!body) throw new Error("unexpected shape of the minified fallback");
const fallbackModule = `export const fallbackSource = ${JSON.stringify(body[1])};\n`;

const virtual = {
  "sendguard:wasm": wasmModule("sendguard_checker"),
  "sendguard:site": wasmModule("sendguard_checker_site"),
  "sendguard:fallback": fallbackModule,
};
const virtualModules = {
  name: "sendguard-virtual",
  setup(build) {
    build.onResolve({ filter: /^sendguard:/ }, (args) => ({ path: args.path, namespace: "sendguard" }));
    build.onLoad({ filter: /.*/, namespace: "sendguard" }, (args) => ({
      contents: virtual[args.path],
      loader: "js",
    }));
  },
};

const common = {
  bundle: true,
  minify: true,
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
  plugins: [virtualModules],
  write: false,
};

async function bundle(options, file) {
  const result = await esbuild.build({ ...common, ...options });
  writeFileSync(join(outDir, file), result.outputFiles[0].contents);
}

// WebAssembly hosts (Thunderbird, the site, Outlook's browser runtime and task pane): the
// wasm module only. Runtimes that may lack WebAssembly (Node under --jitless, classic
// Outlook): the same plus the fallback, as text compiled only when it runs.
const checker = join(here, "checker.mjs");
const withFallback = join(here, "checker-fallback.mjs");
const iifeEntry = readFileSync(join(here, "iife-entry.mjs"), "utf8");
const iife = (entry) => ({
  stdin: { contents: iifeEntry.replace('"sendguard:entry"', JSON.stringify(entry)), resolveDir: here, loader: "js" },
  format: "iife",
  target: "es2016",
});
await bundle({ entryPoints: [checker], format: "esm", target: "es2020" }, "sendguard-checker.mjs");
await bundle({ entryPoints: [withFallback], format: "esm", target: "es2020" }, "sendguard-checker-fallback.mjs");
await bundle({ entryPoints: [withFallback], format: "cjs", target: "es2020", platform: "node" }, "sendguard-checker.cjs");
await bundle(iife(withFallback), "sendguard-checker.iife.js");
await bundle(iife(checker), "sendguard-checker-wasm.iife.js");
// The site-only module (.eml parsing for the playground): its own file, never in the above.
await bundle({ entryPoints: [join(here, "site.mjs")], format: "esm", target: "es2020" }, "sendguard-checker-site.mjs");
await bundle(
  { entryPoints: [join(here, "report-view.mjs")], format: "esm", target: "es2020", minify: false },
  "report-view.mjs",
);
// The hosts' shared decisions (policy sources, fail mode, language, translator), for the
// Thunderbird add-on and the web site; the Outlook build bundles the source itself.
await bundle({ entryPoints: [join(here, "host.mjs")], format: "esm", target: "es2020", minify: false }, "host.mjs");
copyFileSync(join(here, "report-view.css"), join(outDir, "report-view.css"));
copyFileSync(join(here, "sendguard-checker.d.ts"), join(outDir, "sendguard-checker.d.ts"));
copyFileSync(join(here, "report-view.d.ts"), join(outDir, "report-view.d.ts"));
copyFileSync(join(here, "sendguard-checker-site.d.ts"), join(outDir, "sendguard-checker-site.d.ts"));
copyFileSync(join(here, "messages.json"), join(outDir, "messages.json"));
