"""Console accounts against the real database: an owner invited by email (real SMTP on
loopback) sets a password once and signs in; sessions resolve to their shop only and end
everywhere at once; failed sign-ins are counted in PostgreSQL per account and per address;
the application role reads no hash; operators' TOTP codes are used once; scrypt parameters
are raised on sign-in."""

from __future__ import annotations

import base64
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import ProgrammingError

from sync_server.accounts import passwords, totp
from sync_server.accounts import service as accounts
from sync_server.accounts import tasks as account_tasks
from sync_server.accounts.schemas import Invitation, SignedIn
from sync_server.config import Settings
from sync_server.db import app_engine, tenant_transaction
from sync_server.kit.errors import TooManyRequests, Unauthorized
from sync_server.notifications.email import SmtpConfig, SmtpSender
from sync_server.notifications.service import Channels
from sync_server.tenants.schemas import Tenant
from tests.support.smtp_server import SmtpServer
from tests.support.sync_server_live import run_jobs
from tests.support.sync_server_tenants import create_tenant

PASSWORD = "tram lantern pebble 42"
CONSOLE = "https://console.example.test"


def new_email(label: str = "owner") -> str:
    """An address no other test uses (failures are counted per address in the database)."""
    return f"{label}-{secrets.token_hex(4)}@example.test"


def new_client() -> str:
    return f"198.51.100.{secrets.randbelow(250) + 1}#{secrets.token_hex(3)}"


@pytest.fixture
def limits(app_db: Engine) -> accounts.SignInLimits:
    return accounts.SignInLimits.on(app_db)


def invite(settings: Settings, app_db: Engine, tenant: Tenant, email: str) -> str:
    """Invite without email (`--print-link`) and return the token of the link."""
    with tenant_transaction(app_db, tenant.id) as conn:
        invited = accounts.invite_owner(
            conn, key=settings.token_hmac_key, tenant=tenant, email=email,
            public_base_url=CONSOLE, send_email=False,
        )  # fmt: skip
    return invited.link.partition("token=")[2]


def set_password(settings: Settings, app_db: Engine, token: str, password: str = PASSWORD) -> None:
    with app_db.begin() as conn:
        accounts.set_password(conn, key=settings.token_hmac_key, token=token, password=password)


def sign_in(
    settings: Settings, engine: Engine, limits: accounts.SignInLimits, email: str,
    password: str = PASSWORD, *, client: str = "203.0.113.9", **options: object,
) -> SignedIn:  # fmt: skip
    with engine.begin() as conn:
        return accounts.sign_in(
            conn, key=settings.token_hmac_key, limits=limits, email=email, password=password,
            client=client, **options,  # type: ignore[arg-type]
        )  # fmt: skip


def owner(settings: Settings, app_db: Engine, tenant: Tenant) -> str:
    """A new owner of `tenant` with PASSWORD set; their email."""
    email = new_email()
    set_password(settings, app_db, invite(settings, app_db, tenant, email))
    return email


@pytest.fixture
def admin(settings: Settings) -> Iterator[Engine]:
    engine = create_engine(settings.admin_database_url)
    yield engine
    engine.dispose()


def test_invited_owner_gets_the_link_by_email_sets_a_password_and_signs_out_everywhere(
    fresh_settings: Settings, smtp: SmtpServer
) -> None:
    settings = fresh_settings
    shop = create_tenant(settings)
    app = app_engine(settings)
    try:
        with tenant_transaction(app, shop.id) as conn:
            invited = accounts.invite_owner(
                conn, key=settings.token_hmac_key, tenant=shop, email="  Mariana@Example.TEST ",
                public_base_url=CONSOLE,
            )  # fmt: skip
        assert invited.email == "mariana@example.test"
        sender = SmtpSender(SmtpConfig(smtp.host, smtp.port, "console@counterpos.test", timeout=5))
        run_jobs(settings, Channels(email=sender, sms=None, public_url=None, link_key=b""))

        [mail] = smtp.handler.received()
        assert mail.rcpt_tos == ["mariana@example.test"]
        message = mail.message
        assert message["Subject"] == "Your Counter POS console for Test Shop"
        body = message.get_body(("plain",))
        assert body is not None
        found = re.search(
            rf"{re.escape(CONSOLE)}/console/set-password\?token=(\S+)", body.get_content()
        )
        assert found is not None
        token = found.group(1)
        assert token.startswith("cps_inv_")
        with tenant_transaction(app, shop.id) as conn:
            status = conn.execute(text("SELECT email_status FROM owner_invitations")).scalar_one()
        assert status == "sent"

        set_password(settings, app, token)
        limits = accounts.SignInLimits.on(app)
        first = sign_in(settings, app, limits, "mariana@example.test")
        assert (first.session.kind, first.session.tenant_id) == ("owner", shop.id)
        assert first.session.account_id == invited.account_id
        second = sign_in(settings, app, limits, "MARIANA@example.test")

        with app.begin() as conn:
            resolved = accounts.resolve_session(
                conn, key=settings.token_hmac_key, token=first.token
            )
            scoped = conn.execute(text("SELECT current_setting('app.tenant_id')")).scalar_one()
        assert resolved.account_id == invited.account_id
        assert scoped == str(shop.id)

        with app.begin() as conn:
            ended = accounts.sign_out_everywhere(
                conn, key=settings.token_hmac_key, token=second.token
            )
        assert ended == 2
        for signed in (first, second):
            with app.begin() as conn, pytest.raises(Unauthorized, match="signed out"):
                accounts.resolve_session(conn, key=settings.token_hmac_key, token=signed.token)
    finally:
        app.dispose()


