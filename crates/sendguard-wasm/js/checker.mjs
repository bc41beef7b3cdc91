// The sendguard checker for JavaScript: one API over two engines built from the same
// Rust core.
//
// - "wasm": the wasm-bindgen build, where `WebAssembly` exists and instantiates.
// - "fallback": the wasm2js build of the plain byte/JSON ABI, plain JavaScript, for
//   runtimes without WebAssembly (classic Outlook's JavaScript-only runtime, or
//   `node --jitless`). It uses no TextEncoder/TextDecoder/Intl/atob.
//
// Both modules are embedded (`sendguard:bindgen`, `sendguard:fallback` are generated
// by `cargo xtask dist`), so a bundle needs no fetch.

import { createGlue, wasmBase64 } from "sendguard:bindgen";
import { createFallbackExports } from "sendguard:fallback";
import { decodeBase64 } from "./base64.mjs";
import { decodeUtf8, encodeUtf8 } from "./utf8.mjs";

/** The error kinds the checker's errors carry as `error.kind`. */
const KIND_PREFIX = /^(policy|draft|fix): /;
const POSITION = /^line (\d+), column (\d+): /;

function checkerError(kind, message, cause) {
  const error = new Error(message);
  error.name = "SendguardError";
  error.kind = kind;
  const at = POSITION.exec(message);
  if (at) {
    error.line = Number(at[1]);
    error.column = Number(at[2]);
  }
  if (cause !== undefined) error.cause = cause;
  return error;
}

function crashError(panic, cause) {
  const detail = panic || (cause && cause.message) || String(cause);
  return checkerError(
    "crash",
    "the checker crashed (a bug in sendguard; the next call uses a fresh instance): " + detail,
    cause,
  );
}

function asJson(value, what) {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) {
    if (what === "policy") return "{}";
    throw checkerError(what, "no " + what + " given");
  }
  const json = JSON.stringify(value);
  return ESCAPED_SURROGATE.test(json) ? JSON.stringify(value, replaceLoneSurrogates) : json;
}

// A lone surrogate (half an emoji, cut by some client) cannot be UTF-8: JSON.stringify
// writes it as a `\ud800` escape that the core's JSON parser rejects. Replace it with
// U+FFFD, as TextEncoder would, instead of failing the whole draft.
const SURROGATE = /[\ud800-\udfff]/;
// JSON.stringify escapes exactly the lone ones (well-formed JSON.stringify, ES2019;
// older engines leave them raw and TextEncoder-like encoding replaces them anyway).
const ESCAPED_SURROGATE = /\\ud[89a-f]/i;

