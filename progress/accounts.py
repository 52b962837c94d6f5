"""How allauth treats our accounts: the client's address for its rate limits, and a new password that
also revokes the person's API token."""

from allauth.account.adapter import DefaultAccountAdapter

from progress.services.learning import account_password_set
from safety_academy.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def set_password(self, user, password: str) -> None:
        account_password_set(user=user, password=password)
