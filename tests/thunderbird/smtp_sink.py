"""A local SMTP server for the end-to-end test: it accepts every message on
127.0.0.1 and records what really went over the wire (envelope and raw message).

Plain sockets and threads, no `smtpd` (gone from Python 3.12): Thunderbird speaks
ordinary ESMTP without TLS or AUTH to it, which is all this needs to understand.
"""

from __future__ import annotations

import socketserver
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses


@dataclass
class Delivery:
    """One message as the server received it."""

    mail_from: str
    rcpt_to: list[str]
    data: bytes
    received_at: float = field(default_factory=time.monotonic)

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)

    def header_addresses(self, *names: str) -> list[str]:
        """Lower-cased addresses in the named headers (To, Cc, Bcc …)."""
        values = [str(v) for n in names for v in self.message.get_all(n, [])]
        return [addr.lower() for _, addr in getaddresses(values) if addr]


class _Session(socketserver.StreamRequestHandler):
    server: "_Server"

    def _reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode("ascii"))
        self.wfile.flush()

    def handle(self) -> None:
        mail_from, rcpt_to = "", []
        self._reply("220 sendguard-sink ESMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                # Announce only what the sink really does: 8BITMIME and SMTPUTF8 keep
                # Thunderbird from re-encoding; no AUTH, no STARTTLS.
                if verb == "EHLO":
                    self._reply("250-sendguard-sink")
                    self._reply("250-8BITMIME")
                    self._reply("250 SMTPUTF8")
                else:
                    self._reply("250 sendguard-sink")
            elif verb == "MAIL":
                mail_from, rcpt_to = _angle(line), []
                self._reply("250 OK")
            elif verb == "RCPT":
                rcpt_to.append(_angle(line).lower())
                self._reply("250 OK")
            elif verb == "DATA":
                if not rcpt_to:
                    self._reply("503 need RCPT first")
                    continue
                self._reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.record(Delivery(mail_from, rcpt_to, b"".join(lines)))
                mail_from, rcpt_to = "", []
                self._reply("250 OK queued")
            elif verb == "RSET":
                mail_from, rcpt_to = "", []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 command not implemented")


def _angle(line: str) -> str:
    start, end = line.find("<"), line.rfind(">")
    return line[start + 1 : end] if 0 <= start < end else line.split(":", 1)[-1].strip()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.deliveries: list[Delivery] = []
        self.changed = threading.Condition()

    def record(self, delivery: Delivery) -> None:
        with self.changed:
            self.deliveries.append(delivery)
            self.changed.notify_all()


class SmtpSink:
    """Start with `SmtpSink()`; `port` is a free port chosen by the OS."""

    def __init__(self) -> None:
        self._server = _Server()
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def deliveries(self) -> list[Delivery]:
        with self._server.changed:
            return list(self._server.deliveries)

    def clear(self) -> None:
        with self._server.changed:
            self._server.deliveries.clear()

    def wait_for(self, count: int, timeout: float) -> list[Delivery]:
        """Waits until at least `count` messages arrived; returns all of them."""
        deadline = time.monotonic() + timeout
        with self._server.changed:
            while len(self._server.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._server.changed.wait(left)
            return list(self._server.deliveries)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
