"""The console's words in English and Brazilian Portuguese: one dict per locale.

Why dicts and not gettext catalogues: Babel is not installed, the console has a few dozen
strings, and a dict is checked by mypy and by a test that both locales have the same keys and
placeholders (tests/sync_server/console/test_console_pages.py); nothing to compile at build
time. Each page area keeps its own words in `words/<area>.py` (one dict per locale, listed in
`words.AREAS`); `CATALOGUES` merges them with the base words below. Moving to .po files later
is mechanical (the keys become msgids).

Owners read the console in their shop's locale (`shop_locale`: the shop's `locale` setting,
which its owner changes on the settings page; a new shop in reais starts in Brazilian
Portuguese, any other in English); pages before sign-in follow the browser's Accept-Language
(`negotiate`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sync_server.console.words import AREAS
from sync_server.kit.currency import format_money
from sync_server.tenants.schemas import Tenant

LOCALES = ("en_US", "pt_BR")
DEFAULT_LOCALE = "en_US"

EN: dict[str, str] = {
    "app_name": "Counter POS",
    "console": "Console",
    "skip_link": "Skip to content",
    "scroll_table_name": "(table)",
    "main_nav": "Main",
    "nav_today": "Today",
    "signed_in_as": "Signed in as {email}",
    "sign_out": "Sign out",
    "sign_out_everywhere": "Sign out everywhere",
    "sign_in_title": "Sign in",
    "sign_in_intro": "Shop owners and platform operators sign in here.",
    "email": "Email",
    "password": "Password",
    "totp": "Authenticator code",
    "totp_hint": "The 6-digit code from your authenticator app.",
    "sign_in_button": "Sign in",
    "refused": "The email or the password is wrong.",
    "locked_out": "Too many failed sign-ins: wait {minutes} minutes and try again.",
    "totp_required": "Enter your password again, and the 6-digit code from your authenticator app.",
    "totp_wrong": "The authenticator code is wrong, too old or already used: enter your password "
    "again and the next code.",
    "password_set": "Your password is set: sign in with it.",
    "signed_out": "You are signed out.",
    "signed_out_everywhere": "You are signed out on every device.",
    "session_ended": "Your session has ended: sign in again.",
    "set_password_title": "Choose your password",
    "set_password_intro": "The link in your invitation works once. Choose the password you "
    "will sign in with.",
    "new_password": "New password",
    "new_password_hint": "At least {min} characters. A few unrelated words are long and easy "
    "to remember.",
    "confirm_password": "Repeat the password",
    "save_password": "Save password",
    "passwords_differ": "The two passwords are not the same.",
    "link_invalid": "This link is not valid: ask for a new invitation.",
    "link_used": "This link was already used or has expired: ask the shop's owner or the "
    "platform for a new invitation.",
    "weak_short": "The password is too short: use at least {min} characters.",
    "weak_long": "The password is too long.",
    "weak_guessable": "The password is too easy to guess: choose another.",
    "error_title": "Something went wrong",
    "csrf_refused": "This form has expired or did not come from this site. Go back, reload "
    "the page and try again.",
    "not_found": "There is no such page.",
    "bad_request": "The request could not be read. Go back and try again.",
    "too_large": "What was sent is too large. Go back and send less.",
    "server_error": "The console cannot answer right now. Try again in a moment.",
    "owners_only": "This page is for shop owners.",
    "operators_only": "This page is for platform operators.",
    "home_link": "Go to the console",
    "weekdays": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    "months": "January,February,March,April,May,June,July,August,September,October,November,"
    "December",
    "long_date": "{weekday}, {month} {day}, {year}",
    "short_date": "{month} {day}",
}

PT_BR: dict[str, str] = {
    "app_name": "Counter POS",
    "console": "Console",
    "skip_link": "Ir para o conteúdo",
    "scroll_table_name": "(tabela)",
    "main_nav": "Principal",
    "nav_today": "Hoje",
    "signed_in_as": "Conectado como {email}",
    "sign_out": "Sair",
    "sign_out_everywhere": "Sair de todos os dispositivos",
    "sign_in_title": "Entrar",
    "sign_in_intro": "Donos de loja e operadores da plataforma entram aqui.",
    "email": "E-mail",
    "password": "Senha",
    "totp": "Código do autenticador",
    "totp_hint": "O código de 6 dígitos do seu aplicativo autenticador.",
    "sign_in_button": "Entrar",
    "refused": "O e-mail ou a senha está errado.",
    "locked_out": "Muitas tentativas sem sucesso: aguarde {minutes} minutos e tente de novo.",
    "totp_required": "Digite a senha de novo e o código de 6 dígitos do seu aplicativo "
    "autenticador.",
    "totp_wrong": "O código do autenticador está errado, expirou ou já foi usado: digite a "
    "senha de novo e o próximo código.",
    "password_set": "Sua senha foi definida: entre com ela.",
    "signed_out": "Você saiu.",
    "signed_out_everywhere": "Você saiu de todos os dispositivos.",
    "session_ended": "Sua sessão terminou: entre de novo.",
    "set_password_title": "Escolha sua senha",
    "set_password_intro": "O link do convite funciona uma vez. Escolha a senha com que vai entrar.",
    "new_password": "Nova senha",
    "new_password_hint": "Pelo menos {min} caracteres. Algumas palavras sem relação são longas "
    "e fáceis de lembrar.",
    "confirm_password": "Repita a senha",
    "save_password": "Salvar senha",
    "passwords_differ": "As duas senhas não são iguais.",
    "link_invalid": "Este link não é válido: peça um novo convite.",
    "link_used": "Este link já foi usado ou expirou: peça um novo convite ao dono da loja ou "
    "à plataforma.",
    "weak_short": "A senha é curta demais: use pelo menos {min} caracteres.",
    "weak_long": "A senha é longa demais.",
    "weak_guessable": "A senha é fácil demais de adivinhar: escolha outra.",
    "error_title": "Algo deu errado",
    "csrf_refused": "Este formulário expirou ou não veio deste site. Volte, recarregue a "
    "página e tente de novo.",
    "not_found": "Esta página não existe.",
    "bad_request": "Não foi possível ler o pedido. Volte e tente de novo.",
    "too_large": "O que foi enviado é grande demais. Volte e envie menos.",
    "server_error": "O console não pode responder agora. Tente de novo em instantes.",
    "owners_only": "Esta página é para donos de loja.",
    "operators_only": "Esta página é para operadores da plataforma.",
    "home_link": "Ir para o console",
    "weekdays": "segunda-feira,terça-feira,quarta-feira,quinta-feira,sexta-feira,sábado,domingo",
    "months": "janeiro,fevereiro,março,abril,maio,junho,julho,agosto,setembro,outubro,novembro,"
    "dezembro",
    "long_date": "{weekday}, {day} de {month} de {year}",
    "short_date": "{day} de {month}",
}


def _with_areas(base: dict[str, str], locale: str) -> dict[str, str]:
    """The base words and every page area's (`words/`): a key defined twice is a mistake."""
    merged = dict(base)
    for area in AREAS:
        for key, value in area[locale].items():
            if key in merged:
                raise RuntimeError(f"console word {key!r} is defined twice")
            merged[key] = value
    return merged


