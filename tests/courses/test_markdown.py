"""The one Markdown renderer: useful formatting survives, anything executable comes out inert."""

import pytest

from courses.models import Lesson
from safety_academy.markdown import render_markdown, section_headings
from tests.factories import LessonFactory


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("<script>alert('x')</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<body onload="alert(1)">hi</body>', "onload"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ('<iframe src="https://example.com"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<p style="color:red">x</p>', "style="),
        ("<object data='x'></object>", "<object"),
    ],
)
def test_dangerous_markup_comes_out_inert(source, forbidden):
    html = render_markdown(source)
    assert forbidden not in html.lower()


def test_tables_code_and_heading_anchors_render():
    html = render_markdown(
        "## Hazard log\n\n| id | hazard |\n|---|:---|\n| H1 | drift |\n\n```python\nprint('x')\n```\n"
    )
    assert '<h2 id="hazard-log">' in html
    assert "<table>" in html and "<td>H1</td>" in html and '<td align="left">drift</td>' in html
    assert 'class="highlight"' in html
    assert "style=" not in html  # alignment uses the align attribute, which the CSP allows


def test_links_keep_safe_protocols():
    html = render_markdown("[NIST](https://www.nist.gov/) and [mail](mailto:a@example.com)")
    assert 'href="https://www.nist.gov/"' in html
    assert 'href="mailto:a@example.com"' in html


def test_lesson_body_is_rendered_once_on_save(db):
    lesson = LessonFactory(body_markdown="## Heading\n\n<script>bad()</script> **bold**")
    assert "<strong>bold</strong>" in lesson.body_html
    assert "<script" not in lesson.body_html


def test_reading_list_links_leave_the_site_without_a_window_reference(client, db):
    lesson = Lesson.objects.filter(body_markdown__contains="](https://").first()
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert 'rel="noopener noreferrer"' in html
    assert render_markdown("[x](https://example.org)").count('rel="noopener noreferrer"') == 1
    assert "rel=" not in render_markdown("[x](/topics/)")
    assert 'href="https://example.org/a"' in render_markdown("See https://example.org/a for more.")


def test_code_blocks_and_tables_are_focusable_labelled_scroll_regions():
    html = render_markdown("```python\nx = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ny\n```\n")
    assert '<pre tabindex="0" role="region" aria-label="Code example 1">' in html
    assert 'aria-label="Code example 2"' in html
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="Table 1"><table>' in html
    assert html.count("</table></div>") == 1


def test_authors_cannot_forge_the_region_attributes():
    html = render_markdown('<pre onfocus="x()" tabindex="5">a</pre>\n\nSome `<table>` in code.\n')
    assert "onfocus" not in html and 'tabindex="5"' not in html
    assert "&lt;table&gt;" in html and "table-scroll" not in html


def test_section_headings_for_a_table_of_contents():
    html = render_markdown("## One & *two*\n\ntext\n\n### Not this\n\n## `Three`\n")
    assert section_headings(html) == [("one-two", "One & two"), ("three", "Three")]
