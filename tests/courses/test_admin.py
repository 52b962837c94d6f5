"""Curating the catalogue in the admin: change lists, previews, publishing, objectives."""

import html
import re

import pytest
from django.urls import reverse

from courses.models import Lesson, Topic
from progress.models import Certificate, Team, TopicCompletion
from progress.services import learning
from quizzes.models import Attempt, Question, Quiz
from tests.factories import LessonFactory, topic_with_lessons


@pytest.mark.parametrize("model", [Topic, Lesson, Quiz, Question, Attempt, Certificate, Team])
def test_changelists_open(admin_client, model, db):
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "safety"})
    assert response.status_code == 200


def test_topic_and_lesson_change_pages_with_inline_and_preview(admin_client, db):
    topic = Topic.objects.filter(lessons__isnull=False).first()
    page = admin_client.get(reverse("admin:courses_topic_change", args=[topic.pk])).content.decode()
    assert topic.lessons.first().title.replace("'", "&#x27;") in page
    lesson = LessonFactory(body_markdown="## Heading\n\n<script>alert(1)</script>**visible**")
    page = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert "<strong>visible</strong>" in srcdoc(page) and "<script>alert(1)" not in srcdoc(page)


def test_publish_and_unpublish_actions(admin_client, db):
    lessons = list(Lesson.objects.filter(is_published=True)[:3])
    url = reverse("admin:courses_lesson_changelist")
    admin_client.post(url, {"action": "unpublish", "_selected_action": [lesson.pk for lesson in lessons]})
    assert not Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons], is_published=True).exists()
    admin_client.post(url, {"action": "publish", "_selected_action": [lesson.pk for lesson in lessons]})
    assert Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons], is_published=True).count() == 3


def test_objectives_are_edited_one_per_line(admin_client, db):
    lesson = LessonFactory(objectives=["Explain a", "Build b"])
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    assert "Explain a\nBuild b" in admin_client.get(url).content.decode()
    data = {
        "topic": lesson.topic_id,
        "title": lesson.title,
        "slug": lesson.slug,
        "position": 1,
        "minutes": 9,
        "is_published": "on",
        "objectives": "First\n\n  Second  \n",
        "body_markdown": "Body",
    }
    assert admin_client.post(url, data).status_code == 302
    lesson.refresh_from_db()
    assert lesson.objectives == ["First", "Second"]


def test_hiding_a_lesson_in_the_admin_completes_topics_it_was_holding_back(
    admin_client, user, django_capture_on_commit_callbacks
):
    """The publish rule: hiding a lesson catches up completions (its form and its action alike)."""
    topic = topic_with_lessons(3)
    first, second, third = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    learning.lesson_complete(user=user, lesson=second)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/courses/lesson/",
            {"action": "unpublish", "_selected_action": [third.pk]},
        )
    assert TopicCompletion.objects.filter(user=user, topic=topic).exists()
    third.refresh_from_db()
    assert not third.is_published


def test_topics_are_published_through_actions_not_inline_edits(admin_client, db):
    topic = Topic.objects.first()
    admin_client.post("/admin/courses/topic/", {"action": "unpublish", "_selected_action": [topic.pk]})
    topic.refresh_from_db()
    assert not topic.is_published
    page = admin_client.get("/admin/courses/topic/").content.decode()
    assert 'name="form-0-is_published"' not in page


# --- The lesson editor, its preview, ordering and the files marker ---------------------------------------

CODE_LESSON = "## Heading\n\n```python\nprint('hi')\n```\n\n<script>alert(1)</script>**visible**\n"


def srcdoc(page: str) -> str:
    """The preview frame's document, unescaped from its srcdoc attribute."""
    match = re.search(r'<iframe id="lesson-preview"[^>]*srcdoc="([^"]*)"', page)
    assert match, page[:2000]
    return html.unescape(match.group(1))


def test_the_preview_is_the_site_page_with_its_stylesheet_and_highlighting(admin_client, db):
    lesson = LessonFactory(body_markdown=CODE_LESSON, objectives=["Spot the difference"])
    page = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert 'sandbox="allow-same-origin"' in page  # no scripts in the frame
    document = srcdoc(page)
    assert '<link rel="stylesheet" href="/static/css/site.css">' in document
    assert '<link rel="stylesheet" href="/static/css/pygments.css">' in document
    assert '<div class="lesson-body">' in document and 'class="highlight"' in document
    assert "<strong>visible</strong>" in document and "<script" not in document and "style=" not in document
    assert "After this lesson you can" in document and "Spot the difference" in document


