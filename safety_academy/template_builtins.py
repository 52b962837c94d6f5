"""Tags every template has without {% load %}: Django's `url` and `static`, answering as Django's do, with the
answers remembered per process (settings.TEMPLATES lists this module in "builtins", after Django's own).

The addresses a page names repeat on every request: the header alone reverses nine and names five assets,
about half a millisecond of work per page before remembering.
"""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.templatetags import static as django_static
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from safety_academy.links import site_path

register = template.Library()


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:  # the namespace the page was served under, as Django's tag takes it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = site_path(view_name, *args, current_app=current_app, **kwargs)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)  # Django's own parsing: the same syntax and errors
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@lru_cache(maxsize=1024)
def _static_url(path: str) -> str:
    return django_static.StaticNode.handle_simple(path)


@receiver(setting_changed)
def _forget_assets(*, setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES", "DEBUG"):  # tests only: a deployed site's assets never move
        _static_url.cache_clear()


class RememberedStaticNode(django_static.StaticNode):
    def url(self, context):
        return _static_url(self.path.resolve(context))


@register.tag
def static(parser, token):
    node = django_static.do_static(parser, token)
    return RememberedStaticNode(varname=node.varname, path=node.path)
