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
  /** How the mail travels, as the mail program reports it; absent = unknown (counts as not encrypted). */
  protection?: Protection | null;
}

/** End-to-end encryption and sensitivity label of a draft (rule unprotected-sensitive-data). */
export interface Protection {
  /** Encryption switched on (true), off (false), or the mail program does not say (null). */
  encrypted?: boolean | null;
  /** The applied sensitivity label's id (Outlook: its GUID), and its name where known. */
  label?: string | null;
  label_name?: string | null;
  /** The add-in can switch encryption on (offers the "encrypt" fix). */
  can_encrypt?: boolean;
  /** The add-in can apply a sensitivity label (offers "apply-label" when the policy names one). */
  can_label?: boolean;
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
  | "personal-data-special-category"
  | "unprotected-sensitive-data";

export type Severity = "off" | "info" | "warn" | "block";
export type Verdict = "pass" | "warn" | "block";

/** A fix: a finding's `action`, passed back unchanged to `Checker.apply`. */
export type Fix =
  | { kind: "move-to-bcc" }
  | { kind: "remove-recipient"; addresses: string[] }
  | { kind: "export-recipients" }
  | { kind: "replace-recipient"; address: string; replacement: string }
  | { kind: "encrypt" }
  | { kind: "apply-label"; label: string };

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
  /** How long the mail waits after Send before it leaves (policy `delay`); absent: at once. */
  delay?: Delay;
  checker_version: string;
}

