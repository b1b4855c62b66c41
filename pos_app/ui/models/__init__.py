"""models of the counter app."""
