"""E-mail over SMTP: one connection per batch, a Japanese subject and text in UTF-8 (headers
encoded as RFC 2047, which Outlook and every current client show correctly), and a
Message-ID fixed per outbox row, so a message sent twice after a crash is recognisably the
same message."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from grants.clock import utcnow
from grants.settings import Settings
from notifications.messages import Notice


def message_id(notice: Notice, settings: Settings) -> str:
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    return f"<notice-{notice.id}@{domain}>"


def compose(notice: Notice, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    name, address = parseaddr(settings.mail_from)
    message["From"] = formataddr((name, address)) if name else address
    message["To"] = notice.email
    message["Subject"] = notice.full_subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id(notice, settings)
    message.set_content(notice.body(settings.base_url), charset="utf-8")
    return message


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
