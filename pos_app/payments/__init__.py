"""Card payments: the terminal protocol, the Stripe Terminal gateway and the Stripe emulator."""
