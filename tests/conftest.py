"""Suite-wide set-up: Qt runs offscreen, and secrets go to an in-memory keyring, never the
developer's real one. Both must happen before Qt or keyring is first imported."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.memory_keyring.MemoryKeyring"
