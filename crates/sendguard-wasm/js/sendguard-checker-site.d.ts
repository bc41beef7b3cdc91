// Types of the site-only module (sendguard-checker-site.mjs): `.eml` parsing for the web
// playground. The add-ins do not ship it.

import type { Draft } from "./sendguard-checker";

/**
 * Reads a saved message (`.eml` bytes, or its text) into a draft, as `sendguard check`
 * reads the same file. Rejects with a SendguardError: kind "draft" (the file cannot be
 * read; the core's message) or "crash" (a bug; the next call uses a fresh instance).
 */
export function parseEml(eml: Uint8Array | ArrayBuffer | ArrayBufferView | string): Promise<Draft>;
