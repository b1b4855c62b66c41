"""SMS: the provider interface, and Twilio's Messages API as its one implementation.

`POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form fields `To`, `From`,
`Body`, HTTP basic auth (account SID, auth token); `201` with the message's `sid`. Twilio
takes no idempotency key on this call, so, like SMTP, the outcome is classified:

* connection refused or timed out while connecting, `429`, `503`: not sent, retried later;
* another `4xx`: refused for good (error `21610`: the number replied STOP — kept as an
  opt-out);
* a read timeout, a dropped connection or another `5xx`: the message may exist — unknown,
  never sent again.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from sync_server.notifications.schemas import NotSent, OutcomeUnknown, Sent

TIMEOUT_SECONDS = 15.0
UNSUBSCRIBED_RECIPIENT = 21610


class SmsProvider(Protocol):
    def send(self, *, to: str, body: str) -> Sent:
        """Send one message; raise `NotSent` or `OutcomeUnknown` when it did not go through."""
        ...


class TwilioSms:
    def __init__(
        self,
        *,
        base_url: str,
        account_sid: str,
        auth_token: str,
        from_number: str,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.from_number = from_number
        self.timeout = timeout

    def send(self, *, to: str, body: str) -> Sent:
        try:
            with httpx.Client(timeout=self.timeout) as client:
                response = client.post(
                    self.url,
                    data={"To": to, "From": self.from_number, "Body": body},
                    auth=self.auth,
                )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise NotSent(f"cannot reach the SMS provider: {exc!r}") from exc
        except httpx.HTTPError as exc:
            raise OutcomeUnknown(
                f"the SMS provider did not answer after the request: {exc!r}"
            ) from exc
        status = response.status_code
        if status in (200, 201):
            try:
                sid = str(response.json().get("sid") or "")
            except ValueError:
                sid = ""
            return Sent(provider_message_id=sid or f"http-{status}")
        detail = _error_detail(response)
        if status in (429, 503):
            raise NotSent(f"the SMS provider is busy ({status}): {detail}")
        if 400 <= status < 500:
            code = _error_code(response)
            raise NotSent(
                f"the SMS provider refused the message ({status}): {detail}",
                permanent=True,
                opted_out=code == UNSUBSCRIBED_RECIPIENT,
            )
        raise OutcomeUnknown(f"the SMS provider failed ({status}) after the request: {detail}")


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return f"{body.get('code')}: {body.get('message')}"
    return str(body)[:200]


def _error_code(response: httpx.Response) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) else None
