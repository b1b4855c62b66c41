"""The counter app's Qt Widgets UI. It reaches the database and the network only through the
background operations of `tasks.py`; nothing here blocks the GUI thread."""
