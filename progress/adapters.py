"""allauth's account adapter: where a person lands after signing in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from progress.selectors.teams import led_team_slugs


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
