"""System checks for certificates: the site cannot sign credentials without its key."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from progress.signing_keys import FIX_COMMAND, signing_key_problem

HINT = (
    f"`{FIX_COMMAND}` writes the key file (CERTIFICATE_SIGNING_KEY_FILE); in production you may instead set "
    "CERTIFICATE_SIGNING_KEY to an Ed25519 private key in PEM. See docs/certificate-keys.md."
)


@register(Tags.security, deploy=True)
def signing_key_deployable(app_configs=None, **kwargs):
    """Under `check --deploy`, a missing or unreadable key is an error: no certificate could be issued."""
    problem = signing_key_problem()
    return [Error(problem, hint=HINT, id="progress.E001")] if problem else []


@register()
def signing_key_present(app_configs=None, **kwargs):
    """In development, the same problem as a warning on every command (deploy checks make it an error)."""
    if not settings.DEBUG:
        return []
    problem = signing_key_problem()
    return [Warning(problem, hint=HINT, id="progress.W001")] if problem else []
