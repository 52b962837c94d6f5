"""{% progress_bar progress label compact=False %}: the markup of templates/_progress_bar.html drawn in Python,
for lists (catalogue cards, /me/, a member's topics) where an {% include %} per row costs a template render."""

from html import escape  # Django's escape is this one behind a lazy-string check, a cost in a list of fifty bars

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def progress_bar(progress, label: str = "", compact: bool = False):
    if progress.topic_complete:
        state = " is-complete"
    elif progress.complete and progress.of_topic:
        state = " is-waiting"
    else:
        state = ""
    done, total = int(progress.done), int(progress.total)  # numbers need no escaping; the words do
    words = escape(f" · {progress.remaining_short}" if compact else f" lessons · {progress.remaining}")
    described = f"{escape(str(label or 'Progress'))}: {done} of {total} lessons done, {escape(progress.remaining)}"
    return mark_safe(
        f'<div class="progress{state}">\n  <progress max="{total or 1}" value="{done}" aria-label="'
        f'{described}">{done} of {total}'
        f'</progress>\n  <span class="progress-text">{done}/{total}{words}</span>\n</div>\n'
    )
