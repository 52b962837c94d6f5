"""A lead's pages: the team dashboard, member drill-down, invitations, assignments, exports.
Every view starts from progress.access, so who may see a team is decided in one place."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from courses.content_cache import content_cached
from courses.models import Topic
from courses.selectors import track_get
from progress import access, exports
from progress.charts import weekly_bars
from progress.forms import AssignmentForm, EvidencePeriodForm, InviteForm, QuizResetForm
from progress.models import CellState, TeamMembership
from progress.selectors import assessment as assessment_selectors
from progress.selectors import evidence as evidence_selectors
from progress.selectors import teams as selectors
from progress.services import teams as services
from progress.services.assessment import quiz_reset_grant
from safety_academy.learner_pages import cached_for_learner, page_valid_until

# The dashboard's status filter: every cell state, and open work due within the reminder window.
STATUS_FILTERS = {**dict(CellState.choices), selectors.DUE_SOON: "Due in the next 7 days"}


@require_safe
@login_required
def team_list(request):
    teams = list(selectors.teams_led_by(user=request.user))
    # A lead holds their staff's training records: offer them a second factor when they start.
    offer_mfa = bool(teams) and not is_mfa_enabled(request.user)
    return render(request, "progress/teams/team_list.html", {"teams": teams, "offer_mfa": offer_mfa})


def _dashboard_params(request) -> dict:
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "name")
    return {
        "status": status if status in STATUS_FILTERS else "",
        "overdue_only": request.GET.get("overdue") == "1",
        "sort": sort if sort in selectors.DASHBOARD_SORTS else "name",
    }


@cached_for_learner(team_kwarg="team_slug")
@require_safe
@login_required
def dashboard(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    params = _dashboard_params(request)
    # Fifty rows a page, cut by the database; the page links keep the filters and the sort (the CSV has every row).
    board = selectors.team_dashboard(team=team, **params, page=request.GET.get("page") or 1)
    # Column headers sort too, keeping the filters in force.
    kept = {
        k: v for k, v in {"status": params["status"], "overdue": "1" if params["overdue_only"] else ""}.items() if v
    }
    sort_urls = {key: "?" + urlencode({**kept, "sort": key}) for key in selectors.DASHBOARD_SORTS}
    page_query = urlencode({**kept, "sort": params["sort"]})
    chart = weekly_bars(selectors.completions_by_week(team=team))
    invitations = list(selectors.open_invitations(team=team))
    page_valid_until(request, *(invitation.expires_at for invitation in invitations))  # an open one lapses
    return render(
        request,
        "progress/teams/dashboard.html",
        {
            "team": team,
            "board": board,
            "page": board.page,
            "page_query": page_query,
            "params": params,
            "sort_urls": sort_urls,
            "statuses": STATUS_FILTERS,
            "renewal_window_days": settings.RENEWAL_WINDOW_DAYS,
            "chart": chart.bars,
            "chart_width": chart.width,
            "chart_peak": chart.peak,
            "chart_total": chart.total,
            **_blank_forms(),
            "invitations": invitations,
        },
    )


def _blank_forms() -> dict[str, str]:
    """The dashboard's two empty forms, the same for every lead and every team: rendered once per content version
    (the topic list is the catalogue's); rendering the fifty-odd choices took longer than the rest of the page."""
    forms = content_cached(
        "page:dashboard-blank-forms",
        lambda: {"assignment_form": AssignmentForm().as_p(), "invite_form": InviteForm().as_p()},
    )
    return {name: mark_safe(html) for name, html in forms.items()}  # Django's own form rendering, escaped there


@require_safe
@login_required
def member_detail(request, team_slug: str, user_id: int):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    membership = access.member_of_team(team=team, user_id=user_id)
    detail = selectors.member_detail(membership=membership)
    return render(
        request,
        "progress/teams/member.html",
        {
            "team": team,
            "membership": membership,
            "today": timezone.localdate(),
            **detail,
            "quiz_standings": assessment_selectors.member_quiz_standings(user=membership.user),
            "quiz_resets": list(assessment_selectors.member_quiz_resets(user=membership.user)),
            "may_reset": membership.role == TeamMembership.Role.MEMBER and membership.user_id != request.user.pk,
        },
    )


@login_required
@require_POST
def reminders_send(request, team_slug: str):
    """Remind one member (`user`) or every member with overdue work (`scope=overdue`)."""
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    user_id = request.POST.get("user", "")
    if user_id:
        if not user_id.isdigit():
            raise Http404("No such member in this team.")
        membership = access.member_of_team(team=team, user_id=int(user_id))
        report = services.team_reminders_send(team=team, sent_by=request.user, user_id=membership.user_id)
    else:
        report = services.team_reminders_send(team=team, sent_by=request.user)
    if report.queued:
        messages.success(request, f"Reminder sent to {_some(report.queued)}.")
    if report.already_today:
        messages.info(request, f"Already reminded today (one email a day at most): {_some(report.already_today)}.")
    if report.nothing_open:
        messages.info(request, f"Nothing open to remind about: {_some(report.nothing_open)}.")
    if not (report.queued or report.already_today or report.nothing_open):
        messages.info(request, "Nobody has overdue work: no reminder was sent.")
    return redirect(_back(request, team))


def _some(emails: list[str], limit: int = 10) -> str:
    return ", ".join(emails[:limit]) + (f" and {len(emails) - limit} more" if len(emails) > limit else "")


def _back(request, team) -> str:
    """Back to the page the lead came from when it is one of this team's, else the dashboard."""
    target = request.POST.get("next", "")
    prefix = team.get_absolute_url()
    return target if target.startswith(prefix) and "//" not in target else prefix


@login_required
@require_POST
def member_quiz_reset(request, team_slug: str, user_id: int):
    """A lead (or staff) gives a member a fresh start on a quiz, with a reason kept as evidence."""
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    membership = access.member_of_team(team=team, user_id=user_id)
    form = QuizResetForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("progress:team_member", team_slug=team.slug, user_id=membership.user_id)
    quiz = form.cleaned_data["quiz"]
    try:
        quiz_reset_grant(
            granted_by=request.user,
            learner=membership.user,
            quiz=quiz,
            reason=form.cleaned_data["reason"],
            team=team,
        )
    except PermissionDenied:
        raise Http404("No such member in this team.") from None
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, f"{membership.user.email} can take the {quiz.topic.title} quiz again.")
    return redirect("progress:team_member", team_slug=team.slug, user_id=membership.user_id)


