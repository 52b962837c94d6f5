"""The progress admin, a module per concern (Django's autodiscovery imports this package)."""

from progress.admin import certificates, learning, teams

__all__ = ["certificates", "learning", "teams"]
