#!/usr/bin/env python3
"""End-to-end test of the Thunderbird add-on in a real, headless Thunderbird.

Each case composes a mail, clicks Send and asserts on what the local SMTP sink really
received: the proof that a leak is stopped and a fix changes what goes over the wire.

    e2e.py --addon dist/sendguard-thunderbird.xpi        # a built add-on (.xpi or folder)
    e2e.py --checker dist/checker                        # stage from addin-thunderbird/

Run through tests/thunderbird/run.sh, which installs Thunderbird and the Python
packages first. Exit status 0 only if every case ran and passed; zero cases is a failure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
import traceback
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from smtp_sink import SmtpSink
from thunderbird import Thunderbird, app_dir_with_policies, free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SENDER = "anna@example.com"
# How long "nothing was delivered" is watched after the dialog is up; Thunderbird
# talks to 127.0.0.1 in milliseconds, so a mail that went out would be here.
QUIET_SECONDS = 1.5
DELIVERY_TIMEOUT = 30

MZ_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode.\r\n"
THREE_ORGANIZATIONS = ["Bob <bob@one.example>", "carl@two.example", "dora@three.example"]


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def expect_nothing_delivered(sink: SmtpSink, what: str) -> None:
    time.sleep(QUIET_SECONDS)
    delivered = sink.deliveries
    check(not delivered, f"{what}: expected no delivery, the sink got {[d.rcpt_to for d in delivered]}")


def expect_dialog(tb: Thunderbird, sink: SmtpSink) -> dict:
    """Waits for the dialog; a mail that went out instead fails at once."""

    def shown():
        check(not sink.deliveries, "the mail went out without a dialog")
        return tb.dialog_if_ready()

    return tb.wait(shown, 20, "the sendguard dialog", interval=0.2)


def expect_one_delivery(sink: SmtpSink, what: str):
    deliveries = sink.wait_for(1, DELIVERY_TIMEOUT)
    check(len(deliveries) >= 1, f"{what}: nothing was delivered within {DELIVERY_TIMEOUT}s")
    time.sleep(QUIET_SECONDS)
    deliveries = sink.deliveries
    check(len(deliveries) == 1, f"{what}: expected one delivery, got {len(deliveries)}")
    return deliveries[0]


# -- cases with the default policy ---------------------------------------------------


def forty_external_addresses_in_cc_are_moved_to_bcc(tb: Thunderbird, sink: SmtpSink) -> None:
    cc = [f"Person {i} <p{i}@org{i}.example>" for i in range(40)]
    tb.compose(cc=cc, subject="Partner newsletter")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "block", f"verdict {dialog['verdict']}, expected block")
    check("move-to-bcc" in dialog["buttons"], f"no move-to-bcc button: {dialog['buttons']}")
    check("send-anyway" not in dialog["buttons"], "a block without override must not offer Send anyway")
    tb.screenshot_dialog("forty-in-cc-block")
    expect_nothing_delivered(sink, "while the dialog is open")

    tb.dialog_click("move-to-bcc")
    mail = expect_one_delivery(sink, "after Move everyone to BCC and send")
    external = {f"p{i}@org{i}.example" for i in range(40)}
    check(external <= set(mail.rcpt_to), f"envelope lacks {sorted(external - set(mail.rcpt_to))[:5]}")
    visible = set(mail.header_addresses("To", "Cc"))
    check(not (visible & external), f"external addresses visible in To/Cc: {sorted(visible & external)[:5]}")
    check(visible <= {SENDER}, f"To/Cc should hold at most the sender, got {sorted(visible)}")
    check(not mail.header_addresses("Bcc"), "a Bcc header went over the wire")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")


def address_book_list_is_expanded_and_moved_to_bcc(tb: Thunderbird, sink: SmtpSink) -> None:
    members = [(f"Customer {i}", f"c{i}@customer{i}.example") for i in range(30)]
    tb.create_mailing_list("Customers", members)
    tb.compose(to=["Customers <Customers>"], subject="Maintenance on Saturday")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "block", f"verdict {dialog['verdict']}: the list's 30 members were not counted")
    check("30" in dialog["text"], "the dialog does not count the list's 30 members")
    tb.screenshot_dialog("mailing-list-block")
    tb.dialog_click("move-to-bcc")
    mail = expect_one_delivery(sink, "after Move everyone to BCC and send")
    addresses = {email for _, email in members}
    check(addresses <= set(mail.rcpt_to), f"envelope lacks {sorted(addresses - set(mail.rcpt_to))[:5]}")
    visible = set(mail.header_addresses("To", "Cc"))
    check(visible <= {SENDER}, f"To/Cc should hold at most the sender, got {sorted(visible)[:5]}")


def export_saves_the_list_and_sends_nothing(tb: Thunderbird, sink: SmtpSink) -> None:
    cc = [f"p{i}@org{i}.example" for i in range(20)]
    tb.compose(cc=cc, subject="Partner newsletter")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check("export-recipients" in dialog["buttons"], f"no export button: {dialog['buttons']}")
    tb.dialog_click("export-recipients")
    # The dialog reports the path once the download is complete.
    dialog = tb.wait(lambda: (d := tb.dialog_if_ready()) and ".csv" in d["status"] and d, 10, "the export")
    saved = list(tb.downloads.glob("*.csv"))
    check(len(saved) == 1, f"expected one file, got {saved}")
    check(str(saved[0]) in dialog["status"], f"the dialog does not say where: {dialog['status']!r}")
    content = saved[0].read_text()
    check(all(address in content for address in cc), f"the list lacks addresses: {content[:200]}")
    tb.screenshot_dialog("export-saved")
    expect_nothing_delivered(sink, "after the export")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    expect_nothing_delivered(sink, "after Back to editing")


def two_recipient_business_mail_is_sent_without_dialog(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Bob <bob@partner.example>"], cc=["carol@partner.example"], subject="Offer")
    tb.click_send()
    mail = expect_one_delivery(sink, "a normal business mail")
    check(sorted(mail.rcpt_to) == ["bob@partner.example", "carol@partner.example"], f"envelope {mail.rcpt_to}")
    check(not tb.dialog_open(), "a dialog is open for a mail that passes")


def three_organizations_pass_with_the_default_policy(tb: Thunderbird, sink: SmtpSink) -> None:
    # The baseline for the managed-policy case: the same mail, no policies.json.
    tb.compose(to=THREE_ORGANIZATIONS, subject="Meeting")
    tb.click_send()
    mail = expect_one_delivery(sink, "three organizations, default policy")
    check(len(mail.rcpt_to) == 3, f"envelope {mail.rcpt_to}")
    check(not tb.dialog_open(), "a dialog is open for a mail that passes")


def disguised_executable_is_blocked_and_the_draft_kept(tb: Thunderbird, sink: SmtpSink) -> None:
    attachment = tb.attachment_file("invoice.pdf.exe", MZ_EXECUTABLE)
    tb.compose(to=["Bob <bob@partner.example>"], subject="Invoice", attachments=[attachment])
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "block", f"verdict {dialog['verdict']}, expected block")
    check("invoice.pdf.exe" in dialog["text"], "the dialog does not name the attachment")
    check("send-anyway" not in dialog["buttons"], "a block without override must not offer Send anyway")
    tb.screenshot_dialog("disguised-attachment-block")
    expect_nothing_delivered(sink, "while the dialog is open")

    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    expect_nothing_delivered(sink, "after Back to editing")
    state = tb.wait(lambda: (s := tb.compose_state()) and not s["locked"] and s, 10, "the compose window to unlock")
    check(state["to"] == ["bob@partner.example"], f"recipients changed: {state}")
    check(state["attachments"] == ["invoice.pdf.exe"], f"attachments changed: {state}")


def hotmail_recipient_warns_and_send_anyway_delivers(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Bob <bob@partner.example>"], cc=["Private <someone@hotmail.com>"], subject="Photos")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "warn", f"verdict {dialog['verdict']}, expected warn")
    check("send-anyway" in dialog["buttons"], f"no Send anyway for a warning: {dialog['buttons']}")
    check(not dialog["reason_shown"], "a warning must not ask for a reason")
    tb.screenshot_dialog("hotmail-warn")
    # Longer than the profile's event-page idle time (3 s): the background holding the
    # answer must survive while the user reads.
    time.sleep(5)
    check(not sink.deliveries, "delivered while the dialog was open")
    tb.dialog_click("send-anyway")
    mail = expect_one_delivery(sink, "after Send anyway")
    check(sorted(mail.rcpt_to) == ["bob@partner.example", "someone@hotmail.com"], f"envelope {mail.rcpt_to}")


def large_mail_with_forty_exposed_recipients_is_stopped(tb: Thunderbird, sink: SmtpSink) -> None:
    # 101 MiB of attachment: more than the checker's whole input limit. Only a bounded
    # prefix of it goes to the checker, so the recipients are still checked.
    big = tb.attachment_file("archive.bin", bytes(101 * 1024 * 1024))
    cc = [f"Person {i} <p{i}@org{i}.example>" for i in range(40)]
    tb.compose(cc=cc, subject="All the data", attachments=[big])
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "block", f"verdict {dialog['verdict']}, expected block")
    check("visible-recipients" in dialog["rules"], f"not stopped by visible-recipients: {dialog['rules']}")
    tb.screenshot_dialog("large-mail-block")
    expect_nothing_delivered(sink, "a 100 MB+ mail with 40 exposed recipients")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    state = tb.wait(lambda: (s := tb.compose_state()) and not s["locked"] and s, 10, "the compose window to unlock")
    check(len(state["cc"]) == 40, f"recipients changed: {len(state['cc'])}")


def suspended_background_still_sends_the_chosen_fix(tb: Thunderbird, sink: SmtpSink) -> None:
    cc = [f"Person {i} <p{i}@org{i}.example>" for i in range(40)]
    tb.compose(cc=cc, subject="Partner newsletter")
    tb.click_send()
    expect_dialog(tb, sink)
    state = tb.compose_state()
    check(state is not None and not state["locked"], f"the compose window is held while the dialog is open: {state}")
    # Thunderbird suspends the add-on's event page while the user reads.
    stopped = tb.terminate_background()
    check(stopped, "the background could not be suspended")
    check(tb.dialog_open(), "the dialog closed with its background")
    tb.dialog_click("move-to-bcc")
    mail = expect_one_delivery(sink, "after Move everyone to BCC, with the background suspended")
    external = {f"p{i}@org{i}.example" for i in range(40)}
    check(external <= set(mail.rcpt_to), f"envelope lacks {sorted(external - set(mail.rcpt_to))[:5]}")
    visible = set(mail.header_addresses("To", "Cc"))
    check(not (visible & external), f"external addresses visible in To/Cc: {sorted(visible & external)[:5]}")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    tb.wait(lambda: tb.compose_state() is None, 20, "the compose window to close after sending")


def removing_the_only_recipient_sends_nothing_and_keeps_the_window(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Private <someone@hotmail.com>"], subject="Photos")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "warn", f"verdict {dialog['verdict']}, expected warn")
    check("remove-recipient" in dialog["buttons"], f"no remove button: {dialog['buttons']}")
    tb.dialog_click("remove-recipient")
    dialog = tb.wait(lambda: (d := tb.dialog_if_ready()) and d["status"] and d, 10, "the dialog to explain")
    check("recipient" in dialog["status"], f"the dialog does not say why: {dialog['status']!r}")
    expect_nothing_delivered(sink, "after removing the only recipient")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    state = tb.wait(lambda: (s := tb.compose_state()) and not s["locked"] and s, 10, "the compose window to unlock")
    check(state["to"] == ["someone@hotmail.com"], f"the draft changed: {state}")
    expect_nothing_delivered(sink, "after Back to editing")


def lookalike_of_the_senders_domain_is_replaced_and_sent(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Max <max@examp1e.com>", "Bob <bob@partner.example>"], subject="Contract")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "block", f"verdict {dialog['verdict']}: a look-alike of the own domain blocks")
    check("lookalike-recipient" in dialog["rules"], f"not stopped by lookalike-recipient: {dialog['rules']}")
    check(
        "looks like example.com" in dialog["text"] or "sieht aus wie example.com" in dialog["text"],
        "the dialog does not name the domain it resembles",
    )
    check("replace-recipient" in dialog["buttons"], f"no replace button: {dialog['buttons']}")
    tb.screenshot_dialog("lookalike-block")
    expect_nothing_delivered(sink, "while the dialog is open")
    tb.dialog_click("replace-recipient")
    mail = expect_one_delivery(sink, "after Replace")
    check(sorted(mail.rcpt_to) == ["bob@partner.example", "max@example.com"], f"envelope {mail.rcpt_to}")
    check("max@example.com" in mail.header_addresses("To"), "the intended address is not in To")


# -- what the mail carries (issue 14) -------------------------------------------------

MEMBER_LIST_CSV = "Name;E-Mail;Telefon;Strasse\n" + "".join(
    f"Mitglied {i};mitglied{i}@mail{i % 7}.example;+49 30 5550{i:03d};Gartenweg {i}\n" for i in range(25)
)
SICK_NOTE = (
    "Hallo Herr Weber,\n\n"
    "anbei die Arbeitsunfähigkeitsbescheinigung von Frau Jensen bis 4.12.,\n"
    "Diagnose laut Attest: depressive Episode.\n\n"
    "Viele Grüße\nPersonalabteilung\n"
)
SICK_NOTE_FILE = "Arbeitsunfähigkeitsbescheinigung\nPatientin: Maria Jensen\nDiagnose: depressive Episode\n"


def member_list_csv_to_a_print_shop_is_stopped(tb: Thunderbird, sink: SmtpSink) -> None:
    attachment = tb.attachment_file("mitglieder.csv", MEMBER_LIST_CSV.encode())
    tb.compose(to=["Druckerei <auftrag@druckerei-beispiel.example>"], subject="Adressen für den Versand",
               body="Anbei die Liste für den Versand.\n", attachments=[attachment])
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check("personal-data-member-list" in dialog["rules"], f"no member-list finding: {dialog['rules']}")
    check("mitglieder.csv" in dialog["text"], "the dialog does not name the file")
    check("mitglied3@" not in dialog["text"], "the dialog echoes the data")
    tb.screenshot_dialog("member-list-csv")
    expect_nothing_delivered(sink, "while the dialog is open")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    expect_nothing_delivered(sink, "after Back to editing")


def sick_note_to_an_external_address_is_stopped_unencrypted(tb: Thunderbird, sink: SmtpSink) -> None:
    attachment = tb.attachment_file("krankmeldung.txt", SICK_NOTE_FILE.encode())
    tb.compose(to=["Jonas Weber <jonas.weber@partner-werk.example>"], subject="Krankmeldung",
               body=SICK_NOTE, attachments=[attachment])
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    for rule in ("personal-data-special-category", "unprotected-sensitive-data"):
        check(rule in dialog["rules"], f"no {rule} finding: {dialog['rules']}")
    # The test identity has neither OpenPGP nor S/MIME: Thunderbird reports no
    # encryption technology, so the add-on cannot switch it on and does not offer to.
    check("encryption is off" in dialog["text"], "the dialog does not say the mail is unencrypted")
    check("encrypt" not in dialog["buttons"], f"encrypt offered without a key: {dialog['buttons']}")
    check("remove-recipient" in dialog["buttons"], f"no remove-recipient: {dialog['buttons']}")
    tb.screenshot_dialog("sick-note-unencrypted")
    expect_nothing_delivered(sink, "while the dialog is open")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    expect_nothing_delivered(sink, "after Back to editing")


def sick_note_with_encryption_on_is_not_reported_unprotected(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Jonas Weber <jonas.weber@partner-werk.example>"], subject="Krankmeldung", body=SICK_NOTE)
    tb.switch_encryption_on()
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    # The health data is still reported (to an external address); its protection is not.
    check("personal-data-special-category" in dialog["rules"], f"no special-category finding: {dialog['rules']}")
    check("unprotected-sensitive-data" not in dialog["rules"], f"encrypted mail reported unprotected: {dialog['rules']}")
    expect_nothing_delivered(sink, "while the dialog is open")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    expect_nothing_delivered(sink, "after Back to editing")


DEFAULT_POLICY_CASES = [
    lookalike_of_the_senders_domain_is_replaced_and_sent,
    forty_external_addresses_in_cc_are_moved_to_bcc,
    large_mail_with_forty_exposed_recipients_is_stopped,
    suspended_background_still_sends_the_chosen_fix,
    removing_the_only_recipient_sends_nothing_and_keeps_the_window,
    export_saves_the_list_and_sends_nothing,
    address_book_list_is_expanded_and_moved_to_bcc,
    two_recipient_business_mail_is_sent_without_dialog,
    three_organizations_pass_with_the_default_policy,
    disguised_executable_is_blocked_and_the_draft_kept,
    hotmail_recipient_warns_and_send_anyway_delivers,
    member_list_csv_to_a_print_shop_is_stopped,
    sick_note_to_an_external_address_is_stopped_unencrypted,
    sick_note_with_encryption_on_is_not_reported_unprotected,
]

# -- cases with IT's rollout: policies.json installs the add-on and sets the policy ----

LOWER_THRESHOLD = {"visible_recipients": {"warn_parties": 2}}
# A company that stops mail when the check fails, served from its policy URL.
FAIL_CLOSED_COMPANY = {"on_checker_error": "fail-closed", "visible_recipients": {"warn_parties": 2}}
HOTEL_LOGIN_PAGE = b"<html><body><form>Please log in to the hotel Wi-Fi</form></body></html>"
BROKEN_POLICY = {"on_checker_error": "fail-closed", "visible_recipents": {"warn_parties": 2}}


def managed_policy_lowers_the_threshold(tb: Thunderbird, sink: SmtpSink) -> None:
    # The same mail passed with the default policy (see the case above).
    tb.compose(to=THREE_ORGANIZATIONS, subject="Meeting")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "warn", f"verdict {dialog['verdict']}, expected warn from the managed policy")
    tb.screenshot_dialog("managed-policy-warn")
    expect_nothing_delivered(sink, "while the dialog is open")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    expect_nothing_delivered(sink, "after Back to editing")


def options_page_shows_the_managed_policy(tb: Thunderbird, sink: SmtpSink) -> None:
    page = tb.options_page()
    check("policies.json" in page["text"], f"the source is not named: {page['text'][:300]!r}")
    check('"warn_parties": 2' in page["text"], "the active policy is not shown")
    check(page["controls"] == 0, "the options page must offer nothing that could change the policy")
    tb.screenshot_main_window("options-managed-policy")


def broken_policy_fails_closed_and_keeps_the_draft(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Bob <bob@partner.example>"], subject="Offer")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "error", f"expected the failure dialog, got {dialog['verdict']}")
    check("visible_recipents" in dialog["text"], f"the dialog does not say what is wrong: {dialog['text'][:300]!r}")
    check(list(dialog["buttons"]) == ["back"], f"a failed check offers only Back: {dialog['buttons']}")
    tb.screenshot_dialog("broken-policy-fail-closed")
    expect_nothing_delivered(sink, "with a broken policy and fail-closed")
    tb.dialog_click("back")
    state = tb.wait(lambda: (s := tb.compose_state()) and not s["locked"] and s, 10, "the compose window to unlock")
    check(state["to"] == ["bob@partner.example"], f"the draft changed: {state}")


class PolicyServer:
    """IT's policy URL on 127.0.0.1. It records every request it gets: the add-on's
    only network traffic must be fetching the policy. `answer_html()` turns it into a
    hotel Wi-Fi that answers every request with its login page (200, text/html)."""

    def __init__(self, policy: dict) -> None:
        self.body = json.dumps(policy).encode()
        self.content_type = "application/json"
        requests = self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                requests.append((self.command, self.path))
                if self.path != "/policy.json":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", server.content_type)
                # The add-on has no host permissions, so its fetch is a CORS request:
                # the policy server must allow it (addin-thunderbird/README.md).
                self.send_header("Access-Control-Allow-Origin", "*")
                # Fresh for no time: every Send asks again (so the test sees each answer).
                self.send_header("Cache-Control", "max-age=0")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/policy.json"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def answer_html(self) -> None:
        self.body = HOTEL_LOGIN_PAGE
        self.content_type = "text/html"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


POLICY_SERVER: PolicyServer | None = None


def policy_url_lowers_the_threshold(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=THREE_ORGANIZATIONS, subject="Meeting")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(dialog["verdict"] == "warn", f"verdict {dialog['verdict']}, expected warn from the policy URL")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    expect_nothing_delivered(sink, "after Back to editing")
    check(POLICY_SERVER.requests and set(POLICY_SERVER.requests) == {("GET", "/policy.json")}, f"requests to IT's server: {POLICY_SERVER.requests}")


def fail_closed_company_keeps_the_mail_when_the_policy_url_answers_html(tb: Thunderbird, sink: SmtpSink) -> None:
    # The company's policy (fail-closed, warn from two parties) was accepted on the Send
    # before (policy_url_lowers_the_threshold). Now a hotel Wi-Fi answers the URL.
    asked = len(POLICY_SERVER.requests)
    POLICY_SERVER.answer_html()
    tb.compose(to=THREE_ORGANIZATIONS, subject="Meeting")
    tb.click_send()
    dialog = expect_dialog(tb, sink)
    check(len(POLICY_SERVER.requests) > asked, "the policy URL was not asked again")
    check(dialog["verdict"] == "warn", f"verdict {dialog['verdict']}: the last good policy no longer applies")
    tb.screenshot_dialog("policy-url-html-keeps-last-good")
    expect_nothing_delivered(sink, "with the policy URL answering a login page")
    tb.dialog_click("back")
    tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
    state = tb.wait(lambda: (s := tb.compose_state()) and not s["locked"] and s, 10, "the compose window to unlock")
    check(len(state["to"]) == 3, f"the draft changed: {state}")
    expect_nothing_delivered(sink, "after Back to editing")


# -- the delivery delay (policy `delay`): held in a countdown, stopped or sent ----------

DELAY_SECONDS = 8
DELAY_POLICY = {"delay": {"seconds": DELAY_SECONDS}}


def expect_countdown(tb: Thunderbird, sink: SmtpSink) -> dict:
    def shown():
        check(not sink.deliveries, "the held mail went out before its countdown")
        return tb.countdown_if_ready()

    return tb.wait(shown, 20, "the countdown window", interval=0.2)


def held_mail_is_stopped_and_never_arrives(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Bob <bob@partner.example>"], subject="Offer")
    tb.click_send()
    countdown = expect_countdown(tb, sink)
    check(countdown["verdict"] == "countdown", f"not the countdown: {countdown}")
    check("stop" in countdown["buttons"] and "send-now" in countdown["buttons"], f"buttons {countdown['buttons']}")
    check("0:0" in countdown["title"], f"no time left shown: {countdown['title']!r}")
    tb.screenshot_dialog("delay-countdown")
    state = tb.compose_state()
    check(state is not None and not state["locked"], f"the compose window is not open and free during the countdown: {state}")
    tb.countdown_click("stop")
    tb.wait(lambda: not tb.countdown_open(), 10, "the countdown to close")
    # Past the end of the countdown, and then some: nothing may arrive.
    time.sleep(DELAY_SECONDS + 1)
    expect_nothing_delivered(sink, "after Stop")
    state = tb.wait(lambda: (s := tb.compose_state()) and not s["locked"] and s, 10, "the compose window")
    check(state["to"] == ["bob@partner.example"], f"the draft changed: {state}")


def held_mail_arrives_after_the_delay(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Bob <bob@partner.example>"], subject="Offer")
    clicked = time.monotonic()
    tb.click_send()
    expect_countdown(tb, sink)
    deliveries = sink.wait_for(1, DELAY_SECONDS + DELIVERY_TIMEOUT)
    arrived = time.monotonic() - clicked
    check(len(deliveries) == 1, f"nothing was delivered within {DELAY_SECONDS + DELIVERY_TIMEOUT}s of Send")
    check(arrived >= DELAY_SECONDS, f"delivered {arrived:.1f}s after Send, before the {DELAY_SECONDS}s delay")
    check(deliveries[0].rcpt_to == ["bob@partner.example"], f"envelope {deliveries[0].rcpt_to}")
    print(f"    held mail arrived {arrived:.1f}s after Send (delay {DELAY_SECONDS}s)", flush=True)
    time.sleep(QUIET_SECONDS)
    check(len(sink.deliveries) == 1, f"sent more than once: {len(sink.deliveries)}")
    tb.wait(lambda: not tb.countdown_open(), 10, "the countdown to close")
    tb.wait(lambda: tb.compose_state() is None, 20, "the compose window to close after sending")


def internal_mail_is_not_held(tb: Thunderbird, sink: SmtpSink) -> None:
    tb.compose(to=["Carl <carl@example.com>"], subject="Lunch")
    tb.click_send()
    mail = expect_one_delivery(sink, "an internal mail under the external delay")
    check(mail.rcpt_to == ["carl@example.com"], f"envelope {mail.rcpt_to}")
    check(not tb.countdown_open(), "a countdown for internal mail")


def rollout_policies(xpi: Path, addon_id: str, extension_policy: dict) -> dict:
    """IT's example policies.json, with the add-on from `xpi` and this policy."""
    example = json.loads((ROOT / "addin-thunderbird" / "policies.example.json").read_text())
    policies = example["policies"]
    check(list(policies["ExtensionSettings"]) == [addon_id], "policies.example.json names another add-on id")
    policies["ExtensionSettings"][addon_id]["install_url"] = xpi.as_uri()
    policies["3rdparty"]["Extensions"][addon_id] = extension_policy
    return example


