"""Forms for a learner's account and profile, and a lead's team tools."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from courses.models import Category, Topic
from courses.selectors import catalogue_outline
from progress.selectors.evidence import check_period
from progress.services.learning import full_name_clean, profile_update
from quizzes.models import Quiz


class SignupForm(AllauthSignupForm):
    """allauth's signup form gains the full name printed on certificates."""

    full_name = forms.CharField(
        max_length=200,
        label="Full name",
        help_text="As it should appear on your certificates.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["email", "full_name", "password1", "password2"]

    def clean_full_name(self) -> str:
        # allauth creates the account before custom_signup() runs, so the rule is checked here first.
        return full_name_clean(self.cleaned_data["full_name"])

    def custom_signup(self, request, user) -> None:
        profile_update(user=user, full_name=self.cleaned_data["full_name"])

    def try_save(self, request):
        # An address that already has an account creates nothing, which would answer faster than a real
        # sign-up and so reveal the account: hash the password all the same, as a new account does.
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        max_length=200,
        label="Full name",
        help_text="Printed on your certificates exactly as written here.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Email addresses",
        help_text="One per line, or separated by commas.",
    )
    csv_file = forms.FileField(required=False, label="…or a CSV file with an 'email' column")

    def clean(self):
        data = super().clean()
        upload = data.get("csv_file")
        text = data.get("emails", "")
        if upload:
            if upload.size > 2_000_000:
                raise forms.ValidationError("The CSV file is larger than 2 MB.")
            try:
                text += "\n" + upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("The CSV file is not UTF-8 text.") from None
        if not text.strip():
            raise forms.ValidationError("Paste at least one email address, or choose a CSV file.")
        data["text"] = text
        return data


class AssignmentForm(forms.Form):
    target = forms.ChoiceField(label="Topic or category")
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}))
    lead_days = forms.IntegerField(
        required=False,
        min_value=1,
        label="Days for late joiners",
        help_text="Someone who joins too late for the due date gets this many days from joining. Empty: the "
        "team's default.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        # What a lead may assign: every category with its published topics (the catalogue's, from the cache).
        for category_id, title, topics in catalogue_outline(user=None):
            choices.append((f"category:{category_id}", f"All of {title}"))
            choices += [(f"topic:{topic_id}", f"— {topic_title}") for topic_id, topic_title, _ in topics]
        self.fields["target"].choices = choices

    def clean_target(self):
        kind, _, pk = self.cleaned_data["target"].partition(":")
        model = {"topic": Topic, "category": Category}.get(kind)
        obj = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
        if obj is None:
            raise forms.ValidationError("Choose a topic or a category from the list.")
        return obj


class EvidencePeriodForm(forms.Form):
    """The evidence report's period: `from` and `to` (both optional), as the query string names them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                required=False, label=label, widget=forms.DateInput(attrs={"type": "date"})
            )

    def clean(self):
        data = super().clean()
        try:
            check_period(start=data.get("from"), end=data.get("to"))
        except ValidationError as exc:
            self.add_error(None, exc)  # keyed by field: each message lands on its field
        return data


class QuizResetForm(forms.Form):
    """A lead's reset of a member's quiz failures: which quiz, and why (kept as evidence)."""

    quiz = forms.ModelChoiceField(queryset=Quiz.objects.all(), widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=2000,
        label="Reason for the reset",
        help_text="Kept with the reset as training evidence.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
