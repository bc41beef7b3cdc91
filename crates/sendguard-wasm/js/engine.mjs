// The one engine behind every checker module: the Rust core's byte/JSON ABI
// (src/abi.rs), whether its exports come from a WebAssembly instance or from the
// wasm2js translation of the same module. Errors, crashes and recovery are handled here,
// once, for both.

import { decodeUtf8 as ownDecodeUtf8, encodeUtf8 as ownEncodeUtf8 } from "./utf8.mjs";

/** Status of an ABI call (src/abi.rs): the output is the result, a failure (JSON), or nothing. */
const STATUS_OK = 0;
const STATUS_FAILED = 1;

// TextEncoder/TextDecoder where the runtime has them (every browser, Node); the own code
// where it does not (classic Outlook's JavaScript-only runtime). Both give the same bytes:
// lone surrogates become U+FFFD, and the core only returns valid UTF-8.
const encoder = typeof TextEncoder === "function" ? new TextEncoder() : null;
const decoder = typeof TextDecoder === "function" ? new TextDecoder() : null;
const encodeUtf8 = encoder ? (text) => encoder.encode(text) : ownEncodeUtf8;
const decodeUtf8 = decoder ? (bytes) => decoder.decode(bytes) : ownDecodeUtf8;

/**
 * An Error with `kind` ("policy", "draft", "fix", "crash"), and where the core knows
 * them `reason` (a stable kebab-case id such as "unknown-key") and `line`/`column`.
 */
export function checkerError(kind, message, detail, cause) {
  const error = new Error(message);
  error.name = "SendguardError";
  error.kind = kind;
  if (detail && detail.reason) error.reason = detail.reason;
  if (detail && typeof detail.line === "number") {
    error.line = detail.line;
    error.column = detail.column;
  }
  // Policy errors: the key path and the message in every language ({en, de}).
  if (detail && typeof detail.path === "string") error.path = detail.path;
  if (detail && detail.messages && typeof detail.messages === "object") error.messages = detail.messages;
  if (cause !== undefined) error.cause = cause;
  return error;
}

/**
 * One instance of the core at a time, made by `instantiate()` (which returns the ABI's
 * exports, `memory` included). `policyJson` null: an instance without a policy (the
 * site's `.eml` reader). A trap or a JavaScript error inside a call is a crash: the
 * instance is dropped and the next call starts a fresh one.
 */
export class Engine {
  constructor(name, instantiate, policyJson, what) {
    this.name = name;
    this.instantiate = instantiate;
    this.policyJson = policyJson;
    this.what = what || "checker";
    this.exports = null;
    this.start();
  }

  start() {
    this.exports = this.instantiate();
    if (this.policyJson !== null) this.call("sg_new", [this.policyJson]);
  }

  /** Runs ABI function `name` on UTF-8 copies of `inputs` (strings or bytes); returns its output text. */
  call(name, inputs) {
    if (this.exports === null) this.start();
    const x = this.exports;
    let status;
    let output;
    try {
      const args = [];
      const buffers = [];
      for (const input of inputs) {
        const bytes = typeof input === "string" ? encodeUtf8(input) : input;
        const ptr = x.sg_alloc(bytes.length);
        if (ptr === 0) throw new Error("out of memory for " + bytes.length + " bytes");
        new Uint8Array(x.memory.buffer).set(bytes, ptr);
        buffers.push(ptr, bytes.length);
        args.push(ptr, bytes.length);
      }
      status = x[name].apply(null, args);
      output = decodeUtf8(new Uint8Array(x.memory.buffer, x.sg_output_ptr(), x.sg_output_len()));
      for (let i = 0; i < buffers.length; i += 2) x.sg_free(buffers[i], buffers[i + 1]);
    } catch (error) {
      let panic = "";
      try {
        if (x.sg_last_panic() === STATUS_OK) {
          panic = decodeUtf8(new Uint8Array(x.memory.buffer, x.sg_output_ptr(), x.sg_output_len()));
        }
      } catch (_) {
        // The broken instance cannot even say why; the trap's own message will do.
      }
      this.exports = null;
      const detail = panic || (error && error.message) || String(error);
      throw checkerError(
        "crash",
        "the " + this.what + " crashed (a bug in sendguard; the next call uses a fresh instance): " + detail,
        null,
        error,
      );
    }
    if (status === STATUS_FAILED) {
      const failure = JSON.parse(output);
      throw checkerError(failure.kind, failure.message, failure);
    }
    if (status !== STATUS_OK) throw checkerError("crash", "unexpected status " + status + " from " + name);
    return output;
  }