def test_a_link_works_once_and_not_after_it_expires(
    settings: Settings, app_db: Engine, admin: Engine, tenant: Tenant
) -> None:
    email = new_email()
    token = invite(settings, app_db, tenant, email)
    set_password(settings, app_db, token)
    with pytest.raises(Unauthorized, match="already used or has expired"):
        set_password(settings, app_db, token, "another long passphrase")

    expired = invite(settings, app_db, tenant, email)
    with admin.begin() as conn:
        conn.execute(
            text("UPDATE owner_invitations SET expires_at = now() - interval '1 second' "
                 "WHERE tenant_id = :t AND used_at IS NULL"),
            {"t": tenant.id},
        )  # fmt: skip
    with pytest.raises(Unauthorized, match="already used or has expired"):
        set_password(settings, app_db, expired, "another long passphrase")
    with pytest.raises(Unauthorized, match="not valid"):
        set_password(settings, app_db, "cps_dev_" + expired[8:], "another long passphrase")
    with pytest.raises(accounts.WeakPasswordRefused, match="too short"):
        set_password(settings, app_db, invite(settings, app_db, tenant, email), "hunter2")


def test_a_new_invitation_ends_the_older_unused_link(
    settings: Settings, app_db: Engine, tenant: Tenant
) -> None:
    """One live link per owner: inviting again (a lost email, a second click) retires the
    earlier link, so two set-password links for one account never work at once."""
    email = new_email()
    first = invite(settings, app_db, tenant, email)
    second = invite(settings, app_db, tenant, email)
    with pytest.raises(Unauthorized, match="already used or has expired"):
        set_password(settings, app_db, first)
    set_password(settings, app_db, second)
    other = invite(settings, app_db, tenant, new_email())  # another owner's link is untouched
    set_password(settings, app_db, other)


def test_setting_a_password_again_signs_the_old_sessions_out(
    settings: Settings, app_db: Engine, limits: accounts.SignInLimits, tenant: Tenant
) -> None:
    email = owner(settings, app_db, tenant)
    signed = sign_in(settings, app_db, limits, email)
    set_password(
        settings, app_db, invite(settings, app_db, tenant, email), "a brand new passphrase"
    )
    with app_db.begin() as conn, pytest.raises(Unauthorized):
        accounts.resolve_session(conn, key=settings.token_hmac_key, token=signed.token)
    with pytest.raises(Unauthorized, match=accounts.REFUSED):
        sign_in(settings, app_db, limits, email)
    assert (
        sign_in(settings, app_db, limits, email, "a brand new passphrase").session.kind == "owner"
    )


