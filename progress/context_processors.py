"""What every page shows of the person signed in: their name (as certificates name them), for the header.

The name is kept in the session once read, so pages cost no extra query; changing it in the profile
(page or API) forgets it, and the next page reads it again."""

from django.utils.functional import SimpleLazyObject

from progress.selectors.learning import profile_for

SESSION_KEY = "person_name"


def _name(request) -> str:
    user = request.user
    cached = request.session.get(SESSION_KEY)
    if isinstance(cached, list) and len(cached) == 2 and cached[0] == user.pk:
        return cached[1]
    profile = profile_for(user=user)
    name = (profile.full_name if profile else "") or user.get_full_name() or user.email
    request.session[SESSION_KEY] = [user.pk, name]
    return name


def person(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    return {"person_name": SimpleLazyObject(lambda: _name(request))}


def forget_person_name(request) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)
