"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the e-mail
tests and the delivery benchmark."""

import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: every accepted message, parsed, with its envelope recipients."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.delay = delay
        self.refuse_from: int | None = None  # refuse every message from this count on
        self.hold_at: int | None = None  # hold this message unanswered until released
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # a slow server: the client waits for its answer
        if self.hold_at is not None and len(self.messages) == self.hold_at:
            self.holding.set()
            self.release.wait(30)  # the sender dies meanwhile; this message was never taken
            return "451 try again later"
        with self.lock:
            if self.refuse_from is not None and len(self.messages) >= self.refuse_from:
                return "451 try again later"
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def ids(self) -> list[str]:
        return [message["Message-ID"] for _, message in self.messages]


class SmtpServer:
    """Start, stop and start again on the same port, as a mail server that goes away."""

    def __init__(self, inbox: Inbox | None = None) -> None:
        self.inbox = inbox or Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> "SmtpServer":
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