def test_wrong_passwords_are_counted_per_account_in_postgresql_across_engines(
    settings: Settings, app_db: Engine, admin: Engine, tenant: Tenant
) -> None:
    email = owner(settings, app_db, tenant)
    other = app_engine(settings)  # a second pool, as a second server process has
    try:
        on_one = accounts.SignInLimits.on(app_db, account_failures=3)
        on_other = accounts.SignInLimits.on(other, account_failures=3)
        for attempt, (engine, limits) in enumerate(
            [(app_db, on_one), (other, on_other), (app_db, on_one)]
        ):
            with pytest.raises(Unauthorized, match=accounts.REFUSED):
                sign_in(settings, engine, limits, email, f"wrong guess {attempt}",
                        client=new_client())  # fmt: skip
        # An unknown email reads exactly the same.
        with pytest.raises(Unauthorized) as unknown:
            sign_in(settings, other, on_other, new_email(), client=new_client())
        assert unknown.value.message == accounts.REFUSED
        # A password longer than any accepted one is refused alike, and counted.
        with pytest.raises(Unauthorized, match=accounts.REFUSED):
            sign_in(settings, app_db, on_one, new_email(), "x" * 100_000, client=new_client())
        # The fourth try, even with the right password and from elsewhere, waits.
        with pytest.raises(TooManyRequests, match="too many failed sign-ins: wait 15 minutes"):
            sign_in(settings, other, on_other, email, client=new_client())
        with admin.connect() as conn:
            hits = conn.execute(
                text("SELECT hits FROM guess_counts WHERE kind = 'console_account' "
                     "AND client = encode(sha256(convert_to(:e, 'UTF8')), 'hex')"),
                {"e": email},
            ).scalar_one()  # fmt: skip
        assert hits == 3
    finally:
        other.dispose()


def test_failures_are_counted_per_address_whatever_the_account(
    settings: Settings, app_db: Engine, tenant: Tenant
) -> None:
    good = owner(settings, app_db, tenant)
    client = new_client()
    limits = accounts.SignInLimits.on(app_db, address_failures=4)
    for _ in range(4):
        with pytest.raises(Unauthorized):
            sign_in(settings, app_db, limits, new_email(), "spraying one password", client=client)
    with pytest.raises(TooManyRequests):
        sign_in(settings, app_db, limits, good, client=client)
    assert sign_in(settings, app_db, limits, good, client=new_client()).session.kind == "owner"


def test_an_owner_session_sees_its_own_shop_only(
    settings: Settings, app_db: Engine, limits: accounts.SignInLimits
) -> None:
    shop_a, shop_b = create_tenant(settings), create_tenant(settings)
    email_a = owner(settings, app_db, shop_a)
    email_b = owner(settings, app_db, shop_b)
    for email, shop in ((email_a, shop_a), (email_b, shop_b)):
        signed = sign_in(settings, app_db, limits, email)
        with app_db.begin() as conn:
            accounts.resolve_session(conn, key=settings.token_hmac_key, token=signed.token)
            assert conn.execute(text("SELECT id FROM tenants")).scalars().all() == [shop.id]
            assert conn.execute(text("SELECT email FROM owner_accounts")).scalars().all() == [email]
            sessions = conn.execute(text("SELECT DISTINCT tenant_id FROM owner_sessions"))
            assert sessions.scalars().all() == [shop.id]
    # The same person owning both shops signs in to the one named, else the first matching.
    both = new_email("both")
    for shop in (shop_a, shop_b):
        set_password(settings, app_db, invite(settings, app_db, shop, both))
    assert sign_in(settings, app_db, limits, both, shop=shop_b.slug).session.tenant_id == shop_b.id
    assert sign_in(settings, app_db, limits, both).session.tenant_id in (shop_a.id, shop_b.id)


def _denied(conn: Connection, sql: str) -> None:
    # The savepoint inside: it rolls back before the error reaches pytest.raises.
    with pytest.raises(ProgrammingError, match="permission denied"), conn.begin_nested():
        conn.execute(text(sql))


def test_the_application_role_reads_no_password_session_or_link_hash(
    settings: Settings, app_db: Engine, admin: Engine, limits: accounts.SignInLimits,
    tenant: Tenant,
) -> None:  # fmt: skip
    email = owner(settings, app_db, tenant)
    sign_in(settings, app_db, limits, email)
    with tenant_transaction(app_db, tenant.id) as conn:
        assert conn.execute(text("SELECT email FROM owner_accounts")).scalars().all() == [email]
        for sql in (
            "SELECT password_hash FROM owner_accounts",
            "SELECT * FROM owner_accounts",
            "SELECT token_hash FROM owner_invitations",
            "SELECT secret_hash FROM owner_sessions",
            "SELECT * FROM operator_accounts",
            "SELECT * FROM operator_sessions",
            "UPDATE owner_accounts SET password_hash = 'scrypt$x'",
            "UPDATE owner_sessions SET revoked_at = NULL",
            "INSERT INTO owner_sessions (tenant_id, id, account_id, secret_hash, expires_at) "
            "SELECT tenant_id, gen_random_uuid(), id, '\\x00', now() FROM owner_accounts",
        ):
            _denied(conn, sql)
    # What sign-in gets before the shop is known: the parameters and the salt, not the key.
    with app_db.begin() as conn:
        [setting] = conn.execute(
            text("SELECT password_setting FROM console_sign_in_candidates(:e)"), {"e": email}
        ).scalars()
    with admin.connect() as conn:
        stored = conn.execute(
            text("SELECT password_hash FROM owner_accounts WHERE email = :e"), {"e": email}
        ).scalar_one()
    assert stored.startswith(setting + "$")
    assert setting.count("$") == 2


