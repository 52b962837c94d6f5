"""The track's structure, for every topic: six lessons with proper front matter, a quiz that checks
every lesson with a bank of twenty questions of two kinds or more, and all of it loaded."""

import re

import pytest
from django.conf import settings

from courses.models import Lesson, Topic
from courses.track import read_track
from quizzes.models import Question, Quiz

TRACK = read_track(settings.TRACK_PATH)
TOPICS = [topic for category in TRACK.categories for topic in category.topics]


def test_eight_categories_and_fifty_topics():
    assert len(TRACK.categories) == 8
    assert len(TOPICS) == 50
    assert len({t.slug for t in TOPICS}) == 50


@pytest.mark.parametrize("topic", TOPICS, ids=[t.slug for t in TOPICS])
def test_topic_structure(topic):
    assert len(topic.body.split()) >= 150, "the overview needs 150+ words"
    if not topic.lessons:
        pytest.skip("lessons in preparation")
    assert len(topic.lessons) == 6
    assert [lesson.position for lesson in topic.lessons] == [1, 2, 3, 4, 5, 6]
    for lesson in topic.lessons:
        assert 3 <= len(lesson.objectives) <= 5, lesson.path
        prose = re.sub(r"```.*?```", " ", lesson.body, flags=re.S)  # a '#' in a code block is no heading
        assert not re.search(r"^#\s", prose, flags=re.M), f"{lesson.path} has an H1"
        headings = [h.strip().lower() for h in re.findall(r"^##\s+(.+)$", prose, flags=re.M)]
        assert "key takeaways" in headings and headings[-1] == "further reading", lesson.path
        assert len(headings) >= 5, lesson.path
    quiz = topic.quiz
    assert quiz is not None, f"{topic.path} has lessons but no quiz.yaml"
    assert len(quiz.questions) >= 20
    assert {q.lesson_stem for q in quiz.questions} == {lesson.stem for lesson in topic.lessons}
    assert len({q.kind for q in quiz.questions}) >= 2


def test_everything_is_loaded(db):
    lessons_in_files = sum(len(t.lessons) for t in TOPICS)
    assert Lesson.objects.filter(is_published=True, topic__slug__in=[t.slug for t in TOPICS]).count() == (
        lessons_in_files
    )
    assert Quiz.objects.filter(topic__slug__in=[t.slug for t in TOPICS]).count() == sum(1 for t in TOPICS if t.quiz)
    assert Question.objects.filter(quiz__topic__slug__in=[t.slug for t in TOPICS], lesson__isnull=True).count() == 0
    assert Topic.objects.filter(slug__in=[t.slug for t in TOPICS]).count() == 50


def test_lesson_pages_render_tables_and_code_cleanly(client, db):
    lesson = Lesson.objects.filter(body_markdown__contains="|---").first()
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "<table>" in html and "|---" not in html
    coded = Lesson.objects.filter(body_markdown__contains="```").first()
    assert 'class="highlight"' in client.get(coded.get_absolute_url()).content.decode()
