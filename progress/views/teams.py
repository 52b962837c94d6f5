"""A lead's pages: the team dashboard, member drill-down, invitations, assignments, exports.
Every view starts from progress.access, so who may see a team is decided in one place."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from courses.models import Topic
from courses.selectors import track_get
from progress import access, exports
from progress.charts import weekly_bars
from progress.forms import AssignmentForm, InviteForm, QuizResetForm
from progress.models import CellState, TeamMembership
from progress.selectors import assessment as assessment_selectors
from progress.selectors import teams as selectors
from progress.services import teams as services
from progress.services.assessment import quiz_reset_grant


@login_required
def team_list(request):
    teams = list(selectors.teams_led_by(user=request.user))
    return render(request, "progress/teams/team_list.html", {"teams": teams})


def _dashboard_params(request) -> dict:
    status = request.GET.get("status", "")
    return {
        "status": status if status in CellState.values else "",
        "overdue_only": request.GET.get("overdue") == "1",
        "sort": request.GET.get("sort", "name")
        if request.GET.get("sort") in {"name", "progress", "overdue"}
        else "name",
    }


@login_required
def dashboard(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    params = _dashboard_params(request)
    board = selectors.team_dashboard(team=team, **params)
    # Column headers sort too, keeping the filters in force.
    kept = {
        k: v for k, v in {"status": params["status"], "overdue": "1" if params["overdue_only"] else ""}.items() if v
    }
    sort_urls = {key: "?" + urlencode({**kept, "sort": key}) for key in ("name", "progress", "overdue")}
    chart = weekly_bars(selectors.completions_by_week(team=team))
    return render(
        request,
        "progress/teams/dashboard.html",
        {
            "team": team,
            "board": board,
            "params": params,
            "sort_urls": sort_urls,
            "statuses": dict(CellState.choices),
            "chart": chart.bars,
            "chart_width": chart.width,
            "chart_peak": chart.peak,
            "chart_total": chart.total,
            "invite_form": InviteForm(),
            "assignment_form": AssignmentForm(),
            "invitations": list(selectors.open_invitations(team=team)),
        },
    )


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
            **detail,
            "quiz_standings": assessment_selectors.member_quiz_standings(user=membership.user),
            "quiz_resets": list(assessment_selectors.member_quiz_resets(user=membership.user)),
            "may_reset": membership.role == TeamMembership.Role.MEMBER and membership.user_id != request.user.pk,
        },
    )


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
            team=team, due_on=form.cleaned_data["due_on"], assigned_by=request.user, **kwargs
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


@login_required
def dashboard_csv(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    board = selectors.team_dashboard(team=team, **_dashboard_params(request))
    return exports.csv_response(exports.dashboard_rows(board), f"{team.slug}-dashboard-{timezone.localdate()}.csv")


@login_required
def evidence_csv(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    rows = exports.evidence_rows(selectors.evidence_rows(team=team))
    return exports.csv_response(rows, f"{team.slug}-training-evidence-{timezone.localdate()}.csv")


@login_required
def evidence_page(request, team_slug: str):
    team = access.team_for_lead(user=request.user, team_slug=team_slug)
    return StreamingHttpResponse(_evidence_html(request, team), content_type="text/html; charset=utf-8")


def _evidence_html(request, team):
    """The printable report, streamed: the page head, then rows in chunks, then the foot."""
    context = {"team": team, "track": track_get(), "generated_at": timezone.now(), "request": request}
    yield render_to_string("progress/teams/evidence_head.html", context, request=request)
    chunk = []
    for row in selectors.evidence_rows(team=team):
        chunk.append(row)
        if len(chunk) == 500:
            yield render_to_string("progress/teams/evidence_rows.html", {"rows": chunk})
            chunk = []
    yield render_to_string("progress/teams/evidence_rows.html", {"rows": chunk, "last": True})
    yield render_to_string("progress/teams/evidence_foot.html", context, request=request)


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
