"""The `pos-app` command line, run as a real process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pos_app(
    data_dir: Path,
    *args: str,
    check: bool = True,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POS_DATA_DIR": str(data_dir), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "pos_app", *args],
        capture_output=True,
        input=stdin,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_self_test_passes_with_a_clean_stderr(tmp_path: Path) -> None:
    result = pos_app(tmp_path, "self-test")
    assert "self-test: OK" in result.stdout
    assert result.stderr == ""


@pytest.mark.slow
def test_scripted_sales_import_and_z_report(tmp_path: Path) -> None:
    unset = pos_app(tmp_path, "sale", "--item", "X", "--pay", "cash", check=False)
    assert unset.returncode == 1
    assert "no shop is set up" in unset.stderr
    pos_app(tmp_path, "self-test")  # uses its own temp dir: still nothing here
    # Seed the demo shop headlessly through the library, as the GUI's demo mode does.
    env_code = (
        "from pathlib import Path; from pos_app.config import AppConfig; "
        "from pos_app.application.register import Register; "
        f"Register.open(AppConfig(data_dir=Path({str(tmp_path)!r})), demo=True).close()"
    )
    subprocess.run([sys.executable, "-c", env_code], check=True, cwd=ROOT)
    csv = tmp_path / "menu.csv"
    csv.write_text("sku,name,category,price,tax_rate\nSOD-LEM,Lemonade,Drinks,3.00,8.875\n")
    imported = pos_app(tmp_path, "catalog", "import", str(csv))
    assert "1 new, 0 updated" in imported.stdout

    sale = json.loads(
        pos_app(
            tmp_path,
            "sale",
            "--item",
            "SOD-LEM:2",
            "--item",
            "COF-ESP",
            "--pay",
            "cash",
            "--tendered",
            "20.00",
        ).stdout
    )
    assert sale["number"] == 1
    assert [(line["sku"], line["quantity"]) for line in sale["lines"]] == [
        ("SOD-LEM", 2),
        ("COF-ESP", 1),
    ]
    assert sale["subtotal_minor"] == 875
    assert sale["tax_minor"] == 78
    assert sale["total_minor"] == 953
    assert sale["tenders"] == [
        {
            "kind": "cash",
            "amount_minor": 953,
            "tendered_minor": 2000,
            "change_minor": 1047,
            "tip_minor": 0,
            "card_brand": None,
            "card_last4": None,
            "payment_intent_id": None,
        }
    ]
    short = pos_app(
        tmp_path, "sale", "--item", "COF-ESP", "--pay", "cash", "--tendered", "1.00", check=False
    )
    assert short.returncode == 1
    assert "less than the total" in short.stderr
    unknown = pos_app(tmp_path, "sale", "--item", "NOPE", "--pay", "cash", check=False)
    assert unknown.returncode == 1
    assert "no product with SKU or barcode 'NOPE'" in unknown.stderr

    # A card sale: demo mode's simulated reader taps a test card by itself.
    card = json.loads(
        pos_app(tmp_path, "sale", "--item", "FOD-BUR", "--pay", "card", "--tip", "2.00").stdout
    )
    assert card["number"] == 2
    assert card["tenders"][0]["kind"] == "card"
    assert card["tenders"][0]["tip_minor"] == 200
    assert card["tenders"][0]["card_last4"] == "4242"
    assert card["tenders"][0]["tendered_minor"] == card["total_minor"] + 200

    report = json.loads(pos_app(tmp_path, "report", "z", "--json", "--counted", "9.00").stdout)
    assert report["kind"] == "Z"
    assert report["orders_count"] == 2
    assert report["total_minor"] == 953 + card["total_minor"]
    assert report["expected_cash_minor"] == 953
    assert report["over_short_minor"] == -53


def test_headless_commands_log_to_the_data_dirs_log_like_the_gui(tmp_path: Path) -> None:
    unpaired = pos_app(tmp_path, "sync", check=False)
    assert unpaired.returncode == 1
    status = pos_app(tmp_path, "sync", "--status")
    assert json.loads(status.stdout)["paired"] is False
    lines = (tmp_path / "logs" / "pos-app.log").read_text(encoding="utf-8").splitlines()
    assert re.match(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO pos_app.cli: pos-app sync$", lines[0]
    )
    assert any(line.endswith("WARNING pos_app.cli: failed: this register is not paired with a "
                             "sync server") for line in lines), lines  # fmt: skip
    assert sum(line.endswith(": pos-app sync") for line in lines) == 2
