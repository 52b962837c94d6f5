"""A learner's pages: completion with and without htmx, enrolment, /me/, profile and API token."""

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
    topic = topic_with_lessons(4)
    lesson = topic.lessons.first()
    complete_url, _ = urls_for(lesson)
    response = learner_client.post(complete_url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lesson-completion"' in html and "You completed this lesson" in html
    assert 'id="topic-progress" hx-swap-oob="true"' in html
    assert "1/4 lessons" in html and "<html" not in html


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
    with django_assert_num_queries(22):
        assert client.get(reverse("progress:me")).status_code == 200
    grow_everything(busy_learner)
    with django_assert_num_queries(22):
        assert client.get(reverse("progress:me")).status_code == 200