CATALOGUES: dict[str, dict[str, str]] = {
    locale: _with_areas(base, locale) for locale, base in (("en_US", EN), ("pt_BR", PT_BR))
}


@dataclass(frozen=True, slots=True)
class Translator:
    """The words and number formats of one locale, handed to every template as `t`."""

    locale: str

    @property
    def lang(self) -> str:
        """The `lang` attribute (BCP 47): `en-US`, `pt-BR`."""
        return self.locale.replace("_", "-")

    def __call__(self, key: str, **values: object) -> str:
        text = CATALOGUES[self.locale].get(key) or CATALOGUES[DEFAULT_LOCALE][key]
        return text.format(**values) if values else text

    def money(self, amount_minor: int, currency: str) -> str:
        return format_money(amount_minor, currency, self.locale)

    def long_date(self, day: date) -> str:
        weekday = self("weekdays").split(",")[day.weekday()]
        month = self("months").split(",")[day.month - 1]
        return self("long_date", weekday=weekday, month=month, day=day.day, year=day.year)

    def short_date(self, day: date) -> str:
        return self("short_date", month=self("months").split(",")[day.month - 1], day=day.day)

    def percent_bps(self, bps: int) -> str:
        text = f"{bps / 100:.2f}"
        return (text.replace(".", ",") if self.locale == "pt_BR" else text) + "%"


def negotiate(accept_language: str | None) -> str:
    """The best of our locales for an Accept-Language header (`pt-BR,pt;q=0.9,en;q=0.8`)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, index, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith("pt"):
            return "pt_BR"
        if tag.startswith("en"):
            return "en_US"
    return DEFAULT_LOCALE


def shop_locale(shop: Tenant) -> str:
    """A shop's locale: its `locale` setting (`tenants.locale`, default from the currency: a
    shop in reais reads Brazilian Portuguese, any other English)."""
    locale = shop.reading_locale
    return locale if locale in LOCALES else DEFAULT_LOCALE
