"""{% progress_bar progress label compact=False %}: the markup of templates/_progress_bar.html drawn in Python,
for lists (catalogue cards, /me/, a member's topics) where an {% include %} per row costs a template render."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def progress_bar(progress, label: str = "", compact: bool = False):
    if progress.topic_complete:
        state = " is-complete"
    elif progress.complete and progress.of_topic:
        state = " is-waiting"
    else:
        state = ""
    words = f" · {progress.remaining_short}" if compact else f" lessons · {progress.remaining}"
    return format_html(
        '<div class="progress{}">\n  <progress max="{}" value="{}" aria-label="{}: {} of {} lessons done, {}">{} of {}'
        '</progress>\n  <span class="progress-text">{}/{}{}</span>\n</div>\n',
        state,
        progress.total or 1,
        progress.done,
        label or "Progress",
        progress.done,
        progress.total,
        progress.remaining,
        progress.done,
        progress.total,
        progress.done,
        progress.total,
        words,
    )