def addon_id_of(addon: Path) -> str:
    if addon.is_dir():
        manifest = json.loads((addon / "manifest.json").read_text())
    else:
        with zipfile.ZipFile(addon) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    return manifest["browser_specific_settings"]["gecko"]["id"]


# -- runner --------------------------------------------------------------------------


def run_cases(label, tb, sink, cases, results):
    print(f"Thunderbird {tb.version} ({label}) started in {tb.startup_seconds:.1f}s", flush=True)
    for case in cases:
        sink.clear()
        started = time.monotonic()
        try:
            case(tb, sink)
            outcome, detail = "ok", ""
        except Exception as error:  # every failure is reported, then the next case runs
            outcome, detail = "FAIL", "".join(traceback.format_exception(error))
            try:
                tb.screenshot_dialog(f"failed-{case.__name__}")
            except Exception:
                pass
        finally:
            cleanup_between_cases(tb)
        elapsed = time.monotonic() - started
        results.append((case.__name__, outcome, elapsed))
        print(f"  {outcome:<4} {case.__name__} ({elapsed:.1f}s)", flush=True)
        if detail:
            print(detail, flush=True)


def cleanup_between_cases(tb: Thunderbird) -> None:
    try:
        if tb.dialog_open():
            tb.dialog_click("back")
            tb.wait(lambda: not tb.dialog_open(), 10, "the dialog to close")
        if tb.countdown_open():
            tb.countdown_click("stop")
            tb.wait(lambda: not tb.countdown_open(), 10, "the countdown to close")
        tb.close_compose_windows()
    except Exception as error:
        print(f"  (cleanup: {error})", flush=True)


