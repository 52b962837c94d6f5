"""Forms for a learner's account and profile, and a lead's team tools."""

from django import forms

from courses.models import Category, Topic
from progress.services.learning import profile_update
from quizzes.models import Quiz


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for category in Category.objects.prefetch_related("topics").order_by("position"):
            choices.append((f"category:{category.pk}", f"All of {category.title}"))
            choices += [(f"topic:{t.pk}", f"— {t.title}") for t in category.topics.all() if t.is_published]
        self.fields["target"].choices = choices

    def clean_target(self):
        kind, _, pk = self.cleaned_data["target"].partition(":")
        model = {"topic": Topic, "category": Category}.get(kind)
        obj = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
        if obj is None:
            raise forms.ValidationError("Choose a topic or a category from the list.")
        return obj


class QuizResetForm(forms.Form):
    """A lead's reset of a member's quiz failures: which quiz, and why (kept as evidence)."""

    quiz = forms.ModelChoiceField(queryset=Quiz.objects.all(), widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=2000,
        label="Reason for the reset",
        help_text="Kept with the reset as training evidence.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
