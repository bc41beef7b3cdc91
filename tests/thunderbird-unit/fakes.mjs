// Test doubles for the unit tests: a small fake of the `messenger.*` API that records
// what the add-on asks of Thunderbird, and a scripted checker. The real checker runs
// in the Thunderbird end-to-end test; here the flows that are slow to reach there.

/** A storage area like `storage.local`. `managed` areas reject `get` when unset. */
export function storageArea(initial, { managed = false } = {}) {
  const data = initial ? structuredClone(initial) : undefined;
  return {
    data,
    async get(keys) {
      if (!this.data) throw new Error("Managed storage manifest not found");
      const wanted = keys === undefined || keys === null ? Object.keys(this.data) : [keys].flat();
      return Object.fromEntries(wanted.filter((k) => k in this.data).map((k) => [k, structuredClone(this.data[k])]));
    },
    async set(items) {
      if (managed) throw new Error("storage.managed is read-only");
      this.data ??= {};
      Object.assign(this.data, structuredClone(items));
    },
  };
}

export function fakeMessenger({ managed, attachments = [], books = [], uiLanguage = "en-US" } = {}) {
  const calls = [];
  const windows = new Map();
  let nextWindow = 100;
  const messenger = {
    calls,
    openWindows: windows,
    i18n: { getUILanguage: () => uiLanguage },
    runtime: { getURL: (path) => `moz-extension://fake/${path}` },
    storage: { managed: storageArea(managed, { managed: true }), local: storageArea({}) },
    compose: {
      async getComposeDetails(tabId) {
        calls.push(["getComposeDetails", tabId]);
        throw new Error("the listener gets the details; it should not ask again");
      },
      async listAttachments(tabId) {
        calls.push(["listAttachments", tabId]);
        return attachments.map(({ id, name, file }) => ({ id, name, size: file?.size ?? 0 }));
      },
      async getAttachmentFile(id) {
        calls.push(["getAttachmentFile", id]);
        const found = attachments.find((a) => a.id === id);
        if (!found?.file) throw new Error("no file");
        return found.file;
      },
      async setComposeDetails(tabId, details) {
        calls.push(["setComposeDetails", tabId, details]);
      },
    },
    windows: {
      async create(options) {
        const id = nextWindow++;
        windows.set(id, options);
        calls.push(["windows.create", options]);
        return { id };
      },
      async remove(id) {
        calls.push(["windows.remove", id]);
        windows.delete(id);
      },
    },
    downloads: {
      saved: [],
      async download(options) {
        calls.push(["downloads.download", options]);
        const blob = await fetch(options.url).then((response) => response.text());
        this.saved.push({ filename: options.filename, content: blob });
        return this.saved.length;
      },
      async search({ id }) {
        const item = this.saved[id - 1];
        return item ? [{ id, state: "complete", filename: `/home/user/Downloads/${item.filename}` }] : [];
      },
    },
    addressBooks: {
      async list(complete) {
        calls.push(["addressBooks.list", complete]);
        return books;
      },
    },
  };
  messenger.notifications = {
    shown: [],
    async create(options) {
      this.shown.push(options);
    },
  };
  return messenger;
}

const label = (en) => ({ en, de: en });

/** A finding as the checker reports it. */
export function finding(rule, severity, { recipients = [], fixes = [], attachment = null } = {}) {
  return {
    rule,
    severity,
    title: label(rule),
    message: label(`${rule} message`),
    why: label(`${rule} why`),
    recipients,
    attachment,
    fixes: fixes.map((action) => ({ label: label(action.kind), action })),
  };
}

/** A report from findings, with the verdict and order the contract defines. */
export function report(findings, override = { allowed: false, reason_required: true }) {
  const rank = { block: 0, warn: 1, info: 2 };
  const sorted = [...findings].sort((a, b) => rank[a.severity] - rank[b.severity] || a.rule.localeCompare(b.rule));
  const verdict = sorted.some((f) => f.severity === "block")
    ? "block"
    : sorted.some((f) => f.severity === "warn")
      ? "warn"
      : "pass";
  return { verdict, findings: sorted, summary: {}, override };
}

/**
 * A checker module whose `check` answers from `judge(draft)` and whose `apply` does
 * what the contract says for the three fix kinds (simply: move-to-bcc moves every
 * To/Cc address not at the sender's domain).
 */
export function checkerModule(judge, { failCreate } = {}) {
  const created = [];
  return {
    created,
    async createChecker(policy) {
      if (failCreate) throw new Error(failCreate);
      created.push(policy);
      return {
        version: "test",
        check: (draft) => judge(draft, policy),
        apply(draft, action) {
          const next = structuredClone(draft);
          if (action.kind === "move-to-bcc") {
            const home = draft.from?.address.split("@")[1];
            const external = (a) => a.address.split("@")[1] !== home;
            next.bcc = [...next.bcc, ...next.to.filter(external), ...next.cc.filter(external)];
            next.to = next.to.filter((a) => !external(a));
            next.cc = next.cc.filter((a) => !external(a));
            if (next.to.length === 0 && draft.from) next.to = [draft.from];
            return { draft: next, export: null };
          }
          if (action.kind === "remove-recipient") {
            const gone = new Set(action.addresses);
            for (const field of ["to", "cc", "bcc"]) next[field] = next[field].filter((a) => !gone.has(a.address));
            return { draft: next, export: null };
          }
          if (action.kind === "export-recipients") {
            const content = [...draft.to, ...draft.cc].map((a) => a.address).join("\n");
            return { draft: next, export: { filename: "recipients.csv", media_type: "text/csv", content } };
          }
          throw new Error(`unknown fix ${action.kind}`);
        },
      };
    },
  };
}

export const catalogue = { en: { "thunderbird.unchecked.title": "Not checked", "thunderbird.unchecked.message": "Sent unchecked: {error}" }, de: {} };

/** Waits until the guard has opened its dialog (the listener is still pending). */
export async function dialogOpened(messenger) {
  for (let i = 0; i < 100; i++) {
    if (messenger.openWindows.size > 0) return [...messenger.openWindows.entries()].at(-1);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error("no dialog opened");
}

export function sessionOf(windowOptions) {
  return new URL(windowOptions.url).searchParams.get("session");
}
