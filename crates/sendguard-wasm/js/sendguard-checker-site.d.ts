// Types of the site-only module (sendguard-checker-site.mjs): `.eml` parsing for the web
// playground. The add-ins do not ship it.

import type { Draft } from "./sendguard-checker";

/**
 * Reads a saved message (`.eml` bytes, or its text) into a draft, as `sendguard check`
 * reads the same file. Rejects with a SendguardError: kind "draft" (the file cannot be
 * read; the core's message) or "crash" (a bug; the next call uses a fresh instance).
 */
export function parseEml(eml: Uint8Array | ArrayBuffer | ArrayBufferView | string): Promise<Draft>;

/** The papers for the hour after a mistake, in one language. */
export interface IncidentPapers {
  /** Why the assessment is what it is, one sentence per reason. */
  reasons: string[];
  register_markdown: string;
  authority: string;
  data_subjects: string;
  /** The follow-up mail, every recipient in Bcc (`X-Unsent: 1`). */
  recall_eml: string;
  recall_mailto: string;
  recall_left_out: number;
}

/**
 * After a mistake: the breach-register entry (the same JSON `sendguard incident
 * --format json` prints for the file) and the papers, as `sendguard incident` makes them.
 */
export function assessIncident(
  eml: Uint8Array | ArrayBuffer | ArrayBufferView | string,
  options: { noticed: string; lang?: "en" | "de" },
): Promise<{ register: Record<string, unknown>; papers: IncidentPapers }>;
