"""Account pages where allauth's own wording falls short: a confirmation link opened again says the
address is already confirmed, instead of "expired or invalid"."""

from allauth.account import app_settings
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from django.core import signing
from django.http import Http404


def already_confirmed_address(key: str) -> EmailAddress | None:
    """The address a confirmation key was made for, if it is confirmed already (whatever the key's age)."""
    try:
        pk = signing.loads(key, salt=app_settings.SALT)
    except signing.BadSignature:
        confirmation = EmailConfirmation.objects.filter(key=key.lower()).select_related("email_address").first()
        address = confirmation.email_address if confirmation else None
    else:
        address = EmailAddress.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    return address if address is not None and address.verified else None


class ConfirmEmailView(AllauthConfirmEmailView):
    http_method_names = ["get", "head", "post"]  # what the page serves; anything else is a 405

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if not self.object:
            context["already_confirmed"] = already_confirmed_address(self.kwargs["key"])
        return context

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:  # pressed Confirm again, or the link was used in another tab meanwhile
            if already_confirmed_address(self.kwargs["key"]) is None:
                raise
            self.object = None
            return self.render_to_response(self.get_context_data())


confirm_email = ConfirmEmailView.as_view()
