// Entry of the single-file bundle for Outlook's JavaScript-only runtime: no modules,
// so the API goes on the global object. `globalThis` itself is ES2020; look for it
// the older ways too.
import { createChecker } from "./checker.mjs";

const root =
  typeof globalThis !== "undefined" ? globalThis
  : typeof self !== "undefined" ? self
  : typeof window !== "undefined" ? window
  : typeof global !== "undefined" ? global
  : {};
root.SendguardChecker = { createChecker };