function replaceLoneSurrogates(_key, value) {
  if (typeof value !== "string" || !SURROGATE.test(value)) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += value[i] + value[i + 1];
        i++;
        continue;
      }
      out += "\ufffd";
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      out += "\ufffd";
    } else {
      out += value[i];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Engine "wasm": the wasm-bindgen module.

let compiledModule = null;

function compileWasm() {
  if (compiledModule === null) {
    compiledModule = WebAssembly.compile(decodeBase64(wasmBase64));
  }
  return compiledModule;
}

class WasmEngine {
  constructor(module, policyJson) {
    this.name = "wasm";
    this.module = module;
    this.policyJson = policyJson;
    this.glue = null;
    this.checker = null;
  }

  static async create(policyJson) {
    const module = await compileWasm();
    const engine = new WasmEngine(module, policyJson);
    const glue = createGlue();
    await glue({ module_or_path: module });
    engine.start(glue);
    return engine;
  }

  start(glue) {
    this.glue = glue;
    this.checker = this.call(() => new glue.Checker(this.policyJson));
  }

  /** A fresh instance after a crash: the old one may hold a broken heap or stack. */
  restart() {
    const glue = createGlue();
    glue.initSync({ module: this.module });
    this.start(glue);
  }

  call(operation) {
    if (this.glue === null) this.restart();
    try {
      return operation();
    } catch (error) {
      const kind = error instanceof Error && !(error instanceof WebAssembly.RuntimeError)
        ? KIND_PREFIX.exec(error.message)
        : null;
      if (kind) throw checkerError(kind[1], error.message.slice(kind[0].length));
      let panic = "";
      try {
        panic = this.glue.lastPanic() || "";
      } catch (_) {
        // The broken instance cannot even say why; the trap's message will do.
      }
      this.glue = null;
      this.checker = null;
      throw crashError(panic, error);
    }
  }

  version() {
    return this.call(() => this.glue.version());
  }

  check(draftJson) {
    return this.call(() => this.checker.check(draftJson));
  }

  apply(draftJson, fixJson) {
    return this.call(() => this.checker.apply(draftJson, fixJson));
  }

  parseAddresses(text) {
    return this.call(() => this.glue.parseAddresses(text));
  }

  panicForTests() {
    return this.call(() => this.glue.panicForTests());
  }

  free() {
    if (this.checker !== null) this.checker.free();
    this.checker = null;
  }
}

// ---------------------------------------------------------------------------------
// Engine "fallback": the wasm2js build of the byte/JSON ABI (see src/abi.rs).

const STATUS_KINDS = ["ok", "policy", "draft", "fix", "none"];

class FallbackEngine {
  constructor(policyJson) {
    this.name = "fallback";
    this.policyJson = policyJson;
    this.exports = null;
    this.start();
  }

  start() {
    this.exports = createFallbackExports();
    this.call("sg_new", [this.policyJson]);
  }

  /** Runs an ABI function on UTF-8 copies of `inputs`; returns its output text. */
  call(name, inputs) {
    if (this.exports === null) this.start();
    const x = this.exports;
    const buffers = [];
    let status;
    let output;
    try {
      const args = [];
      for (const input of inputs) {
        const bytes = typeof input === "string" ? encodeUtf8(input) : input;
        const ptr = x.sg_alloc(bytes.length);
        if (ptr === 0) throw new Error("out of memory for " + bytes.length + " bytes");
        new Uint8Array(x.memory.buffer).set(bytes, ptr);
        buffers.push([ptr, bytes.length]);
        args.push(ptr, bytes.length);
      }
      status = x[name].apply(null, args);
      const ptr = x.sg_output_ptr();
      const len = x.sg_output_len();
      output = decodeUtf8(new Uint8Array(x.memory.buffer, ptr, len));
      for (const [ptr, len] of buffers) x.sg_free(ptr, len);
    } catch (error) {
      let panic = "";
      try {
        if (x.sg_last_panic() === 0) {
          panic = decodeUtf8(new Uint8Array(x.memory.buffer, x.sg_output_ptr(), x.sg_output_len()));
        }
      } catch (_) {
        // As in the wasm engine: the trap's own message will do.
      }
      this.exports = null;
      throw crashError(panic, error);
    }
    if (status !== 0) throw checkerError(STATUS_KINDS[status] || "crash", output);
    return output;
  }

  version() {
    return this.call("sg_version", []);
  }

  check(draftJson) {
    return this.call("sg_check", [draftJson]);
  }

  apply(draftJson, fixJson) {
    return this.call("sg_apply", [draftJson, fixJson]);
  }

  parseAddresses(text) {
    return this.call("sg_parse_addresses", [text]);
  }

  panicForTests() {
    return this.call("sg_panic_for_tests", []);
  }

  free() {
    this.exports = null;
  }
}

// ---------------------------------------------------------------------------------
// The public API.

class Checker {
  constructor(engine, fallbackReason) {
    this._engine = engine;
    /** Which engine runs the checks: "wasm" or "fallback". */
    this.engine = engine.name;
    /** Why the wasm engine was not used, when `engine` is "fallback" on "auto". */
    this.fallbackReason = fallbackReason;
    /** The checker's version, as reports carry it in `checker_version`. */
    this.version = engine.version();
  }

  /** Checks a draft (object or JSON text); returns the report object. */
  check(draft) {
    return JSON.parse(this.checkJson(draft));
  }

  /** Checks a draft; returns the report as one line of JSON, as the CLI prints it. */
  checkJson(draft) {
    return this._engine.check(asJson(draft, "draft"));
  }

  /** Applies a fix (a finding's `action`) to a draft; returns `{draft, export}`. */
  apply(draft, fix) {
    return JSON.parse(this.applyJson(draft, fix));
  }

  /** Like `apply`, with the result as JSON text. */
  applyJson(draft, fix) {
    return this._engine.apply(asJson(draft, "draft"), asJson(fix, "fix"));
  }

  /**
   * Parses a pasted address list (as Outlook or Excel copy it) with the core's parser;
   * returns `{addresses: [{name?, address}], rejected: [{position, text}]}`, where
   * `position` counts the list's pieces from 1.
   */
  parseAddresses(text) {
    if (typeof text !== "string") throw checkerError("draft", "parseAddresses takes text");
    return JSON.parse(this._engine.parseAddresses(text));
  }

  /** Releases the instance's memory; the checker cannot be used afterwards. */
  free() {
    this._engine.free();
  }
}

/**
 * Creates a checker for `policy` (JSON text, an object, or nothing for the default
 * policy). Rejects with an Error (`kind: "policy"`) if the core rejects the policy.
 *
 * `options.engine`: "auto" (default: wasm when `WebAssembly` exists and the module
 * instantiates, else the fallback), "wasm" or "fallback".
 */
export async function createChecker(policy, options) {
  const engine = (options && options.engine) || "auto";
  const policyJson = asJson(policy, "policy");
  if (engine === "fallback") return new Checker(new FallbackEngine(policyJson));
  if (engine !== "wasm" && engine !== "auto") {
    throw new Error("unknown engine " + JSON.stringify(engine) + ": use auto, wasm or fallback");
  }
  let reason;
  if (typeof WebAssembly === "object") {
    try {
      return new Checker(await WasmEngine.create(policyJson));
    } catch (error) {
      // A policy error is the policy's fault, not the engine's: the fallback would
      // say the same.
      if (error && error.kind && error.kind !== "crash") throw error;
      if (engine === "wasm") throw error;
      reason = "WebAssembly did not instantiate: " + (error && error.message);
    }
  } else {
    if (engine === "wasm") throw new Error("this runtime has no WebAssembly");
    reason = "this runtime has no WebAssembly";
  }
  return new Checker(new FallbackEngine(policyJson), reason);
}

/** For the tests: makes the core panic, to check that a crash becomes an Error. */
export function panicForTests(checker) {
  return checker._engine.panicForTests();
}
