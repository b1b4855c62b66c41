"""Email by SMTP (the standard library's smtplib), one connection per message.

SMTP has no idempotency key, so the sender tells its caller exactly how far a message got:

* Anything that fails before the server answers ``354`` to ``DATA`` (connect, TLS, login,
  ``MAIL FROM``, ``RCPT TO``, ``DATA`` itself) means the message was certainly not taken:
  `NotSent` (permanent for a 5xx answer, so it is not retried).
* Once the message body is on the wire, only the server's answer to the final ``.`` says what
  happened: 250 is `Sent`; any other code is a refusal (`NotSent`); a broken connection or a
  timeout while waiting for it is `OutcomeUnknown` — the server may have queued the message.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate

from sync_server.notifications.schemas import NotSent, OutcomeUnknown, Sent

TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    from_address: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = TIMEOUT_SECONDS


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    to: str
    from_name: str
    subject: str
    text: str
    html: str
    message_id: str
    headers: tuple[tuple[str, str], ...] = ()


def build_message(config: SmtpConfig, outgoing: OutgoingEmail) -> bytes:
    """A multipart/alternative message (text, then HTML), CRLF line ends, 7-bit transfer."""
    message = EmailMessage(policy=SMTP)
    message["From"] = formataddr((outgoing.from_name, config.from_address))
    message["To"] = outgoing.to
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = outgoing.message_id
    for name, value in outgoing.headers:
        message[name] = value
    message.set_content(outgoing.text, cte="quoted-printable")
    message.add_alternative(outgoing.html, subtype="html", cte="quoted-printable")
    return message.as_bytes()


def _dot_stuffed(payload: bytes) -> bytes:
    """The DATA body: lines starting with '.' doubled (RFC 5321 4.5.2), then the end marker."""
    body = re.sub(rb"(?m)^\.", b"..", payload)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _refused(stage: str, code: int, reply: bytes) -> NotSent:
    text = reply.decode(errors="replace")
    return NotSent(f"the mail server refused {stage}: {code} {text}", permanent=code >= 500)


class SmtpSender:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, outgoing: OutgoingEmail) -> Sent:
        payload = build_message(self.config, outgoing)
        config = self.config
        try:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            where = f"{config.host}:{config.port}"
            raise NotSent(f"cannot reach the mail server {where}: {exc}") from exc
        delivered = False
        try:
            try:
                smtp.ehlo()
                if config.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if config.user:
                    smtp.login(config.user, config.password or "")
                code, reply = smtp.mail(config.from_address)
                if code != 250:
                    raise _refused("the sender", code, reply)
                code, reply = smtp.rcpt(outgoing.to)
                if code not in (250, 251):
                    raise _refused(f"the recipient {outgoing.to}", code, reply)
                smtp.putcmd("data")
                code, reply = smtp.getreply()
                if code != 354:
                    raise _refused("DATA", code, reply)
            except smtplib.SMTPAuthenticationError as exc:
                raise NotSent(f"the mail server refused the login: {exc}") from exc
            except (OSError, smtplib.SMTPException) as exc:
                raise NotSent(f"the mail server connection failed before sending: {exc}") from exc
            # From here on the message may reach the server: no retry without an answer.
            try:
                smtp.send(_dot_stuffed(payload))
                code, reply = smtp.getreply()
            except (OSError, smtplib.SMTPException) as exc:
                raise OutcomeUnknown(
                    f"the connection broke after the message was sent, before the server "
                    f"confirmed it: {exc}"
                ) from exc
            if code != 250:
                raise _refused("the message", code, reply)
            delivered = True
            return Sent(provider_message_id=reply.decode(errors="replace")[:200] or "250")
        finally:
            _close(smtp, politely=delivered)


def _close(smtp: smtplib.SMTP, *, politely: bool) -> None:
    try:
        if politely:
            smtp.quit()
        else:
            smtp.close()
    except (OSError, smtplib.SMTPException):
        smtp.close()