@login_required
@require_POST
def member_remove(request, team_slug: str, user_id: int):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    membership = access.member_of_team(team=team, user_id=user_id)
    services.membership_remove(team=team, user_id=membership.user_id)
    messages.success(request, f"{membership.user.email} was removed from {team.name}.")
    return redirect(team.get_absolute_url())


@login_required
@require_POST
def invite(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    form = InviteForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(team.get_absolute_url())
    try:
        report = services.team_invite(team=team, text=form.cleaned_data["text"], invited_by=request.user)
    except services.TeamActionRefused as exc:
        messages.error(request, str(exc))
        return redirect(team.get_absolute_url())
    if report.invited:
        messages.success(
            request,
            f"Invited {len(report.invited)}: {', '.join(report.invited[:10])}"
            + ("…" if len(report.invited) > 10 else ""),
        )
    if report.already_members:
        messages.info(request, f"Already members: {', '.join(report.already_members[:10])}")
    for line, text, reason in report.invalid[:20]:
        messages.warning(request, f"Line {line} skipped ({reason}): {text[:80]}")
    if len(report.invalid) > 20:
        messages.warning(request, f"…and {len(report.invalid) - 20} more lines skipped.")
    return redirect(team.get_absolute_url())


@login_required
@require_POST
def invitation_revoke(request, team_slug: str, invitation_id: int):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    invitation = selectors.team_invitation(team=team, invitation_id=invitation_id)
    if invitation is None:
        raise Http404("No such invitation.")
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect(team.get_absolute_url())


@login_required
@require_POST
def assignment_create(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
        return redirect(team.get_absolute_url())
    target = form.cleaned_data["target"]
    kwargs = {"topic": target} if isinstance(target, Topic) else {"category": target}
    try:
        created = services.assignment_create(
            team=team,
            due_on=form.cleaned_data["due_on"],
            assigned_by=request.user,
            lead_days=form.cleaned_data["lead_days"],
            **kwargs,
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect(team.get_absolute_url())
    messages.success(request, f"Assigned {len(created)} topic(s), due {form.cleaned_data['due_on']:%d %b %Y}.")
    return redirect(team.get_absolute_url())


@login_required
@require_POST
def assignment_delete(request, team_slug: str, assignment_id: int):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    if not services.assignment_delete(team=team, assignment_id=assignment_id):
        raise Http404("No such assignment.")
    messages.success(request, "The assignment was removed.")
    return redirect(team.get_absolute_url())


@require_safe
@login_required
def dashboard_csv(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    board = selectors.dashboard_export(team=team, **_dashboard_params(request))
    return exports.csv_response(exports.dashboard_rows(board), f"{team.slug}-dashboard-{timezone.localdate()}.csv")


def _evidence_period(request, team):
    """The report for the period in the query string, or (None, the form with its errors)."""
    form = EvidencePeriodForm(request.GET)
    if not form.is_valid():
        return None, form
    report = evidence_selectors.evidence_report(
        team=team, period_from=form.cleaned_data.get("from"), period_to=form.cleaned_data.get("to")
    )
    return report, form


@require_safe
@login_required
def evidence_csv(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    report, form = _evidence_period(request, team)
    if report is None:
        return render(request, "progress/teams/evidence_invalid.html", {"team": team, "form": form}, status=400)
    period = "".join(f"-{key}-{form.cleaned_data[key]}" for key in ("from", "to") if form.cleaned_data.get(key))
    return exports.csv_response(
        exports.evidence_rows(report), f"{team.slug}-training-evidence{period}-{timezone.localdate()}.csv"
    )


@require_safe
@login_required
def evidence_page(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    report, form = _evidence_period(request, team)
    if report is None:
        return render(request, "progress/teams/evidence_invalid.html", {"team": team, "form": form}, status=400)
    return StreamingHttpResponse(_evidence_html(request, report, form), content_type="text/html; charset=utf-8")


def _evidence_html(request, report, form):
    """The printable report, streamed: the head (scope, coverage), then rows in chunks, then the foot."""
    context = {
        "team": report.team,
        "report": report,
        "form": form,
        "track": track_get(),
        "request": request,
        "query": request.GET.urlencode(),
    }
    yield render_to_string("progress/teams/evidence_head.html", context, request=request)
    for start in range(0, len(report.rows), 500):
        yield render_to_string("progress/teams/evidence_rows.html", {"rows": report.rows[start : start + 500]})
    yield render_to_string("progress/teams/evidence_foot.html", context, request=request)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def invitation_accept(request, token: str):
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        raise Http404("This invitation link is not valid. Check it was copied in full.")
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except services.TeamActionRefused as exc:
            messages.error(request, str(exc))
            return render(
                request, "progress/teams/invitation.html", {"invitation": invitation, "refused": str(exc)}, status=400
            )
        messages.success(request, f"You joined {membership.team.name}.")
        return redirect("progress:me")
    return render(request, "progress/teams/invitation.html", {"invitation": invitation})
