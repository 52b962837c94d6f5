"""factory_boy factories for the models tests build on."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import Category, Framework, FrameworkItem, FrameworkMapping, Lesson, Topic
from progress.models import (
    Assignment,
    Certificate,
    Enrollment,
    LessonProgress,
    Profile,
    Team,
    TeamMembership,
    TopicCompletion,
)
from progress.services.summary import topic_progress_rebuild
from quizzes.models import Choice, Question, Quiz
from quizzes.services import quiz_attempt_grade, quiz_attempt_start

PASSWORD = "a-long-test-password-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.SelfAttribute("email")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            Profile.objects.create(user=self, full_name=f"Test Person {self.pk}")

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        """Staff have an authenticator app by default, as the site requires of them; `mfa=False` makes
        one without, `mfa=True` gives anyone one (secret TOTP_SECRET)."""
        if create and (self.is_staff if extracted is None else extracted):
            TOTP.activate(self, TOTP_SECRET)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    title = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(lambda n: 100 + n)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    category = factory.SubFactory(CategoryFactory)
    slug = factory.Sequence(lambda n: f"test-topic-{n}")
    title = factory.Sequence(lambda n: f"Test topic {n}")
    summary = "A topic made for a test."
    body_markdown = "An overview of the topic."
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    topic = factory.SubFactory(TopicFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    objectives = factory.LazyFunction(lambda: ["Explain a thing", "Do a thing", "Spot a thing"])
    body_markdown = "## Section\n\nSome lesson text about **hazards**.\n"
    minutes = 10
    position = factory.Sequence(lambda n: n)


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    topic = factory.SubFactory(TopicFactory)
    pass_percent = 70
    max_attempts = None
    shuffle = True


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question with three choices, the first correct."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    quiz = factory.SubFactory(QuizFactory)
    kind = Question.Kind.SINGLE
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    explanation = factory.Sequence(lambda n: f"SECRET-EXPLANATION-{n}")
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def with_choices(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        if self.kind == Question.Kind.TRUE_FALSE:
            Choice.objects.create(question=self, text="True", is_correct=True, position=1)
            Choice.objects.create(question=self, text="False", is_correct=False, position=2)
        elif self.kind == Question.Kind.MULTIPLE:
            for i, correct in enumerate([True, True, False, False], 1):
                Choice.objects.create(question=self, text=f"Choice {i}", is_correct=correct, position=i)
        else:
            for i, correct in enumerate([True, False, False], 1):
                Choice.objects.create(question=self, text=f"Choice {i}", is_correct=correct, position=i)


def topic_with_lessons(n: int = 3, *, quiz_questions: int = 0, **topic_kwargs) -> Topic:
    topic = TopicFactory(**topic_kwargs)
    for i in range(1, n + 1):
        LessonFactory(topic=topic, position=i)
    if quiz_questions:
        quiz = QuizFactory(topic=topic)
        lessons = list(topic.lessons.all())
        kinds = [Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE]
        for i in range(quiz_questions):
            QuestionFactory(quiz=quiz, kind=kinds[i % 3], position=i + 1, lesson=lessons[i % len(lessons)])
    return topic


def _correct_choice_ids(attempt) -> set[int]:
    return set(
        Choice.objects.filter(question_id__in=attempt.question_order, is_correct=True).values_list("pk", flat=True)
    )


def correct_answers(attempt) -> dict[int, list[str]]:
    """The attempt's tokens for the correct choices (from the bank, not from the attempt's own key)."""
    correct = _correct_choice_ids(attempt)
    return {
        qid: [t for t in attempt.choice_order[str(qid)] if attempt.choice_tokens[t] in correct]
        for qid in attempt.question_order
    }


def wrong_answers(attempt) -> dict[int, list[str]]:
    """One wrong choice's token for every question."""
    correct = _correct_choice_ids(attempt)
    return {
        qid: [next(t for t in attempt.choice_order[str(qid)] if attempt.choice_tokens[t] not in correct)]
        for qid in attempt.question_order
    }


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamMembership.Role.MEMBER
    # An established team: members joined well before any due date a test sets (late joiners say so).
    joined_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=90))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    team = factory.SubFactory(TeamFactory)
    topic = factory.SubFactory(TopicFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


def make_busy_learner(user, *, lessons: int = 250):
    """A learner with something in every list: many lessons done (written in bulk, as a long history
    would be), enrolments, a passed quiz with the topic complete and its certificate, a failed
    attempt, and a team they lead with members."""
    now = timezone.now()
    done = list(Lesson.objects.filter(is_published=True, topic__is_published=True).order_by("pk")[:lessons])
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=user, lesson=x, first_opened_at=now, last_opened_at=now, completed_at=now) for x in done]
    )
    topic_ids = sorted({lesson.topic_id for lesson in done})
    Enrollment.objects.bulk_create([Enrollment(user=user, topic_id=t) for t in topic_ids])
    passed, failed = (Quiz.objects.filter(topic_id__in=topic_ids).order_by("pk")[:2]).all()
    attempt = quiz_attempt_start(user=user, quiz=passed)
    quiz_attempt_grade(attempt_id=attempt.pk, user=user, answers=correct_answers(attempt))
    TopicCompletion.objects.create(user=user, topic_id=passed.topic_id, completed_at=now, content_version=now)
    Certificate.objects.create(user=user, topic_id=passed.topic_id)
    _submit_wrong(user, failed)
    team = TeamFactory()
    MembershipFactory(team=team, user=user, role=TeamMembership.Role.LEAD)
    for _ in range(2):
        MembershipFactory(team=team)
    AssignmentFactory(team=team, topic_id=topic_ids[0])
    elsewhere = TeamFactory()
    MembershipFactory(team=elsewhere, user=user)
    AssignmentFactory(team=elsewhere, topic_id=topic_ids[1])
    topic_progress_rebuild(user_ids=[user.pk])  # the rows above were written in bulk, past the services
    return user


