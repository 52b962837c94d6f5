"""An admin edits a lesson: the preview is the site's own page, with its stylesheet and code highlighting,
and it follows the Markdown as it is typed (htmx, through the server's renderer), with nothing the CSP refuses."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Topic
from tests.e2e.helpers import log_in
from tests.factories import PASSWORD, LessonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_previews_a_lesson_as_learners_see_it_while_editing(site, new_page, track):
    admin = UserFactory(is_staff=True, is_superuser=True)
    lesson = LessonFactory(body_markdown="## Setup\n\n```python\nimport os\n```\n", objectives=["Read the code"])
    page = new_page("admin")
    log_in(page, email=admin.email, password=PASSWORD)
    page.goto(f"/admin/courses/lesson/{lesson.pk}/change/")

    preview = page.frame_locator("#lesson-preview")
    body = preview.locator(".lesson-body")
    expect(body.get_by_role("heading", name="Setup")).to_be_visible()
    # The site's stylesheet governs the frame: the reading measure and the code block's frame are site.css's,
    # and Pygments colours the keyword.
    assert body.evaluate("el => getComputedStyle(el).maxWidth") != "none"
    assert preview.locator(".highlight pre").evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    keyword = preview.locator(".highlight .kn").first
    assert int(keyword.evaluate("el => getComputedStyle(el).fontWeight")) >= 600  # bold, as the palette sets it

    editor = page.get_by_label("Body (Markdown)")
    expect(editor).to_have_css("font-family", re.compile("monospace"))
    editor.focus()
    page.keyboard.press("Control+End")
    editor.press_sequentially("\n\nA **fresh** paragraph typed just now.")
    expect(preview.locator(".lesson-body strong")).to_have_text("fresh")

    # Nothing saved yet: the preview ran on the form as it stands.
    lesson.refresh_from_db()
    assert "fresh" not in lesson.body_markdown


def test_admin_reorders_lessons_with_the_up_and_down_buttons(site, new_page, track):
    admin = UserFactory(is_staff=True, is_superuser=True)
    topic = Topic.objects.filter(lessons__isnull=False).order_by("pk").first()
    first, second = topic.lessons.order_by("position")[:2]
    page = new_page("admin")
    log_in(page, email=admin.email, password=PASSWORD)
    page.goto(f"/admin/courses/lesson/?topic__id__exact={topic.pk}")
    page.get_by_role("button", name=f"Move {first.title} down").click()
    expect(page.get_by_text(f"“{first.title}” moved down.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"topic__id__exact={topic.pk}"))  # back to the same list
    assert list(topic.lessons.order_by("position").values_list("pk", flat=True)[:2]) == [second.pk, first.pk]
    expect(page.get_by_role("row").filter(has_text=first.title)).to_contain_text("changed since loaded")
