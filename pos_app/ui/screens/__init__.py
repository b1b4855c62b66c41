"""screens of the counter app."""
