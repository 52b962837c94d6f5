"""{% pass_moment topic %}: the moment a learner passes a quiz (templates/quizzes/_passed.html), so the
quiz's result page shows it without its view knowing about certificates or the next topic."""

from django import template

from progress.selectors.certificates import pass_moment as pass_moment_for

register = template.Library()


@register.inclusion_tag("quizzes/_passed.html", takes_context=True)
def pass_moment(context, topic):
    request = context["request"]
    return {"moment": pass_moment_for(user=request.user, topic=topic), "request": request, "user": request.user}
