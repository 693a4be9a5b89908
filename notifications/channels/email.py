"""E-mail over SMTP: one connection per batch, a Japanese subject and text in UTF-8 (headers
as RFC 2047 encoded words and the text in base64, which Outlook and every current client
show correctly and no relay mangles), and a Message-ID fixed per outbox row, so a message
sent twice after a crash is recognisably the same message.

A message is built with the email package's compat32 API and sent as bytes: the newer
``EmailMessage`` re-parses and re-folds every header each time it is written, which cost
more than the whole SMTP conversation with a local server (bench/reminders.py)."""

import smtplib
import ssl
from dataclasses import dataclass
from email.charset import BASE64, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache

from grants.core.clock import JST, utcnow
from grants.core.settings import Settings
from notifications.messages import Notice

_UTF8 = Charset("utf-8")
_UTF8.header_encoding = BASE64
_UTF8.body_encoding = BASE64
_WIRE = compat32.clone(linesep="\r\n")  # SMTP's line ends


@dataclass(frozen=True)
class Outgoing:
    """One message ready for the wire: the envelope and the bytes."""

    sender: str
    recipient: str
    data: bytes


@lru_cache(maxsize=8)
def _sender(mail_from: str) -> tuple[str, str, str]:
    """The From header, the envelope sender and the domain of Message-IDs, worked out once."""
    name, address = parseaddr(mail_from)
    header = formataddr((name, address), charset=_UTF8) if name else address
    return header, address, address.rpartition("@")[2] or "localhost"


def message_id(notice: Notice, settings: Settings) -> str:
    return f"<notice-{notice.id}@{_sender(settings.mail_from)[2]}>"


def compose(notice: Notice, settings: Settings) -> Outgoing:
    # Text is encoded in its canonical form, with CRLF line ends (RFC 2045).
    text = notice.body(settings.base_url).replace("\r\n", "\n").replace("\n", "\r\n")
    message = MIMEText(text, "plain", _UTF8)
    from_header, address, _domain = _sender(settings.mail_from)
    message["From"] = from_header
    message["To"] = notice.email
    message["Subject"] = Header(notice.full_subject, _UTF8)
    message["Date"] = format_datetime(utcnow().astimezone(JST))
    message["Message-ID"] = message_id(notice, settings)
    return Outgoing(sender=address, recipient=notice.email, data=message.as_bytes(policy=_WIRE))


def send(smtp: smtplib.SMTP, outgoing: Outgoing) -> None:
    smtp.sendmail(outgoing.sender, [outgoing.recipient], outgoing.data)


def connect(settings: Settings) -> smtplib.SMTP:
    """An open, logged-in connection, or an OSError/SMTPException when the server is away."""
    timeout = settings.smtp_timeout_seconds
    if settings.smtp_ssl:
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password or "")
    return smtp
