"""The one way Markdown becomes HTML: python-markdown, then bleach with an explicit allow-list.

Links come out with rel="noopener noreferrer" (and bare URLs in text become links), so a reading list
can send a learner to a publisher without handing that page a reference to ours. Code blocks and tables
come out as labelled, focusable scroll regions, so a keyboard can scroll what is wider than a phone.
"""

import html as html_lib
import re
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
    return scroll_regions(_local.cleaner.clean(html))


_PRE = re.compile(r"<pre(?=[\s>])")
_TABLE_OPEN = re.compile(r"<table(?=[\s>])")


def scroll_regions(html: str) -> str:
    """Make each code block and table a focusable, labelled region (after sanitising: these attributes are
    ours, never the author's). Tables get a wrapper that scrolls, since a table cannot scroll itself."""
    counters = {"pre": 0, "table": 0}

    def pre(_match) -> str:
        counters["pre"] += 1
        return f'<pre tabindex="0" role="region" aria-label="Code example {counters["pre"]}"'

    def table(_match) -> str:
        counters["table"] += 1
        return f'<div class="table-scroll" tabindex="0" role="region" aria-label="Table {counters["table"]}"><table'

    html = _TABLE_OPEN.sub(table, _PRE.sub(pre, html))
    return html.replace("</table>", "</table></div>")


_SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def section_headings(html: str) -> list[tuple[str, str]]:
    """The (anchor, plain text) of each second-level heading of rendered HTML, for a table of contents."""
    return [(anchor, html_lib.unescape(_TAG.sub("", inner)).strip()) for anchor, inner in _SECTION.findall(html or "")]
