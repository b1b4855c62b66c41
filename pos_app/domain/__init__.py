"""The sales domain: pure Python, no Qt and no SQLAlchemy.

Everything here can be imported and tested without a QApplication or a database.
"""
