"""The progress admin, a module per concern (Django's autodiscovery imports this package)."""

from progress.admin import accounts, certificates, learning, teams

__all__ = ["accounts", "certificates", "learning", "teams"]
