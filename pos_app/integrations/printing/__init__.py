"""ESC/POS printing: rendering, the TCP transport, the persistent print queue, PDF and PNG."""
