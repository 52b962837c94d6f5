"""The admin's user pages: a password set there revokes the person's API token, as on the site."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from progress.services.learning import api_token_revoke

User = get_user_model()


class PasswordChangeRevokingTokenForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            api_token_revoke(user=user)
        return user


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    change_password_form = PasswordChangeRevokingTokenForm