def test_the_editor_previews_unsaved_markdown_through_the_same_renderer(admin_client, db):
    lesson = LessonFactory()
    page = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    preview_url = reverse("admin:courses_lesson_preview")
    assert 'class="markdown-editor"' in page and f'hx-post="{preview_url}"' in page
    assert "/static/js/htmx.min.js" in page and "/static/css/admin.css" in page
    assert '"includeIndicatorStyles": false' in page  # htmx adds no inline style the CSP would refuse
    response = admin_client.post(
        preview_url,
        {"title": "Draft title", "minutes": "7", "objectives": "One\nTwo", "body_markdown": CODE_LESSON},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    document = srcdoc(response.content.decode())
    assert "Draft title" in document and "7 min read" in document and "<li>Two</li>" in document
    assert 'class="highlight"' in document and "<script" not in document
    assert admin_client.get(preview_url).status_code == 405


def test_only_staff_reach_the_preview_and_ordering(client, user, db):
    lesson = LessonFactory()
    client.force_login(user)
    for url in (reverse("admin:courses_lesson_preview"), reverse("admin:courses_lesson_move", args=[lesson.pk, "up"])):
        response = client.post(url, {"body_markdown": "x"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_up_and_down_buttons_write_positions(admin_client, db):
    topic = topic_with_lessons(3)
    first, second, third = topic.lessons.order_by("position")
    changelist = reverse("admin:courses_lesson_changelist") + f"?topic__id__exact={topic.pk}"
    page = admin_client.get(changelist).content.decode()
    assert f'formaction="{reverse("admin:courses_lesson_move", args=[third.pk, "up"])}"' in page
    response = admin_client.post(
        reverse("admin:courses_lesson_move", args=[third.pk, "up"]),
        headers={"referer": "http://testserver" + changelist},
    )
    assert response.status_code == 302 and response["Location"].endswith(changelist)
    assert list(topic.lessons.order_by("position").values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    admin_client.post(reverse("admin:courses_lesson_move", args=[first.pk, "up"]))
    assert first.pk == topic.lessons.order_by("position").first().pk
    assert admin_client.get(reverse("admin:courses_lesson_move", args=[first.pk, "up"])).status_code == 405
    topic_page = admin_client.get(reverse("admin:courses_topic_change", args=[topic.pk])).content.decode()
    assert reverse("admin:courses_lesson_move", args=[second.pk, "down"]) in topic_page


def test_changed_since_loaded_marker_and_filter(admin_client, db):
    lesson = Lesson.objects.filter(is_published=True).order_by("pk").first()
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    assert "As loaded from its file." in admin_client.get(url).content.decode()
    data = {
        "title": lesson.title,
        "minutes": lesson.minutes,
        "is_published": "on",
        "objectives": "\r\n".join(lesson.objectives),
        "body_markdown": lesson.body_markdown.replace("\n", "\r\n"),  # as a browser sends it
    }
    assert admin_client.post(url, data).status_code == 302
    lesson.refresh_from_db()
    assert not lesson.changed_since_loaded  # saving without a change is no change
    data["body_markdown"] += "\r\nA line added in the admin.\r\n"
    admin_client.post(url, data)
    lesson.refresh_from_db()
    assert lesson.changed_since_loaded
    assert "Changed since loaded from its file" in admin_client.get(url).content.decode()
    changed = admin_client.get(reverse("admin:courses_lesson_changelist"), {"source": "changed"}).content.decode()
    assert "changed since loaded" in changed and lesson.title.replace("'", "&#x27;") in changed
    assert changed.count('class="source-badge"') == 1


def test_the_topic_form_starts_with_its_title(admin_client, db):
    topic = Topic.objects.filter(lessons__isnull=False).first()
    page = admin_client.get(reverse("admin:courses_topic_change", args=[topic.pk])).content.decode()
    assert page.index('name="title"') < page.index('name="summary"') < page.index('name="body_markdown"')
    assert 'name="slug"' not in page  # from the files: the folder's name


def test_a_new_lesson_goes_last_in_its_topic(admin_client, db):
    topic = topic_with_lessons(2)
    page = admin_client.get(reverse("admin:courses_lesson_add")).content.decode()
    assert 'id="lesson-preview"' in page
    data = {
        "topic": topic.pk,
        "title": "Added in the admin",
        "slug": "added-in-the-admin",
        "position": 0,
        "minutes": 5,
        "is_published": "on",
        "objectives": "Do a thing",
        "body_markdown": "Body\r\n",
    }
    assert admin_client.post(reverse("admin:courses_lesson_add"), data).status_code == 302
    lesson = Lesson.objects.get(slug="added-in-the-admin")
    assert lesson.position == 3 and lesson.body_markdown == "Body\n" and not lesson.from_file


# The "changed since loaded" filter reads every lesson once more: the fingerprint is computed in Python.
# Each admin page also asks whether the staff member has a second factor (the MFA rule for staff).
LIST_BUDGETS = {"/admin/courses/lesson/": 7, "/admin/courses/lesson/?source=changed": 8}


@pytest.mark.parametrize("url", list(LIST_BUDGETS))
def test_lesson_list_runs_a_fixed_number_of_queries(admin_client, django_assert_num_queries, url):
    Lesson.objects.filter(pk=Lesson.objects.order_by("pk").first().pk).update(title="Edited in the admin")
    assert "changed since loaded" in admin_client.get(url).content.decode()
    with django_assert_num_queries(LIST_BUDGETS[url]):
        admin_client.get(url)
    for lesson in Lesson.objects.order_by("pk")[:5]:
        lesson.body_markdown += "\nMore.\n"
        lesson.save()
    topic_with_lessons(4)
    with django_assert_num_queries(LIST_BUDGETS[url]):
        assert admin_client.get(url).content.decode().count("changed since loaded") >= 5


def test_live_preview_runs_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    topic = topic_with_lessons(2)
    data = {"topic": topic.pk, "title": "T", "minutes": "5", "objectives": "A", "body_markdown": CODE_LESSON}
    url = reverse("admin:courses_lesson_preview")
    admin_client.post(url, data)
    with django_assert_num_queries(4):
        admin_client.post(url, data)
    topic_with_lessons(3, category=topic.category)
    LessonFactory(topic=topic)
    with django_assert_num_queries(4):
        assert "lesson 1 of 3" in html.unescape(admin_client.post(url, data).content.decode())
