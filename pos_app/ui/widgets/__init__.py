"""widgets of the counter app."""
