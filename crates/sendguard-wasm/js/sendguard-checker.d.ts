// Types of the sendguard checker package. Written once from the Rust types in
// crates/sendguard-core (Draft, Report, Fix, Policy); tests/node/types.test.mjs checks
// them against what the Rust core really produces and accepts.

/** A text in every language sendguard speaks. */
export interface Text {
  en: string;
  de: string;
}

/** A mailbox. */
export interface Address {
  name?: string | null;
  address: string;
  /** The RFC 5322 group the address was listed in. */
  group?: string | null;
}

/** A file attached to a draft. */
export interface Attachment {
  name: string;
  /** Other names the same file carries (MIME `filename*`/`filename`/`name`); each is checked. */
  other_names?: string[];
  media_type?: string | null;
  size?: number;
  content_base64?: string | null;
}

/** What the user is about to send. Every field is optional; unknown fields are errors. */
export interface Draft {
  from?: Address | null;
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
  subject?: string;
  body?: string;
  attachments?: Attachment[];
  /** What the front end could not read: each entry becomes a finding. */
  not_inspected?: NotInspected[];
  /** Domains from the address books (no addresses): never reported as look-alikes. */
  known_domains?: string[];
}

/** A part of the draft that could not be inspected, and why. */
export interface NotInspected {
  part: "body" | "attachment" | "list";
  /** The attachment's file name, or the list's name or address; omitted for the body. */
  name?: string;
  reason:
    | "too-large"
    | "timeout"
    | "unreadable"
    | "encrypted"
    | "too-deep"
    | "too-many"
    | "error"
    | "unsupported";
}

export type RuleId =
  | "visible-recipients"
  | "blocked-recipient"
  | "disposable-recipient"
  | "lookalike-recipient"
  | "freemail-recipient"
  | "invalid-recipient"
  | "external-recipients"
  | "attachment-dangerous-type"
  | "attachment-disguised-name"
  | "attachment-too-large"
  | "attachment-macro-document"
  | "content-not-inspected"
  | "list-not-expanded"
  | "personal-data-identifiers"
  | "personal-data-member-list"
  | "personal-data-special-category";

export type Severity = "off" | "info" | "warn" | "block";
export type Verdict = "pass" | "warn" | "block";

/** A fix: a finding's `action`, passed back unchanged to `Checker.apply`. */
export type Fix =
  | { kind: "move-to-bcc" }
  | { kind: "remove-recipient"; addresses: string[] }
  | { kind: "export-recipients" }
  | { kind: "replace-recipient"; address: string; replacement: string };

/** A fix a finding offers: the button label and the action. */
export interface FixOffer {
  label: Text;
  action: Fix;
}

/** A problem one rule found. */
export interface Finding {
  rule: RuleId;
  severity: Exclude<Severity, "off">;
  title: Text;
  message: Text;
  why: Text;
  /** Lower-cased addresses concerned, in draft order. */
  recipients: string[];
  /** The attachment concerned, for attachment rules. */
  attachment: string | null;
  fixes: FixOffer[];
}

/** Counts over the distinct recipients. */
export interface Summary {
  recipients: number;
  visible: number;
  /** Outside the internal domains (trusted partners included). */
  external_addresses: number;
  /** Distinct organizations among them; private mailboxes are not organizations. */
  external_organizations: number;
  /** Private (freemail, consumer-ISP) mailboxes among them. */
  private_mailboxes: number;
  /** Parties exposed to each other in To/Cc, as visible-recipients counts them. */
  visible_parties: number;
}

/** Whether the user may send despite a block. */
export interface Override {
  allowed: boolean;
  reason_required: boolean;
}

/** The checker's answer for one draft. */
export interface Report {
  verdict: Verdict;
  headline: Text;
  /** Worst first, then by rule id. */
  findings: Finding[];
  summary: Summary;
  override: Override;
  checker_version: string;
}

/** A file a fix produced (`export-recipients`). */
export interface Export {
  filename: string;
  media_type: string;
  content: string;
}

