"""The one way Markdown becomes HTML: python-markdown, then bleach with an explicit allow-list.

Links come out with rel="noopener noreferrer" (and bare URLs in text become links), so a reading list
can send a learner to a publisher without handing that page a reference to ours.
"""

import threading
from functools import partial

import markdown
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "kbd",
        "sup",
        "sub",
        "del",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "span",
        "div",
        "abbr",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "class", "rel"],
    "abbr": ["title"],
    "h2": ["id"],
    "h3": ["id"],
    "h4": ["id"],
    "h5": ["id"],
    "h6": ["id"],
    "th": ["align"],
    "td": ["align"],
    "span": ["class"],
    "div": ["class"],
    "code": ["class"],
    "pre": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_EXTENSIONS = ["tables", "fenced_code", "codehilite", "toc", "sane_lists", "abbr", "def_list"]
_EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "toc": {"permalink": False, "toc_depth": "2-4"},
    "tables": {"use_align_attribute": True},  # style= attributes would be refused by the CSP
}


def _link_rel(attrs, new=False):
    """Every link that leaves the site opens without a window reference or a referrer."""
    href = attrs.get((None, "href"), "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "noopener noreferrer"
    else:
        attrs.pop((None, "rel"), None)
    return attrs


_local = threading.local()  # python-markdown instances are reusable (reset) but not thread-safe


def _converter() -> markdown.Markdown:
    if not hasattr(_local, "markdown"):
        _local.markdown = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
        _local.cleaner = Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[partial(LinkifyFilter, callbacks=[_link_rel], skip_tags=["pre", "code"], parse_email=False)],
        )
    return _local.markdown


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML: anything outside the allow-list is stripped, so it comes out inert."""
    converter = _converter()
    html = converter.reset().convert(text or "")
    return _local.cleaner.clean(html)