def test_an_operator_with_totp_uses_each_code_once(
    settings: Settings, app_db: Engine, admin: Engine, limits: accounts.SignInLimits
) -> None:
    email = new_email("ops")
    with admin.begin() as conn:
        created = accounts.create_operator(conn, email=email, password=PASSWORD, with_totp=True)
    assert created.totp_uri is not None
    secret_b32 = parse_qs(urlsplit(created.totp_uri).query)["secret"][0]
    secret = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    now = time.time()

    with pytest.raises(accounts.TotpRequired, match="6-digit code"):
        sign_in(settings, app_db, limits, email)
    valid = {totp.hotp(secret, totp.step_at(now) + offset) for offset in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)
    with pytest.raises(Unauthorized, match="wrong or too old"):
        sign_in(settings, app_db, limits, email, totp_code=wrong, now=now)
    code = totp.code_at(secret, now)
    signed = sign_in(settings, app_db, limits, email, totp_code=code, now=now)
    assert (signed.session.kind, signed.session.tenant_id) == ("operator", None)
    with pytest.raises(Unauthorized, match="already used"):
        sign_in(settings, app_db, limits, email, totp_code=code, now=now)
    # An older code still inside the drift window is refused too (it precedes the one used).
    earlier = totp.hotp(secret, totp.step_at(now) - 1)
    with pytest.raises(Unauthorized, match="already used"):
        sign_in(settings, app_db, limits, email, totp_code=earlier, now=now)
    following = totp.code_at(secret, now + totp.STEP_SECONDS)
    later = sign_in(settings, app_db, limits, email, totp_code=following, now=now + 30)
    assert later.session.account_id == created.id
    with app_db.begin() as conn:  # an operator's session scopes no shop: no owner row shows
        accounts.resolve_session(conn, key=settings.token_hmac_key, token=later.token)
        assert conn.execute(text("SELECT count(*) FROM owner_accounts")).scalar_one() == 0
    with admin.connect() as conn:
        last = conn.execute(
            text("SELECT totp_last_step FROM operator_accounts WHERE id = :i"), {"i": created.id}
        ).scalar_one()
    assert last == totp.step_at(now) + 1


def test_scrypt_parameters_are_raised_when_the_operator_signs_in(
    settings: Settings, app_db: Engine, admin: Engine, limits: accounts.SignInLimits
) -> None:
    email = new_email("ops")
    with admin.begin() as conn:
        accounts.create_operator(
            conn, email=email, password=PASSWORD, params=passwords.Parameters(log_n=14)
        )

    def stored() -> str:
        with admin.connect() as conn:
            return str(
                conn.execute(
                    text("SELECT password_hash FROM operator_accounts WHERE email = :e"),
                    {"e": email},
                ).scalar_one()
            )

    assert stored().startswith("scrypt$ln=14,r=8,p=1$")
    sign_in(settings, app_db, limits, email)
    upgraded = stored()
    assert upgraded.startswith("scrypt$ln=15,r=8,p=1$")
    assert passwords.verify(PASSWORD, upgraded)
    sign_in(settings, app_db, limits, email)
    assert stored() == upgraded  # already current: not hashed again


def test_a_session_notes_when_it_was_last_seen_and_signs_out_alone(
    settings: Settings, app_db: Engine, admin: Engine, limits: accounts.SignInLimits,
    tenant: Tenant,
) -> None:  # fmt: skip
    email = owner(settings, app_db, tenant)
    kept, ended = sign_in(settings, app_db, limits, email), sign_in(settings, app_db, limits, email)
    with admin.begin() as conn:
        conn.execute(
            text("UPDATE owner_sessions SET last_seen_at = now() - interval '1 hour' "
                 "WHERE tenant_id = :t"),
            {"t": tenant.id},
        )  # fmt: skip
    with app_db.begin() as conn:
        accounts.resolve_session(conn, key=settings.token_hmac_key, token=kept.token)
    with app_db.begin() as conn:
        assert accounts.sign_out(conn, key=settings.token_hmac_key, token=ended.token)
        assert not accounts.sign_out(conn, key=settings.token_hmac_key, token=ended.token)
    with admin.connect() as conn:
        rows = conn.execute(
            text("SELECT id, last_seen_at > now() - interval '1 minute' AS fresh, "
                 "revoked_at IS NOT NULL AS revoked FROM owner_sessions WHERE tenant_id = :t"),
            {"t": tenant.id},
        ).all()  # fmt: skip
    states = {row.id: (row.fresh, row.revoked) for row in rows}
    assert states == {
        kept.session.session_id: (True, False),
        ended.session.session_id: (False, True),
    }
    with app_db.begin() as conn:
        resolved = accounts.resolve_session(conn, key=settings.token_hmac_key, token=kept.token)
    assert resolved.session_id == kept.session.session_id


