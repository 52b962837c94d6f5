"""A learner's pages: completion with and without htmx, enrolment, /me/, profile and API token."""

import json
import re

from django.urls import reverse
from rest_framework.authtoken.models import Token

from progress.models import Enrollment, LessonProgress
from progress.services import learning
from tests.factories import grow_everything, topic_with_lessons


def urls_for(lesson):
    args = [lesson.topic.slug, lesson.slug]
    return reverse("progress:lesson_complete", args=args), reverse("progress:lesson_uncomplete", args=args)


def test_mark_complete_without_javascript_redirects_back(learner_client, user, db):
    lesson = topic_with_lessons(2).lessons.first()
    complete_url, undo_url = urls_for(lesson)
    response = learner_client.post(complete_url)
    assert response.status_code == 302 and response["Location"] == lesson.get_absolute_url()
    assert LessonProgress.objects.get(user=user, lesson=lesson).completed_at is not None
    page = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert "You completed this lesson" in page
    learner_client.post(undo_url)
    assert LessonProgress.objects.get(user=user, lesson=lesson).completed_at is None


def test_mark_complete_with_htmx_returns_the_fragments_to_swap(learner_client, user, db):
    topic = topic_with_lessons(4, quiz_questions=2)
    lesson = topic.lessons.order_by("position").first()
    complete_url, undo_url = urls_for(lesson)
    response = learner_client.post(complete_url, {"stay": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lesson-completion"' in html and "You completed this lesson" in html
    assert 'id="topic-steps" hx-swap-oob="true"' in html and html.count("hx-swap-oob") == 1 and "<html" not in html
    assert "1/4 lessons · 3 lessons + quiz left" in html
    assert 'data-testid="next-step"' in html and "Next: " in html  # the call to action stays
    undone = learner_client.post(undo_url, HTTP_HX_REQUEST="true").content.decode()
    assert "0/4 lessons" in undone and 'data-testid="complete-and-continue"' in undone


def test_complete_and_continue_opens_the_next_step(learner_client, user, db):
    topic = topic_with_lessons(2, quiz_questions=2)
    first, last = topic.lessons.order_by("position")
    complete_url, _ = urls_for(first)
    page = learner_client.get(first.get_absolute_url()).content.decode()
    assert "Complete and continue" in page and f'name="next" value="{last.get_absolute_url()}"' in page
    response = learner_client.post(complete_url, {"next": last.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == last.get_absolute_url()
    # htmx: the next page is fetched and swapped into <main>, and pushed into the history
    htmx = learner_client.post(urls_for(last)[0], {"next": f"/topics/{topic.slug}/quiz/"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert json.loads(htmx["HX-Location"]) == {
        "path": f"/topics/{topic.slug}/quiz/",
        "target": "#main",
        "select": "#main",
        "swap": "outerHTML",
    }
    assert LessonProgress.objects.filter(user=user, completed_at__isnull=False).count() == 2
    assert learner_client.post(complete_url, {"next": "https://evil.example/"})["Location"] == first.get_absolute_url()


def test_continue_skips_lessons_already_done(learner_client, user, db):
    topic = topic_with_lessons(4)
    first, second, third, fourth = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=third)
    page = learner_client.get(second.get_absolute_url()).content.decode()
    assert f'name="next" value="{fourth.get_absolute_url()}"' in page
    learning.lesson_complete(user=user, lesson=fourth)
    page = learner_client.get(second.get_absolute_url()).content.decode()
    assert f'name="next" value="{first.get_absolute_url()}"' in page  # round to the one left at the start
    learning.lesson_complete(user=user, lesson=first)
    page = learner_client.get(second.get_absolute_url()).content.decode()
    assert "Complete the topic" in page and f'name="next" value="{topic.get_absolute_url()}"' in page


def test_after_the_last_lesson_the_quiz_is_the_main_button(learner_client, user, db):
    topic = topic_with_lessons(2, quiz_questions=2)
    first, last = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    page = learner_client.get(last.get_absolute_url()).content.decode()
    assert "Complete and take the quiz" in page
    learning.lesson_complete(user=user, lesson=last)
    page = learner_client.get(last.get_absolute_url()).content.decode()
    assert re.search(r'<a class="button" href="/topics/[^"]+/quiz/" data-testid="next-step">Take the quiz</a>', page)
    assert "2/2 lessons · quiz to take" in page and "is-complete" not in page


def test_the_sidebar_lists_each_step_with_its_state_and_the_time_left(learner_client, user, db):
    topic = topic_with_lessons(3, quiz_questions=2)
    first, second, third = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    learning.lesson_open(user=user, lesson=third)
    html = learner_client.get(second.get_absolute_url()).content.decode()
    steps = re.findall(r'<li class="step step-(\w+)', html)
    assert steps == ["done", "current", "opened", "todo"]  # three lessons, then the quiz
    assert "(completed)" in html and "(you are here)" in html and "(started)" in html
    assert "About 20 min of reading left, then the quiz" in html


def test_a_long_lesson_gets_a_table_of_contents(learner_client, user, db):
    topic = topic_with_lessons(1)
    lesson = topic.lessons.get()
    lesson.body_markdown = "".join(f"## Part {n} & more\n\nText.\n\n" for n in range(1, 5))
    lesson.save()
    html = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert 'aria-labelledby="toc-title"' in html
    assert '<a href="#part-4-more">Part 4 &amp; more</a>' in html
    lesson.body_markdown = "## Only\n\n## Three\n\n## Parts\n"
    lesson.save()
    assert "toc-title" not in learner_client.get(lesson.get_absolute_url()).content.decode()


def test_reading_a_lesson_does_not_enrol_but_start_does(learner_client, user, db):
    topic = topic_with_lessons(2)
    first = topic.lessons.order_by("position").first()
    html = learner_client.get(first.get_absolute_url()).content.decode()
    assert not Enrollment.objects.filter(user=user).exists()
    assert "You are browsing this topic" in html
    assert LessonProgress.objects.get(user=user, lesson=first).last_opened_at is not None
    topic_page = learner_client.get(topic.get_absolute_url()).content.decode()
    assert 'data-testid="start"' in topic_page
    response = learner_client.post(reverse("progress:enroll", args=[topic.slug]), {"next": first.get_absolute_url()})
    assert response["Location"] == first.get_absolute_url()
    assert Enrollment.objects.filter(user=user, topic=topic).exists()


def test_completion_needs_login_and_post(client, db):
    lesson = topic_with_lessons(1).lessons.first()
    complete_url, _ = urls_for(lesson)
    assert client.post(complete_url).status_code == 302  # to the login page
    assert not LessonProgress.objects.exists()


def test_completing_an_unknown_lesson_is_404(learner_client, db):
    assert learner_client.post("/topics/nope/nope/complete/").status_code == 404
    assert learner_client.get(urls_for(topic_with_lessons(1).lessons.first())[0]).status_code == 405


def test_enrol_and_leave(learner_client, user, db):
    topic = topic_with_lessons(1)
    learner_client.post(reverse("progress:enroll", args=[topic.slug]))
    assert Enrollment.objects.filter(user=user, topic=topic).exists()
    learner_client.post(reverse("progress:leave", args=[topic.slug]))
    assert not Enrollment.objects.filter(user=user, topic=topic).exists()


def test_open_redirects_are_refused(learner_client, db):
    topic = topic_with_lessons(1)
    response = learner_client.post(reverse("progress:enroll", args=[topic.slug]), {"next": "https://evil.example/"})
    assert response["Location"] == topic.get_absolute_url()


def test_me_shows_continue_progress_and_certificates_section(learner_client, user, db):
    topic = topic_with_lessons(3)
    first, second, _ = topic.lessons.order_by("position")
    learning.lesson_complete(user=user, lesson=first)
    learning.lesson_open(user=user, lesson=second)
    html = learner_client.get(reverse("progress:me")).content.decode()
    assert second.get_absolute_url() in html
    assert "Continue where you left off" in html
    assert topic.title in html and "1/3" in html
    assert "Certificates" in html


def test_profile_sets_the_certificate_name(learner_client, user, db):
    response = learner_client.post(reverse("progress:profile"), {"full_name": "Grace  Hopper"})
    assert response.status_code == 302
    assert user.profile.__class__.objects.get(user=user).full_name == "Grace Hopper"
    bad = learner_client.post(reverse("progress:profile"), {"full_name": "   "})
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()


def test_api_token_create_show_once_and_revoke(learner_client, user, db):
    learner_client.post(reverse("progress:token_create"))
    token = Token.objects.get(user=user)
    first = learner_client.get(reverse("progress:profile")).content.decode()
    assert token.key in first
    assert token.key not in learner_client.get(reverse("progress:profile")).content.decode()
    learner_client.post(reverse("progress:token_revoke"))
    assert not Token.objects.filter(user=user).exists()


def test_me_runs_a_fixed_number_of_queries(client, busy_learner, django_assert_num_queries):
    client.force_login(busy_learner)
    client.get(reverse("progress:me"))
    with django_assert_num_queries(13):
        assert client.get(reverse("progress:me")).status_code == 200
    grow_everything(busy_learner)
    client.get(reverse("progress:me"))  # warm up again: new content is a new content version, read once into the cache
    with django_assert_num_queries(13):
        assert client.get(reverse("progress:me")).status_code == 200
