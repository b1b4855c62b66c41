"""dialogs of the counter app."""
