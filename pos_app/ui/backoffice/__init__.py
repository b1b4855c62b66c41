"""The manager back office: one module per tab."""