/** A hold after Send, decided by the core so every front end holds the same mail. */
export interface Delay {
  /** 1 to 900. */
  seconds: number;
  /** Which `delay.when` setting held the mail. */
  reason: "external" | "findings" | "always";
  /** One sentence: how long, and why. */
  message: Text;
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
  /** A JSON Schema reference for editors; ignored by the checker. */
  $schema?: string | null;
  /** A name for this policy, shown in the add-ins' options ("ACME 2026-11"). */
  name?: string | null;
  /** The organization's own domains; their subdomains are internal too. Empty: the sender's organization (registrable domain of From) is internal. */
  internal_domains?: string[];
  /** Partner domains treated like internal ones for visibility: they are not counted as exposed parties and stay visible when moving to BCC. Still listed as external. */
  trusted_domains?: string[];
  /** Extra private-mail domains, on top of the shipped lists. */
  freemail_domains?: string[];
  /** A draft with at least this many recipients in Bcc only (the sender not counted) is a mailing: freemail-recipient reports the private mailboxes in its Bcc as an info, not a warning. Private mailboxes in To or Cc always warn. 0: never a mailing. */
  bcc_mailing_from?: number;
  /** Shared mail-hosting suffixes whose subdomains are separate organizations (a Microsoft 365 tenant contoso.onmicrosoft.com), on top of the shipped list (data/tenant-suffixes.txt). */
  tenant_suffixes?: string[];
  /** Domains nobody may send to (rule blocked-recipient). */
  blocked_domains?: string[];
  /** Each rule's severity (off, info, warn, block). For visible-recipients it is the highest severity the thresholds may reach. */
  severity?: Partial<Record<RuleId, Severity>>;
  /** Thresholds for visible-recipients. */
  visible_recipients?: {
    /** Warn from this many parties (organizations; each private address is its own). */
    warn_parties?: number;
    /** Block from this many parties. */
    block_parties?: number;
    /** Block from this many external addresses, however few organizations. */
    block_addresses?: number;
  };
  /** How the move-to-bcc fix rewrites the draft. */
  move_to_bcc?: {
    /** Who goes into To when it would be empty. */
    to?: "sender" | "nobody";
    /** Whether internal (and trusted) recipients stay in To/Cc; if not, they move too. */
    keep_internal_visible?: boolean;
  };
  /** The organization's newsletter tool, suggested for mailings; its name appears on the export button. */
  newsletter_tool?: {
    /** Its name as users know it ("CleverReach", "rapidmail"). */
    name: string;
    /** Where to open it (https://…). */
    url?: string | null;
  } | null;
  /** Attachment limits. */
  attachments?: {
    /** The most all attachments together may weigh, in MB (10^6 bytes). Base64 makes a message about a third larger: 20 MB of files is about the 25 MB most mail servers accept. */
    max_total_mb?: number;
    /** More endings to treat as dangerous ("xlsm"), without the dot. */
    extra_dangerous_extensions?: string[];
    /** Endings never treated as dangerous ("iso" for an IT team), without the dot. */
    allowed_extensions?: string[];
  };
  /** Whether users may send despite a block. */
  override?: {
    /** Users may send despite a block. */
    allow_block?: boolean;
    /** An override needs a written reason. */
    require_reason?: boolean;
  };
  /** What the add-ins do when the checker itself fails. */
  on_checker_error?: "fail-open" | "fail-closed";
  /** Thresholds and severities of the personal-data rules, and the organization's own identifiers. */
  personal_data?: {
    /** The organization's own identifiers (its IBANs, say): not personal data, never reported. Each must be a valid identifier (IBAN, card, tax, pension or health insurance number, document number); spaces are ignored. */
    own_identifiers?: string[];
    /** Distinct IBANs in a draft from which personal-data-identifiers reports: one customer's IBAN on an invoice is business, several people's bank details are a list. */
    min_ibans?: number;
    /** Distinct other identifiers (cards, tax, pension and health insurance numbers, identity documents) from which personal-data-identifiers reports. */
    min_other_identifiers?: number;
    /** Distinct dates of birth (a date after "geb.", "born", "Geburtsdatum", … or in such a column) from which personal-data-identifiers reports: one person's is a booking, several are a list of people. */
    min_dates_of_birth?: number;
    /** Distinct people (e-mail addresses, phone numbers or vCards) in one part (the text, one file) from which personal-data-member-list reports. */
    min_list_people?: number;
    /** The severity of a personal-data finding by who gets the mail; the most exposed recipient decides, and the rule's own severity is the ceiling. */
    severity_by_recipients?: {
      /** Every recipient is internal. */
      internal?: "off" | "info" | "warn" | "block";
      /** Some recipient is external (business domains, trusted partners included). */
      external?: "off" | "info" | "warn" | "block";
      /** Some recipient is a private mailbox (freemail, consumer ISP). */
      private_mailbox?: "off" | "info" | "warn" | "block";
    };
  };
  /** Holding mail back for a while after Send, so that a mistake can still be stopped. Off by default. */
  delay?: {
    /** Seconds a mail waits after Send before it leaves (at most 900). 0: no delay. A delay comes after the checks and never replaces a block. */
    seconds?: number;
    /** Which mail waits: external (a recipient outside the organization), findings (an external recipient and a warning or block the user sent past) or always. */
    when?: "external" | "findings" | "always";
  };
  /** When sensitive personal data must travel end-to-end encrypted or labelled (rule unprotected-sensitive-data), and the sensitivity label the Outlook fix applies. */
  protection?: {
    /** Special categories of Art. 9 GDPR (as personal-data-special-category finds them) need protection on the way to external recipients. */
    special_categories?: boolean;
    /** Bank, card, tax, social-insurance and identity numbers need it, once they reach the personal_data thresholds (min_ibans, min_other_identifiers), also when personal-data-identifiers itself is off. */
    identifiers?: boolean;
    /** Lists of many people's contact details (personal_data.min_list_people) need it. */
    member_lists?: boolean;
    /** The sensitivity label (its name or id, as in the Outlook label catalogue) that counts as protection and that the apply-label fix applies. None: only end-to-end encryption counts. */
    label?: string | null;
    /** The severity by who gets the mail; the most exposed recipient decides, and the rule's own severity is the ceiling. Mail that stays inside the organization travels on its own servers: off by default. */
    severity_by_recipients?: {
      /** Every recipient is internal. */
      internal?: "off" | "info" | "warn" | "block";
      /** Some recipient is external (business domains, trusted partners included). */
      external?: "off" | "info" | "warn" | "block";
      /** Some recipient is a private mailbox (freemail, consumer ISP). */
      private_mailbox?: "off" | "info" | "warn" | "block";
    };
  };
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
   * "syntax", "unknown-key", "wrong-value", "duplicate", "invalid"; draft: "empty", "syntax",
   * "shape", "too-large"; any input: "encoding".
   */
  reason?: string;
  /** 1-based position in the rejected JSON, when known. */
  line?: number;
  column?: number;
  /** Policy errors: the key the problem is about (`internal_domains[1]`), when one is. */
  path?: string;
  /** Policy errors: the message in every language the core speaks. */
  messages?: { en: string; de: string };
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