def _queued_invitation(settings: Settings, app_db: Engine, tenant: Tenant) -> Invitation:
    with tenant_transaction(app_db, tenant.id) as conn:
        return accounts.invite_owner(
            conn, key=settings.token_hmac_key, tenant=tenant, email=new_email(),
            public_base_url=CONSOLE,
        )  # fmt: skip


def _email_state(app_db: Engine, tenant: Tenant, invitation_id: object) -> tuple[str, str | None]:
    with tenant_transaction(app_db, tenant.id) as conn:
        row = conn.execute(
            text("SELECT email_status, email_error FROM owner_invitations WHERE id = :i"),
            {"i": invitation_id},
        ).one()
    return row.email_status, row.email_error


def test_an_invitation_is_emailed_at_most_once_and_says_why_not(
    settings: Settings, app_db: Engine, admin: Engine, tenant: Tenant, smtp: SmtpServer
) -> None:
    sender = SmtpSender(SmtpConfig(smtp.host, smtp.port, "console@counterpos.test", timeout=5))

    def send(invited: Invitation, with_sender: SmtpSender | None = sender) -> str:
        return account_tasks.send_invitation(
            app_db, tenant_id=tenant.id, invitation_id=invited.invitation_id, link=invited.link,
            sender=with_sender, last_attempt=False,
        )  # fmt: skip

    no_smtp = _queued_invitation(settings, app_db, tenant)
    assert send(no_smtp, None) == "failed"
    status, error = _email_state(app_db, tenant, no_smtp.invitation_id)
    assert status == "failed"
    assert error is not None
    assert "SYNC_SMTP_HOST" in error
    assert "--print-link" in error

    # A worker that died after marking it "sending": it may have gone out, so never twice.
    crashed = _queued_invitation(settings, app_db, tenant)
    with tenant_transaction(app_db, tenant.id) as conn:
        conn.execute(
            text("UPDATE owner_invitations SET email_status = 'sending' WHERE id = :i"),
            {"i": crashed.invitation_id},
        )
    assert send(crashed) == "unknown"

    used = _queued_invitation(settings, app_db, tenant)
    set_password(settings, app_db, used.link.partition("token=")[2])
    assert send(used) == "skipped"

    delivered = _queued_invitation(settings, app_db, tenant)
    assert send(delivered) == "sent"
    assert send(delivered) == "sent"  # a second run of the job sends nothing more
    assert [mail.rcpt_tos for mail in smtp.handler.received()] == [[delivered.email]]


FAIL_IN_ANOTHER_PROCESS = """
import sys
from sync_server.accounts import service as accounts
from sync_server.config import Settings
from sync_server.db import app_engine
from sync_server.kit.errors import Unauthorized

settings = Settings(database_url=sys.argv[1], token_hmac_key=sys.argv[2].encode())
engine = app_engine(settings)
limits = accounts.SignInLimits.on(engine, account_failures=2)
for attempt in range(2):
    try:
        with engine.begin() as conn:
            accounts.sign_in(conn, key=settings.token_hmac_key, limits=limits, email=sys.argv[3],
                             password=f"wrong {attempt}", client=f"client {attempt}")
    except Unauthorized as exc:
        print(exc.message)
engine.dispose()
"""


def test_failures_in_another_server_process_count_here(
    settings: Settings, app_db: Engine, tenant: Tenant
) -> None:
    email = owner(settings, app_db, tenant)
    other = subprocess.run(
        [sys.executable, "-c", FAIL_IN_ANOTHER_PROCESS, settings.database_url,
         settings.token_hmac_key.decode(), email],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert other.stdout.splitlines() == [accounts.REFUSED, accounts.REFUSED]
    here = accounts.SignInLimits.on(app_db, account_failures=2)
    with pytest.raises(TooManyRequests, match="too many failed sign-ins"):
        sign_in(settings, app_db, here, email, client=new_client())
