"""The shop's flags: what needs a person (raised by reconciliation and disputes)."""
