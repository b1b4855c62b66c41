"""Services: the shop's operations. They take a UnitOfWork, return plain data, never commit,
and never import Qt."""