def stage_addon(checker: Path, into: Path) -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "addin-thunderbird" / "pack.py"), "--checker", str(checker), "--out-dir", str(into)],
        check=True,
    )
    return into


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Thunderbird end-to-end test")
    parser.add_argument("--addon", type=Path, help="the built add-on: .xpi or unpacked folder")
    parser.add_argument("--checker", type=Path, help="checker package to stage addin-thunderbird/ with")
    parser.add_argument("--thunderbird", type=Path, default=Path("/usr/lib/thunderbird"), help="install folder")
    parser.add_argument("--artifacts", type=Path, default=ROOT / "tests" / "artifacts" / "thunderbird")
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "thunderbird-e2e")
    parser.add_argument("-k", dest="only", help="run only cases whose name contains this")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    args.artifacts.mkdir(parents=True, exist_ok=True)
    for old in args.artifacts.glob("*.png"):
        old.unlink()
    if args.addon:
        addon = args.addon.resolve()
    elif args.checker:
        addon = stage_addon(args.checker.resolve(), args.work / "addon")
    else:
        parser.error("give --addon (built add-on) or --checker (checker package to stage with)")
    if not addon.exists():
        parser.error(f"{addon} does not exist")

    selected = lambda cases: [c for c in cases if not args.only or args.only in c.__name__]
    addon_id = addon_id_of(addon)
    if addon.is_dir():
        sys.path.insert(0, str(ROOT / "addin-thunderbird"))
        from pack import zip_dir

        xpi = args.work / "sendguard-thunderbird.xpi"
        zip_dir(addon, xpi)
    else:
        xpi = addon
    results: list[tuple[str, str, float]] = []
    started = time.monotonic()
    sink = SmtpSink()
    global POLICY_SERVER
    POLICY_SERVER = PolicyServer(FAIL_CLOSED_COMPANY)
    try:
        runs = [
            # The add-on installed temporarily into an ordinary Thunderbird.
            ("default policy", args.thunderbird / "thunderbird", addon, None, selected(DEFAULT_POLICY_CASES)),
            # IT's rollout: Thunderbird installs the .xpi itself from policies.json.
            ("managed policy", None, addon_id, {"policy": LOWER_THRESHOLD}, selected([managed_policy_lowers_the_threshold, options_page_shows_the_managed_policy])),
            ("policy URL", None, addon_id, {"policy_url": POLICY_SERVER.url}, selected([policy_url_lowers_the_threshold, fail_closed_company_keeps_the_mail_when_the_policy_url_answers_html])),
            # A typo in IT's policy: the checker rejects it, the policy's fail mode holds.
            ("broken policy", None, addon_id, {"policy": BROKEN_POLICY}, selected([broken_policy_fails_closed_and_keeps_the_draft])),
            ("delay policy", None, addon_id, {"policy": DELAY_POLICY}, selected([held_mail_is_stopped_and_never_arrives, held_mail_arrives_after_the_delay, internal_mail_is_not_held])),
        ]
        for label, binary, installed, extension_policy, cases in runs:
            if not cases:
                continue
            if extension_policy is not None:
                policies = rollout_policies(xpi, addon_id, extension_policy)
                binary = app_dir_with_policies(args.thunderbird, policies, args.work / "thunderbird-policies")
            log = args.artifacts / f"gecko-{label.replace(' ', '-')}.log"
            tb = Thunderbird(str(binary), installed, sink.port, args.artifacts, free_port(), log)
            try:
                run_cases(label, tb, sink, cases, results)
            finally:
                tb.quit()
    finally:
        sink.close()
        POLICY_SERVER.close()

    failed = [name for name, outcome, _ in results if outcome != "ok"]
    print(f"\nthunderbird e2e: {len(results) - len(failed)} passed, {len(failed)} failed, "
          f"{time.monotonic() - started:.1f}s; screenshots in {args.artifacts}")
    if not results:
        print("thunderbird e2e: no case ran", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
