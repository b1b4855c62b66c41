"""Work that spans domains, in one transaction the caller's scope owns: the only modules that
call several domains' services (Dispatch's `flows.py` habit). Nothing in a domain imports them."""
