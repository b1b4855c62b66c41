"""Outside systems other than the card gateway: the OS keyring, the sync server, printers."""
