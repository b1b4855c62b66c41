"""A keyring backend for tests that run `pos-app` as a separate process: the secrets live in a
JSON file named by POS_TEST_KEYRING_FILE (a test's temporary directory), chosen explicitly with
PYTHON_KEYRING_BACKEND. Never used outside the test suite."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class TestFileKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.path = Path(os.environ["POS_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        data: dict[str, str] = json.loads(self.path.read_text())
        return data

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if f"{service}/{username}" not in data:
            raise PasswordDeleteError(username)
        del data[f"{service}/{username}"]
        self.path.write_text(json.dumps(data))
