"""Card payments: the gateway-neutral terminal protocol and its Stripe implementation.

Only `stripe_terminal.py` imports the Stripe SDK; everything else speaks `terminal.py`'s types.
"""
