"""The catalog: categories, products and modifier groups, as immutable values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from pos_app.domain.errors import OutOfStock, ValidationError
from pos_app.domain.money import PPM


@dataclass(frozen=True, slots=True)
class Category:
    id: UUID
    name: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class Modifier:
    """One choice in a group, such as "Extra cheese" (+0.75) or "No onions" (0)."""

    id: UUID
    name: str
    price_delta_minor: int = 0


@dataclass(frozen=True, slots=True)
class ModifierGroup:
    """A set of choices with bounds: required groups have ``min_choices >= 1``."""

    id: UUID
    name: str
    min_choices: int
    max_choices: int
    modifiers: tuple[Modifier, ...]

    def __post_init__(self) -> None:
        if self.min_choices < 0 or self.max_choices < max(self.min_choices, 1):
            raise ValidationError(
                f"modifier group {self.name!r}: choices must satisfy 0 <= min <= max and max >= 1"
            )
        if self.min_choices > len(self.modifiers):
            raise ValidationError(
                f"modifier group {self.name!r} requires {self.min_choices} choices "
                f"but offers {len(self.modifiers)}"
            )

    @property
    def required(self) -> bool:
        return self.min_choices >= 1

    def choose(self, modifier_ids: Sequence[UUID]) -> tuple[Modifier, ...]:
        """The chosen modifiers, in the group's order; raises when the choice breaks the bounds."""
        by_id = {modifier.id: modifier for modifier in self.modifiers}
        unknown = [mid for mid in modifier_ids if mid not in by_id]
        if unknown:
            raise ValidationError(f"{self.name}: unknown choice")
        if len(set(modifier_ids)) != len(modifier_ids):
            raise ValidationError(f"{self.name}: the same choice was picked twice")
        count = len(modifier_ids)
        if count < self.min_choices:
            raise ValidationError(
                f"{self.name}: choose at least {self.min_choices}"
                if self.min_choices > 1
                else f"{self.name}: a choice is required"
            )
        if count > self.max_choices:
            raise ValidationError(f"{self.name}: choose at most {self.max_choices}")
        chosen = set(modifier_ids)
        return tuple(modifier for modifier in self.modifiers if modifier.id in chosen)


@dataclass(frozen=True, slots=True)
class Product:
    id: UUID
    sku: str
    name: str
    price_minor: int
    currency: str
    tax_rate_ppm: int
    category_id: UUID | None = None
    barcode: str | None = None
    active: bool = True
    track_stock: bool = False
    stock_quantity: int = 0
    modifier_groups: tuple[ModifierGroup, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.sku.strip():
            raise ValidationError("a product needs a SKU")
        if not self.name.strip():
            raise ValidationError(f"product {self.sku} needs a name")
        if self.price_minor < 0:
            raise ValidationError(f"product {self.sku}: price cannot be negative")
        if not 0 <= self.tax_rate_ppm <= PPM:
            raise ValidationError(f"product {self.sku}: tax rate must be between 0 and 100 %")

    def choose_modifiers(
        self, choices: Mapping[UUID, Sequence[UUID]] | None = None
    ) -> tuple[Modifier, ...]:
        """Validate a choice per group (required groups must be answered) and flatten it."""
        choices = choices or {}
        known_groups = {group.id for group in self.modifier_groups}
        if set(choices) - known_groups:
            raise ValidationError(f"{self.name}: a choice names a group this product does not have")
        chosen: list[Modifier] = []
        for group in self.modifier_groups:
            chosen.extend(group.choose(list(choices.get(group.id, ()))))
        return tuple(chosen)

    def available_for_sale(self) -> bool:
        return self.active and (not self.track_stock or self.stock_quantity > 0)

    def check_can_sell(self, quantity: int, *, oversell_approved: bool = False) -> bool:
        """The one stock rule, however the product reaches the order (tile, search, scanner):
        86'd products are refused; a tracked product needs `quantity` (all the order would
        hold) in stock, unless a manager approved selling beyond it. Returns whether this is
        such an oversell (the caller audits it)."""
        if not self.active:
            raise ValidationError(f"{self.name} is not on sale")
        short = self.track_stock and self.stock_quantity < quantity
        if short and not oversell_approved:
            raise OutOfStock(self.name, max(self.stock_quantity, 0), quantity)
        return short
