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

/**
 * A fake Thunderbird. `faults` injects what real clients do now and then, by call name
 * ("listAttachments", "getAttachmentFile", "addressBooks.list", "listMembers",
 * "getComposeDetails"): "fail", "hang" or a delay in ms.
 */
export function fakeMessenger({ managed, attachments = [], books = [], uiLanguage = "en-US", faults = {}, session = true } = {}) {
  const calls = [];
  const windows = new Map();
  let nextWindow = 100;
  const faulty = async (name, value) => {
    const fault = faults[name];
    if (fault === "hang") return new Promise(() => {});
    if (fault === "fail") throw new Error(`${name} failed (injected)`);
    if (typeof fault === "number") await new Promise((resolve) => setTimeout(resolve, fault).unref?.());
    return typeof value === "function" ? value() : value;
  };
  const messenger = {
    calls,
    openWindows: windows,
    i18n: { getUILanguage: () => uiLanguage },
    runtime: { getURL: (path) => `moz-extension://fake/${path}` },
    storage: {
      managed: storageArea(managed, { managed: true }),
      local: storageArea({}),
      ...(session ? { session: storageArea({}) } : {}),
    },
    compose: {
      async getComposeDetails(tabId) {
        calls.push(["getComposeDetails", tabId]);
        return faulty("getComposeDetails", () => {
          throw new Error("the listener gets the details; it should not ask again");
        });
      },
      async listAttachments(tabId) {
        calls.push(["listAttachments", tabId]);
        return faulty("listAttachments", () => attachments.map(({ id, name, file, size }) => ({ id, name, size: file?.size ?? size ?? 0 })));
      },
      async getAttachmentFile(id) {
        calls.push(["getAttachmentFile", id]);
        const found = attachments.find((a) => a.id === id);
        return faulty("getAttachmentFile", () => {
          if (!found?.file) throw new Error("no file");
          return found.file;
        });
      },
      async setComposeDetails(tabId, details) {
        calls.push(["setComposeDetails", tabId, details]);
      },
      sent: [],
      /** The add-on's own Send (after the dialog): recorded; the test replays onBeforeSend. */
      async sendMessage(tabId) {
        calls.push(["sendMessage", tabId]);
        this.sent.push(tabId);
        return { mode: "sendNow" };
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
      async update(id, info) {
        calls.push(["windows.update", id, info]);
        if (!windows.has(id)) throw new Error(`Invalid window ID: ${id}`);
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
        return faulty("addressBooks.list", books);
      },
      mailingLists: {
        async listMembers(id) {
          calls.push(["listMembers", id]);
          return faulty("listMembers", () => {
            const list = books.flatMap((book) => book.mailingLists ?? []).find((l) => l.id === id);
            return list?.members ?? [];
          });
        },
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

/** The built add-on (dist/addin-thunderbird, staged by pack.py with the real checker package). */
export const ADDON = new URL("../../dist/addin-thunderbird/", import.meta.url);

/** The real checker package, as the add-on loads it. */
export function loadChecker() {
  return import(new URL("checker/sendguard-checker.mjs", ADDON));
}

/** The add-on's merged catalogue, read from the built add-on. */
export async function loadCatalogue() {
  const { loadCatalogue: load } = await import(new URL("lib/i18n.mjs", ADDON));
  const { readFile } = await import("node:fs/promises");
  return load(async (path) => JSON.parse(await readFile(new URL(path, ADDON), "utf8")));
}

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
