// Bundles the checker package into dist/checker/. Run by `cargo xtask dist`, which
// has built and converted the WebAssembly modules first:
//
//   node build.mjs <gen-dir> <out-dir>
//
// <gen-dir> holds sendguard_checker.js + sendguard_checker_bg.wasm (wasm-bindgen,
// --target no-modules), fallback.js (wasm2js of the ABI build) and
// sendguard_checker_site.js + sendguard_checker_site_bg.wasm (the site-only module).
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

// wasm-bindgen's no-modules glue is one `let wasm_bindgen = (function(exports){…})(…)`
// statement that keeps its instance in a closure. Wrapped in a function, each call
// makes new glue, so a checker can start a fresh instance after a crash.
function bindgenModule(name) {
  const glue = readFileSync(join(genDir, `${name}.js`), "utf8");
  if (!glue.startsWith("let wasm_bindgen = (function(exports) {")) {
    throw new Error(`unexpected wasm-bindgen glue in ${name}.js: was the CLI version changed?`);
  }
  const wasm = readFileSync(join(genDir, `${name}_bg.wasm`));
  return (
    `export const wasmBase64 = ${JSON.stringify(wasm.toString("base64"))};\n` +
    `export function createGlue() {\n${glue}\nreturn wasm_bindgen;\n}\n`
  );
}

// wasm2js output: helpers, `function asmFunc(imports) {…}`, then a module-level
// instance and `export var …` lines. Keep the helpers and the function, drop the
// instance, and wrap them in a factory: the helpers share state (`bufferView`, which
// memory.fill and memory.copy write through), so two checkers in one module would
// write into each other's memory.
const fallback = readFileSync(join(genDir, "fallback.js"), "utf8");
const cut = fallback.indexOf("\nvar retasmFunc = asmFunc(");
if (cut < 0 || !fallback.includes("function asmFunc(imports)")) {
  throw new Error("unexpected wasm2js output: no asmFunc");
}
const fallbackModule =
  "export function createFallbackExports() {\n" + fallback.slice(0, cut) + "\nreturn asmFunc({});\n}\n";

const virtual = {
  "sendguard:bindgen": bindgenModule("sendguard_checker"),
  "sendguard:site": bindgenModule("sendguard_checker_site"),
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

const checker = join(here, "checker.mjs");
await bundle({ entryPoints: [checker], format: "esm", target: "es2020" }, "sendguard-checker.mjs");
await bundle({ entryPoints: [checker], format: "cjs", target: "es2020", platform: "node" }, "sendguard-checker.cjs");
await bundle(
  { entryPoints: [join(here, "iife-entry.mjs")], format: "iife", target: "es2016" },
  "sendguard-checker.iife.js",
);
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
