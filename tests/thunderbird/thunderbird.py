"""Drives a real Thunderbird through Marionette for the end-to-end test.

Everything Thunderbird-specific the cases need lives here: starting it headless with
a fresh profile, an SMTP account pointing at the local sink, installing the add-on
temporarily, opening a compose window, clicking Send, and operating the add-on's
dialog. The dialog is an extension page in a popup window; Marionette has no content
context in Thunderbird, so the harness reaches into the page with a frame script on
the popup's <browser> (see `DIALOG_FRAME_SCRIPT`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from marionette_driver.addons import Addons
from marionette_driver.marionette import Marionette

# Prefs for a quiet test profile: no first-run wizards, no update or account
# checks, and a short idle time for event pages so a test proves the dialog survives
# Thunderbird suspending the add-on's background.
PREFS = {
    "mail.provider.suppress_dialog_on_startup": True,
    "mail.spotlight.firstRunDone": True,
    "mail.winsearch.firstRunDone": True,
    "mail.shell.checkDefaultClient": False,
    "mailnews.start_page.enabled": False,
    "mail.rights.override": True,
    "app.update.disabledForTesting": True,
    "mail.compose.attachment_reminder": False,
    "mail.biff.show_alert": False,
    "mail.collect_email_address_outgoing": False,
    "extensions.background.idle.timeout": 3000,
    # Console messages (the add-on's errors included) go to the gecko log artifact.
    "devtools.console.stdout.chrome": True,
    "devtools.console.stdout.content": True,
}

SENDER = ("Anna Admin", "anna@example.com")

# Runs inside the dialog page's process. It answers one request per load, tagged with
# an id, through the message manager; requests are plain data, never code.
DIALOG_FRAME_SCRIPT = r"""
(function (request) {
  const doc = content.document;
  const root = doc.documentElement;
  let result;
  try {
    if (request.op === "click") {
      // A button by what it does: the report view's fix buttons by their fix kind
      // (data-kind), the dialog's own actions by their data-action.
      const element =
        doc.querySelector('button.sg-action[data-action="' + request.id + '"]') ||
        doc.querySelector('button.sg-fix[data-kind="' + request.id + '"]');
      if (!element || element.hidden || element.disabled) {
        throw new Error("cannot click " + request.id);
      }
      element.click();
      result = { ok: true };
    } else if (request.op === "type") {
      const element = doc.getElementById(request.id);
      element.value = request.value;
      element.dispatchEvent(new content.Event("input", { bubbles: true }));
      result = { ok: true };
    } else {
      const buttons = {};
      for (const button of doc.querySelectorAll("button.sg-fix, button.sg-action")) {
        const key = button.dataset.action || button.dataset.kind;
        if (!button.hidden && !(key in buttons)) buttons[key] = button.textContent;
      }
      const rules = [...doc.querySelectorAll(".sg-finding")].map((item) => item.dataset.rule);
      result = {
        ok: true,
        url: String(content.location.href),
        state: root.dataset.state || null,
        verdict: root.dataset.verdict || null,
        title: doc.getElementById("title")?.textContent || "",
        status: doc.getElementById("status")?.hidden ? "" : doc.getElementById("status")?.textContent || "",
        reason_shown: doc.getElementById("override") ? !doc.getElementById("override").hidden : false,
        buttons,
        rules,
        controls: doc.querySelectorAll("input, textarea, select, button").length,
        text: doc.body ? doc.body.innerText : "",
      };
    }
  } catch (error) {
    result = { ok: false, error: String(error) };
  }
  sendAsyncMessage("sendguard-test:result", { id: request.requestId, result });
})(REQUEST);
"""

FIND_DIALOG_JS = """
const [addonId, page] = arguments;
const policy = WebExtensionPolicy.getByID(addonId);
for (const win of Services.wm.getEnumerator(null)) {
  if (!win.location.href.includes("extensionPopup")) continue;
  const browser = win.document.getElementById("requestFrame") || win.document.querySelector("browser");
  const spec = browser?.currentURI?.spec || "";
  if (policy && spec.startsWith(policy.getURL(page || "dialog.html"))) return spec;
}
return null;
"""


class ThunderbirdError(AssertionError):
    pass


class Thunderbird:
    """One running Thunderbird with a fresh profile, an account and the add-on."""

    def __init__(self, binary: str, addon: Path | str, smtp_port: int, artifacts: Path, port: int, log: Path):
        """`addon` is a path to install temporarily, or the id of an add-on that
        Thunderbird installs itself (policies.json `ExtensionSettings`)."""
        self.artifacts = artifacts
        self._files = Path(tempfile.mkdtemp(prefix="sendguard-tb-files-"))
        self.downloads = self._files / "downloads"
        self.downloads.mkdir()
        # Saved files (the exported list) land in a folder the test can read.
        prefs = {
            **PREFS,
            "browser.download.dir": str(self.downloads),
            "browser.download.folderList": 2,
            "browser.download.useDownloadDir": True,
        }
        started = time.monotonic()
        self.m = Marionette(
            app="thunderbird",
            bin=binary,
            headless=True,
            prefs=prefs,
            port=port,
            gecko_log=str(log),
            startup_timeout=120,
        )
        self.m.start_session()
        self.m.set_context("chrome")
        self.startup_seconds = time.monotonic() - started
        self.main_window = self.m.current_chrome_window_handle
        self.identity = self._create_account(smtp_port)
        if isinstance(addon, Path):
            self.addon_id = Addons(self.m).install(str(addon), temp=True)
        else:
            self.addon_id = addon
        self.version = self.m.execute_script("return Services.appinfo.version")
        self._wait_for_addon_background()

    # -- setup ------------------------------------------------------------------

    def _create_account(self, smtp_port: int) -> str:
        return self.m.execute_script(
            """
            const [port, name, email] = arguments;
            const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
            const smtp = MailServices.outgoingServer.createServer("smtp").QueryInterface(Ci.nsISmtpServer);
            smtp.hostname = "127.0.0.1";
            smtp.port = port;
            smtp.authMethod = Ci.nsMsgAuthMethod.none;
            smtp.socketType = Ci.nsMsgSocketType.plain;
            const identity = MailServices.accounts.createIdentity();
            identity.fullName = name;
            identity.email = email;
            identity.smtpServerKey = smtp.key;
            identity.doFcc = false;  // no Sent folder: the sink is the only record
            const incoming = MailServices.accounts.createIncomingServer("anna", "example.com", "none");
            const account = MailServices.accounts.createAccount();
            account.incomingServer = incoming;
            account.addIdentity(identity);
            return identity.key;
            """,
            script_args=[smtp_port, *SENDER],
        )

    def _wait_for_addon_background(self, timeout: float = 30) -> None:
        # The add-on's onBeforeSend listener must be registered before the first Send,
        # or that Send would go out unchecked and the test would prove nothing. An
        # event page's listeners are "persistent": Thunderbird records them when the
        # background first runs and wakes the page for them later.
        self.wait(
            lambda: self.m.execute_script(
                """
                const extension = WebExtensionPolicy.getByID(arguments[0])?.extension;
                const listeners = extension?.persistentListeners?.get("compose")?.get("onBeforeSend");
                return !!(listeners && listeners.size > 0);
                """,
                script_args=[self.addon_id],
            ),
            timeout,
            f"the add-on {self.addon_id} to register its onBeforeSend listener",
        )

    # -- generic ----------------------------------------------------------------

    @staticmethod
    def wait(predicate, timeout: float, what: str, interval: float = 0.1):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise ThunderbirdError(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(interval)

    def quit(self) -> None:
        # cleanup() ends the session, stops Thunderbird and deletes the profile now,
        # not in a destructor at interpreter exit.
        self.m.cleanup()
        shutil.rmtree(self._files, ignore_errors=True)

    def create_mailing_list(self, name: str, members: list[tuple[str, str]]) -> None:
        """A mailing list in the personal address book, like a user's customer list."""
        self.m.execute_script(
            """
            const [name, members] = arguments;
            const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
            const book = MailServices.ab.getDirectory("jsaddrbook://abook.sqlite");
            let list = Cc["@mozilla.org/addressbook/directoryproperty;1"].createInstance(Ci.nsIAbDirectory);
            list.isMailList = true;
            list.dirName = name;
            list = book.addMailList(list);
            for (const [displayName, email] of members) {
              let card = Cc["@mozilla.org/addressbook/cardproperty;1"].createInstance(Ci.nsIAbCard);
              card.displayName = displayName;
              card.primaryEmail = email;
              card = book.addCard(card);
              list.addCard(card);
            }
            """,
            script_args=[name, [list(m) for m in members]],
        )

    # -- compose ----------------------------------------------------------------

    def attachment_file(self, name: str, content: bytes) -> Path:
        path = self._files / name
        path.write_bytes(content)
        return path

    def compose(self, to=(), cc=(), bcc=(), subject="Test", body="Hello.\n", attachments=()) -> None:
        """Opens a compose window (plain text) and waits until it is ready."""
        self.close_compose_windows()
        self.m.switch_to_window(self.main_window)
        self.m.execute_script(
            """
            const [to, cc, bcc, subject, body, files, identityKey] = arguments;
            const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
            const fields = Cc["@mozilla.org/messengercompose/composefields;1"].createInstance(Ci.nsIMsgCompFields);
            fields.to = to.join(", ");
            fields.cc = cc.join(", ");
            fields.bcc = bcc.join(", ");
            fields.subject = subject;
            fields.body = body;
            for (const path of files) {
              const file = Cc["@mozilla.org/file/local;1"].createInstance(Ci.nsIFile);
              file.initWithPath(path);
              const attachment = Cc["@mozilla.org/messengercompose/attachment;1"].createInstance(Ci.nsIMsgAttachment);
              attachment.url = Services.io.newFileURI(file).spec;
              attachment.name = file.leafName;
              attachment.size = file.fileSize;
              fields.addAttachment(attachment);
            }
            const params = Cc["@mozilla.org/messengercompose/composeparams;1"].createInstance(Ci.nsIMsgComposeParams);
            params.type = Ci.nsIMsgCompType.New;
            params.format = Ci.nsIMsgCompFormat.PlainText;
            params.identity = MailServices.accounts.getIdentity(identityKey);
            params.composeFields = fields;
            MailServices.compose.OpenComposeWindowWithParams(null, params);
            """,
            script_args=[list(to), list(cc), list(bcc), subject, body, [str(p) for p in attachments], self.identity],
        )
        self.wait(
            lambda: self.m.execute_script(
                """
                const w = Services.wm.getMostRecentWindow("msgcompose");
                return !!(w && w.gLoadingComplete && w.document.readyState == "complete");
                """
            ),
            20,
            "the compose window",
        )

    def switch_encryption_on(self) -> None:
        """What the user's Encrypt toggle leaves behind in the compose window: the
        button checked and `gSendEncrypted` set (the state Thunderbird's compose API
        reports as `selectedEncryptionTechnology.encryptBody`). The test identity has
        no key, so Thunderbird itself would refuse to send; the add-on reads it first."""
        self.m.execute_script(
            """
            const w = Services.wm.getMostRecentWindow("msgcompose");
            w.gSendEncrypted = true;
            w.document.getElementById("button-encryption")?.setAttribute("checked", "true");
            """
        )

    def click_send(self) -> None:
        self.m.execute_script(
            'Services.wm.getMostRecentWindow("msgcompose").goDoCommand("cmd_sendNow");'
        )

    def compose_state(self) -> dict | None:
        """Recipients and attachments of the open compose window, or None."""
        return self.m.execute_script(
            """
            const w = Services.wm.getMostRecentWindow("msgcompose");
            if (!w || w.closed) return null;
            const fields = w.GetComposeDetails();
            const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
            const list = (header) => MailServices.headerParser
              .parseEncodedHeaderW(header || "").map((a) => a.email.toLowerCase());
            return {
              to: list(fields.to), cc: list(fields.cc), bcc: list(fields.bcc),
              subject: fields.subject,
              attachments: [...w.gAttachmentBucket.itemChildren].map((item) => item.attachment.name),
              locked: !!w.gWindowLocked,
            };
            """
        )

    def close_compose_windows(self) -> None:
        self.m.execute_script(
            """
            for (const w of Services.wm.getEnumerator("msgcompose")) {
              w.gContentChanged = false;
              if (w.gMsgCompose) w.gMsgCompose.bodyModified = false;
              w.close();
            }
            """
        )
        self.wait(
            lambda: self.m.execute_script('return !Services.wm.getMostRecentWindow("msgcompose")'),
            10,
            "compose windows to close",
        )

    def terminate_background(self) -> bool:
        """Suspends the add-on's event page as Thunderbird does when it is idle; True
        once it is stopped. The next event (a message from the dialog) wakes it again."""
        return self.m.execute_async_script(
            """
            const [addonId, resolve] = arguments;
            const extension = WebExtensionPolicy.getByID(addonId)?.extension;
            if (!extension || typeof extension.terminateBackground !== "function") { resolve(false); return; }
            extension.terminateBackground({ disableResetIdleForTest: true }).then(
              () => resolve(String(extension.backgroundState ?? "stopped") !== "running"),
              () => resolve(false),
            );
            """,
            script_args=[self.addon_id],
            script_timeout=20000,
        )

    # -- the add-on's dialog ------------------------------------------------------

    def dialog_url(self) -> str | None:
        return self.m.execute_script(FIND_DIALOG_JS, script_args=[self.addon_id])

    def _page_request(self, page: str, request: dict, timeout: float = 10) -> dict:
        """Runs one request of `DIALOG_FRAME_SCRIPT` in the add-on's page `page`
        (dialog.html in its popup, or options.html in a tab)."""
        request = {**request, "requestId": f"{time.monotonic_ns()}"}
        script = DIALOG_FRAME_SCRIPT.replace("REQUEST", json.dumps(request))
        return self.m.execute_async_script(
            """
            const [addonId, page, source, requestId, resolve] = arguments;
            const policy = WebExtensionPolicy.getByID(addonId);
            const prefix = policy ? policy.getURL(page) : null;
            let browser = null;
            for (const win of Services.wm.getEnumerator(null)) {
              const candidates = [...win.document.querySelectorAll("browser")];
              for (const candidate of candidates) {
                if (prefix && candidate.currentURI?.spec.startsWith(prefix)) browser = candidate;
              }
            }
            if (!browser) { resolve({ ok: false, error: "no " + page }); return; }
            const mm = browser.messageManager;
            const listener = (message) => {
              if (message.data.id !== requestId) return;
              mm.removeMessageListener("sendguard-test:result", listener);
              resolve(message.data.result);
            };
            mm.addMessageListener("sendguard-test:result", listener);
            mm.loadFrameScript("data:application/javascript," + encodeURIComponent(source), false);
            """,
            script_args=[self.addon_id, page, script, request["requestId"]],
            script_timeout=int(timeout * 1000),
        )

    def _dialog_request(self, request: dict, timeout: float = 10) -> dict:
        return self._page_request("dialog.html", request, timeout)

    def options_page(self, timeout: float = 20) -> dict:
        """Opens the add-on's options page in a tab and returns what it shows."""
        self.m.switch_to_window(self.main_window)
        self.m.execute_script(
            """
            const url = WebExtensionPolicy.getByID(arguments[0]).getURL("options.html");
            document.getElementById("tabmail").openTab("contentTab", { url });
            """,
            script_args=[self.addon_id],
        )

        def ready():
            state = self._page_request("options.html", {"op": "state"})
            return state if state.get("ok") and state.get("state") == "ready" else None

        state = self.wait(ready, timeout, "the options page", interval=0.2)
        return state

    def screenshot_main_window(self, name: str) -> Path:
        self.m.switch_to_window(self.main_window)
        path = self.artifacts / f"{name}.png"
        path.write_bytes(self.m.screenshot(format="binary"))
        return path

    def dialog_if_ready(self) -> dict | None:
        """What the dialog shows once it is rendered; None before that or without one."""
        if not self.dialog_url():
            return None
        state = self._dialog_request({"op": "state"})
        return state if state.get("ok") and state.get("state") == "ready" else None

    def dialog(self, timeout: float = 20) -> dict:
        """Waits for the dialog to be rendered and returns what it shows."""
        return self.wait(self.dialog_if_ready, timeout, "the sendguard dialog", interval=0.2)

    def dialog_open(self) -> bool:
        return self.dialog_url() is not None

    def dialog_click(self, button_id: str) -> None:
        result = self._dialog_request({"op": "click", "id": button_id})
        if not result.get("ok"):
            raise ThunderbirdError(f"dialog: {result.get('error')}")

    def dialog_type(self, element_id: str, value: str) -> None:
        result = self._dialog_request({"op": "type", "id": element_id, "value": value})
        if not result.get("ok"):
            raise ThunderbirdError(f"dialog: {result.get('error')}")

    # -- the countdown of a held mail (policy `delay`) -------------------------------

    def countdown_open(self) -> bool:
        return self.m.execute_script(FIND_DIALOG_JS, script_args=[self.addon_id, "countdown.html"]) is not None

    def countdown_if_ready(self) -> dict | None:
        """What the countdown window shows once rendered; None before that or without one."""
        if not self.countdown_open():
            return None
        state = self._page_request("countdown.html", {"op": "state"})
        return state if state.get("ok") and state.get("state") == "ready" else None

    def countdown_click(self, button_id: str) -> None:
        result = self._page_request("countdown.html", {"op": "click", "id": button_id})
        if not result.get("ok"):
            raise ThunderbirdError(f"countdown: {result.get('error')}")

    def screenshot_dialog(self, name: str) -> Path:
        """Saves a PNG of the dialog window into the artifacts folder."""
        handle = None
        for candidate in self.m.chrome_window_handles:
            self.m.switch_to_window(candidate)
            if "extensionPopup" in self.m.get_url():
                handle = candidate
        if handle is None:
            self.m.switch_to_window(self.main_window)
            raise ThunderbirdError("no dialog window to screenshot")
        self.m.switch_to_window(handle)
        png = self.m.screenshot(format="binary")
        self.m.switch_to_window(self.main_window)
        path = self.artifacts / f"{name}.png"
        path.write_bytes(png)
        return path


def app_dir_with_policies(install_dir: Path, policies: dict, into: Path) -> Path:
    """A private copy of the Thunderbird install whose distribution/policies.json is
    `policies`: Thunderbird reads enterprise policies from the folder of its binary, so
    the test gets its own folder (symlinks plus a copied binary) instead of writing to
    the system's /usr/lib/thunderbird or /etc/thunderbird.
    """
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    for entry in install_dir.iterdir():
        if entry.name in ("thunderbird", "thunderbird-bin", "distribution"):
            continue
        (into / entry.name).symlink_to(entry)
    # A copy, not a link: the binary finds its folder from its own resolved path.
    shutil.copy2(install_dir / "thunderbird-bin", into / "thunderbird-bin")
    (into / "thunderbird").symlink_to("thunderbird-bin")
    (into / "distribution").mkdir()
    (into / "distribution" / "policies.json").write_text(json.dumps(policies, indent=2))
    return into / "thunderbird"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
