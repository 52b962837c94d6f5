"""How django-allauth treats our accounts: where a person lands after signing in, the client's address
for its rate limits, a new password that also revokes the person's API token, and emails that carry the
site's name and the person's name (from their profile), in HTML and plain text (templates/account/email/)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from progress.selectors.learning import profile_for
from progress.selectors.teams import led_team_slugs
from progress.services.learning import account_password_set
from safety_academy.client_ip import client_ip
from safety_academy.links import site_name


def greeting_name(user) -> str:
    """The name to greet a person by in an email: their profile's name or account name, never an address."""
    if user is None or not getattr(user, "pk", None):
        return ""
    profile = profile_for(user=user)
    return (profile.full_name if profile else "") or user.get_full_name()


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """A lead of one team lands on its dashboard, a lead of several on their list of teams, anyone else on
        their own learning. A `next` link (an invitation, a page they were sent to) still wins: allauth asks
        this only when there is none."""
        slugs = led_team_slugs(user=request.user)
        if len(slugs) == 1:
            return reverse("progress:team_dashboard", kwargs={"team_slug": slugs[0]})
        if slugs:
            return reverse("progress:team_list")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def set_password(self, user, password: str) -> None:
        account_password_set(user=user, password=password)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **context,
            "site_name": site_name(),
            "site_url": settings.SITE_URL,
            "person_name": greeting_name(context.get("user")),
        }
        super().send_mail(template_prefix, email, context)
