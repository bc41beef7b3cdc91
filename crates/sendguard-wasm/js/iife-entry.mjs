// Entry of the single-file bundles for Outlook's Send handler: no modules, so the API goes
// on the global object. `globalThis` itself is ES2020; look for it the older ways too.
// Built twice (js/build.mjs): with the fallback (classic Outlook) and without (the
// browser runtime of Outlook on the web and new Outlook), by resolving `sendguard:entry` to checker-fallback.mjs or checker.mjs.
import { createChecker } from "sendguard:entry";

const root =
  typeof globalThis !== "undefined" ? globalThis
  : typeof self !== "undefined" ? self
  : typeof window !== "undefined" ? window
  : typeof global !== "undefined" ? global
  : {};
root.SendguardChecker = { createChecker };
