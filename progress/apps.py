from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Learners, teams and certificates"

    def ready(self):
        from progress import checks  # noqa: F401  (registers the signing key checks)