/** The result of `Checker.apply`. */
export interface Applied {
  draft: Draft;
  export: Export | null;
}

/** The policy IT writes. Every field is optional; unknown keys are errors. */
export interface Policy {
  $schema?: string;
  name?: string;
  internal_domains?: string[];
  trusted_domains?: string[];
  freemail_domains?: string[];
  blocked_domains?: string[];
  severity?: Partial<Record<RuleId, Severity>>;
  visible_recipients?: {
    warn_parties?: number;
    block_parties?: number;
    block_addresses?: number;
  };
  move_to_bcc?: {
    to?: "sender" | "nobody";
    keep_internal_visible?: boolean;
  };
  newsletter_tool?: { name: string; url?: string } | null;
  attachments?: {
    max_total_mb?: number;
    extra_dangerous_extensions?: string[];
    allowed_extensions?: string[];
  };
  override?: {
    allow_block?: boolean;
    require_reason?: boolean;
  };
  on_checker_error?: "fail-open" | "fail-closed";
}

/** A pasted address list, parsed by the core (`Checker.parseAddresses`). */
export interface ParsedAddresses {
  /** The addresses, in list order, with their display names. */
  addresses: Address[];
  /** Pieces that are not an address: `position` counts the list's pieces from 1. */
  rejected: { position: number; text: string }[];
}

/** An error from the checker: `kind` says whose fault it is. */
export interface SendguardError extends Error {
  name: "SendguardError";
  /** policy / draft / fix: that input was rejected; crash: a bug in the checker. */
  kind: "policy" | "draft" | "fix" | "crash";
  /**
   * The finer kind, when the core names one (stable, kebab-case): policy: "empty",
   * "syntax", "unknown-key", "wrong-value", "invalid"; draft: "empty", "syntax",
   * "shape", "too-large"; any input: "encoding".
   */
  reason?: string;
  /** 1-based position in the rejected JSON, when known. */
  line?: number;
  column?: number;
}

export interface Checker {
  /** "wasm" (WebAssembly) or "fallback" (the wasm2js build, plain JavaScript). */
  readonly engine: "wasm" | "fallback";
  /** Why "auto" did not pick wasm, when it did not. */
  readonly fallbackReason?: string;
  /** The checker's version, as reports carry it. */
  readonly version: string;
  /** Checks a draft. Throws a SendguardError (kind "draft") on a draft it cannot read. */
  check(draft: Draft | string): Report;
  /** Like `check`, with the report as one line of JSON, byte for byte the CLI's. */
  checkJson(draft: Draft | string): string;
  /** Applies a fix to a draft. Never loses or invents a recipient. */
  apply(draft: Draft | string, fix: Fix | string): Applied;
  /** Like `apply`, with the result as JSON text. */
  applyJson(draft: Draft | string, fix: Fix | string): string;
  /**
   * Parses a pasted address list as Outlook or Excel copy it (`;`, `,`, tabs or new
   * lines between entries, names quoted or not) with the core's parser.
   */
  parseAddresses(text: string): ParsedAddresses;
  /** Releases the instance; the checker cannot be used afterwards. */
  free(): void;
}

export interface CreateCheckerOptions {
  /**
   * "auto" (default): wasm when WebAssembly exists and instantiates, else the fallback
   * (only in sendguard-checker-fallback.mjs, .cjs and .iife.js; sendguard-checker.mjs
   * and sendguard-checker-wasm.iife.js carry the wasm module only).
   */
  engine?: "auto" | "wasm" | "fallback";
}

/** Creates a checker; rejects with a SendguardError (kind "policy") on a bad policy. */
export function createChecker(
  policy?: Policy | string | null,
  options?: CreateCheckerOptions,
): Promise<Checker>;

/** The single-file bundles (sendguard-checker.iife.js, sendguard-checker-wasm.iife.js) define this global. */
declare global {
  // eslint-disable-next-line no-var
  var SendguardChecker: { createChecker: typeof createChecker };
}