  free() {
    this.exports = null;
  }
}

/** Compiles a WebAssembly module once; each instance of it is made synchronously. */
export function wasmInstantiator(bytes) {
  let compiled = null;
  return async () => {
    if (compiled === null) compiled = WebAssembly.compile(bytes());
    const module = await compiled;
    return () => new WebAssembly.Instance(module, {}).exports;
  };
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
// older engines leave them raw and the UTF-8 encoding replaces them anyway).
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

class Checker {
  constructor(engine, fallbackReason) {
    this._engine = engine;
    /** Which engine runs the checks: "wasm" or "fallback". */
    this.engine = engine.name;
    /** Why the wasm engine was not used, when `engine` is "fallback" on "auto". */
    this.fallbackReason = fallbackReason;
    /** The checker's version, as reports carry it in `checker_version`. */
    this.version = engine.call("sg_version", []);
  }

  /** Checks a draft (object or JSON text); returns the report object. */
  check(draft) {
    return JSON.parse(this.checkJson(draft));
  }

  /** Checks a draft; returns the report as one line of JSON, as the CLI prints it. */
  checkJson(draft) {
    return this._engine.call("sg_check", [asJson(draft, "draft")]);
  }

  /** Applies a fix (a finding's `action`) to a draft; returns `{draft, export}`. */
  apply(draft, fix) {
    return JSON.parse(this.applyJson(draft, fix));
  }

  /** Like `apply`, with the result as JSON text. */
  applyJson(draft, fix) {
    return this._engine.call("sg_apply", [asJson(draft, "draft"), asJson(fix, "fix")]);
  }

  /**
   * Parses a pasted address list (as Outlook or Excel copy it) with the core's parser;
   * returns `{addresses: [{name?, address}], rejected: [{position, text}]}`, where
   * `position` counts the list's pieces from 1.
   */
  parseAddresses(text) {
    if (typeof text !== "string") throw checkerError("draft", "parseAddresses takes text");
    return JSON.parse(this._engine.call("sg_parse_addresses", [text]));
  }

  /** Releases the instance's memory; the checker cannot be used afterwards. */
  free() {
    this._engine.free();
  }
}

/**
 * The public `createChecker` over the engines a bundle carries: `wasm` (an async
 * function giving a synchronous instantiator, or null) and `fallback` (a function
 * giving a synchronous instantiator of the wasm2js build, or null when the bundle
 * has none).
 */
export function checkerFactory(wasm, fallback) {
  function fallbackEngine(policyJson) {
    if (fallback === null) {
      throw new Error(
        "this bundle has no fallback for runtimes without WebAssembly: use sendguard-checker-fallback.mjs, .cjs or .iife.js",
      );
    }
    return new Engine("fallback", fallback(), policyJson);
  }

  /**
   * Creates a checker for `policy` (JSON text, an object, or nothing for the default
   * policy). Rejects with an Error (`kind: "policy"`) if the core rejects the policy.
   *
   * `options.engine`: "auto" (default: wasm when `WebAssembly` exists and the module
   * instantiates, else the fallback where the bundle has one), "wasm" or "fallback".
   */
  return async function createChecker(policy, options) {
    const engine = (options && options.engine) || "auto";
    const policyJson = asJson(policy, "policy");
    if (engine === "fallback") return new Checker(fallbackEngine(policyJson));
    if (engine !== "wasm" && engine !== "auto") {
      throw new Error("unknown engine " + JSON.stringify(engine) + ": use auto, wasm or fallback");
    }
    let reason;
    if (typeof WebAssembly === "object") {
      try {
        return new Checker(new Engine("wasm", await wasm(), policyJson));
      } catch (error) {
        // A policy error is the policy's fault, not the engine's: the fallback would
        // say the same.
        if (error && error.kind && error.kind !== "crash") throw error;
        if (engine === "wasm" || fallback === null) throw error;
        reason = "WebAssembly did not instantiate: " + (error && error.message);
      }
    } else {
      if (engine === "wasm") throw new Error("this runtime has no WebAssembly");
      reason = "this runtime has no WebAssembly";
    }
    return new Checker(fallbackEngine(policyJson), reason);
  };
}

/** For the tests: makes the core panic, to check that a crash becomes an Error. */
export function panicForTests(checker) {
  return checker._engine.call("sg_panic_for_tests", []);
}