def grow_everything(user) -> None:
    """More of everything a learner's pages list: new content in every topic the learner has, another
    topic and category, more progress, enrolments, attempts, assignments and teams."""
    topic = Topic.objects.filter(enrollments__user=user).first()
    new_topic = topic_with_lessons(4, quiz_questions=3)
    for i in range(5):
        LessonFactory(topic=topic, position=200 + i)
    for lesson in new_topic.lessons.all()[:2]:
        LessonProgress.objects.create(user=user, lesson=lesson, completed_at=timezone.now())
    Enrollment.objects.create(user=user, topic=new_topic)
    _submit_wrong(user, new_topic.quiz)
    team = TeamFactory()
    MembershipFactory(team=team, user=user, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=team)
    AssignmentFactory(team=team, topic=new_topic)
    for membership in TeamMembership.objects.filter(user=user, role=TeamMembership.Role.MEMBER):
        AssignmentFactory(team=membership.team, topic=new_topic)
    topic_progress_rebuild(user_ids=[user.pk])


def _submit_wrong(user, quiz):
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    return quiz_attempt_grade(attempt_id=attempt.pk, user=user, answers=wrong_answers(attempt))


def bulk_members(team, n: int, *, start: int = 0) -> list:
    """n members with profiles, written in bulk (a large team, quickly)."""
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"bulk{i}@example.com", email=f"bulk{i}@example.com")
            for i in range(start, start + n)
        ]
    )
    Profile.objects.bulk_create([Profile(user=u, full_name=f"Member {u.email}") for u in users])
    joined_at = timezone.now() - dt.timedelta(days=90)
    TeamMembership.objects.bulk_create([TeamMembership(team=team, user=u, joined_at=joined_at) for u in users])
    return users


def framework_with_items(leaves: int = 3, *, key: str | None = None) -> Framework:
    """A framework with one grouping item and `leaves` mappable items under it (codes ITEM-1 …)."""
    n = Framework.objects.count() + 1
    key = key or f"TEST-FW-{n}"
    framework = Framework.objects.create(
        key=key,
        slug=key.lower(),
        title=f"Test framework {n}",
        short_title=f"Test FW {n}",
        edition="1.0",
        publisher="Tests",
        url="https://example.com/",
        summary="For tests.",
        position=100 + n,
    )
    group = FrameworkItem.objects.create(
        framework=framework, code="GROUP", label="GROUP", kind="group", description="A group.", is_mappable=False
    )
    for i in range(1, leaves + 1):
        FrameworkItem.objects.create(
            framework=framework,
            parent=group,
            code=f"ITEM-{i}",
            label=f"ITEM {i}",
            title=f"Item {i}",
            kind="item",
            description=f"Item {i} asks for something.",
            position=i,
        )
    return framework


def grow_framework_mappings() -> Topic:
    """More of everything the framework pages and endpoints list: a new framework with items, and a new
    topic mapping items of every framework at topic and lesson level."""
    framework_with_items(4)
    topic = topic_with_lessons(3)
    lessons = list(topic.lessons.order_by("position"))
    for i, framework in enumerate(Framework.objects.all()):
        items = list(framework.items.filter(is_mappable=True).order_by("position"))
        FrameworkMapping.objects.create(item=items[-1], topic=topic)
        FrameworkMapping.objects.create(item=items[-2], topic=topic, lesson=lessons[i % len(lessons)])
    return topic
