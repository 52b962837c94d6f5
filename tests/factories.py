"""factory_boy factories for the models tests build on."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import Category, Lesson, Topic
from progress.models import Assignment, Profile, Team, TeamMembership
from quizzes.models import Choice, Question, Quiz

PASSWORD = "a-long-test-password-42"


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
    max_attempts = 3
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


def correct_answers(attempt) -> dict[int, list[int]]:
    return {
        qid: list(Choice.objects.filter(question_id=qid, is_correct=True).values_list("pk", flat=True))
        for qid in attempt.question_order
    }


def wrong_answers(attempt) -> dict[int, list[int]]:
    return {
        qid: list(Choice.objects.filter(question_id=qid, is_correct=False).values_list("pk", flat=True)[:1])
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


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    team = factory.SubFactory(TeamFactory)
    topic = factory.SubFactory(TopicFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
