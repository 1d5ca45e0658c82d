"""A minimal SMTP server of the test's own, keeping every message it accepts as raw text (what a mail provider
receives, header lines and all)."""

from __future__ import annotations

import socketserver
import threading
import time


class SmtpSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server that keeps every message it accepts: (recipients, raw message)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.raw: list[bytes] = []  # each message's bytes as received (after the SMTP dot-unstuffing)
        self.lock = threading.Lock()
        self.delay = 0.0  # seconds to wait before accepting a message's data (to kill a worker mid-send)
        super().__init__(("127.0.0.1", 0), SmtpHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb in ("HELO", "NOOP"):
                self.reply("250 OK")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                time.sleep(self.server.delay)
                raw = b"".join(lines)
                with self.server.lock:
                    self.server.messages.append((recipients, raw.decode(errors="replace")))
                    self.server.raw.append(raw)
                self.reply("250 queued")
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")
