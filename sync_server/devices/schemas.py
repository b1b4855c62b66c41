"""Pairing and device identity."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sync_server.tenants.schemas import TenantOut


@dataclass(frozen=True, slots=True)
class DeviceAuth:
    """Who is calling: resolved from the bearer token, never from the request body."""

    tenant_id: uuid.UUID
    device_id: uuid.UUID


class PairRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=4, max_length=32, description="The one-time code, dashes optional")
    device_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=r"\S")
    ] = Field(description="Shown in `devices list`; spaces around it are dropped, blank refused")
    install_id: uuid.UUID | None = Field(
        default=None,
        description="The register install's own id, made once on the device and kept across "
        "pairings: its stock movements under any device id are its own",
    )
    held_tenant_id: uuid.UUID | None = Field(
        default=None, description="The shop whose data the register holds, if it was paired before"
    )
    held_currency: str | None = Field(
        default=None,
        pattern="^[A-Z]{3}$",
        description="The currency the register sells in, if it has a shop already",
    )


class PairResponse(BaseModel):
    device_id: uuid.UUID
    token: str = Field(description="Shown once; send as `Authorization: Bearer <token>`")
    tenant: TenantOut


class DeviceMe(BaseModel):
    device_id: uuid.UUID
    name: str
    acknowledged_seq: int
    tenant: TenantOut
