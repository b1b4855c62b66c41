"""The base of the application API's areas: each area is a group of the register's
operations (selling, shifts, the catalog...), reached as `register.<area>.<operation>()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.application.register import Register
    from pos_app.db.database import Database
    from pos_app.domain.shop import Shop


class Area:
    def __init__(self, register: Register) -> None:
        self._register = register

    @property
    def db(self) -> Database:
        return self._register.db

    @property
    def shop(self) -> Shop:
        return self._register.shop
