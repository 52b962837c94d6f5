"""`{% hole "name" key %}`: the mark of a per-person hole in a template rendered once for everyone
(courses.content_cache.fill_holes fills it)."""

from django import template

from courses.content_cache import hole as hole_mark

register = template.Library()


@register.simple_tag(name="hole")
def hole(name: str, key: object = "") -> str:
    return hole_mark(name, key)
