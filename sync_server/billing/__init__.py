"""The platform's fee collected: each closed month becomes a Stripe invoice to the shop."""
