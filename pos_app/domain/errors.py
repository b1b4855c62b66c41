"""Domain errors. Each carries a message fit to show the person at the counter."""


class DomainError(Exception):
    """A rule of the shop was broken; `str(error)` is the cashier-facing explanation."""


class ValidationError(DomainError):
    """Input that cannot be accepted as given."""


class InvalidTransition(DomainError):
    """An order, shift or payment asked to move to a state it cannot reach from where it is."""


class NotEnoughStock(DomainError):
    def __init__(self, sku: str, name: str, available: int, wanted: int) -> None:
        self.sku, self.name, self.available, self.wanted = sku, name, available, wanted
        super().__init__(f"Not enough stock for {name} ({sku}): {available} left, {wanted} wanted")


class OutOfStock(DomainError):
    """A tracked product has not enough left for what the order would hold. A manager may
    approve selling it anyway (`Permission.OVERSELL`), and that is audited."""

    def __init__(self, name: str, available: int, wanted: int) -> None:
        self.name, self.available, self.wanted = name, available, wanted
        super().__init__(f"{name} is out of stock: {available} left, {wanted} wanted")


class PermissionDenied(DomainError):
    """The staff member may not do this and no manager approved it."""


class NotFound(DomainError):
    """A record the request names does not exist."""
