"""A shop's export covers every table of the shop, or says why it leaves one out: a table added
later (and classified for Citus as distributed by `tenant_id`) fails here until it is either
exported or listed, with its reason, among the tables that hold secrets."""

from __future__ import annotations

from sync_server.tenants.repository import EXPORT_TABLES, NOT_EXPORTED, SECRET_COLUMNS
from tests.support.citus_readiness import DISTRIBUTED_TABLES


def test_every_table_of_a_shop_is_exported_or_left_out_with_a_reason() -> None:
    exported, left_out = set(EXPORT_TABLES), set(NOT_EXPORTED)
    assert not exported & left_out
    assert len(EXPORT_TABLES) == len(exported)
    assert exported | left_out == DISTRIBUTED_TABLES, (
        f"not classified: {sorted(DISTRIBUTED_TABLES - exported - left_out)}; "
        f"not a shop's table: {sorted((exported | left_out) - DISTRIBUTED_TABLES)}"
    )
    assert all(reason.strip() for reason in NOT_EXPORTED.values())
    assert set(SECRET_COLUMNS) <= exported
