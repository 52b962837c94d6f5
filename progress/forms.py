"""Forms for a learner's account and profile, and a lead's team tools."""

from django import forms

from progress.services.learning import profile_update


class SignupForm(forms.Form):
    """allauth's signup form gains the full name printed on certificates."""

    full_name = forms.CharField(
        max_length=200,
        label="Full name",
        help_text="As it should appear on your certificates.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user) -> None:
        profile_update(user=user, full_name=self.cleaned_data["full_name"])


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        max_length=200,
        label="Full name",
        help_text="Printed on your certificates exactly as written here.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name
