"""The code-highlighting palette meets WCAG AA (4.5:1) on the code background in both themes, and every
token rule takes its colour from that palette (axe checks the rendered pages too: tests/e2e)."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css"
HEX = r"#[0-9a-fA-F]{6}"


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def themes(css: str) -> tuple[str, str]:
    """The light declarations (before the dark media query) and the dark ones."""
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    return light, dark


def variables(block: str, prefix: str) -> dict[str, str]:
    return dict(re.findall(rf"--({prefix}[\w-]*):\s*({HEX})", block))


def test_contrast_formula_matches_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_every_code_colour_meets_aa_on_the_code_background(theme):
    background = variables(themes((CSS / "site.css").read_text())[theme], "bg-soft")["bg-soft"]
    palette = variables(themes((CSS / "pygments.css").read_text())[theme], "code-")
    assert len(palette) >= 10
    low = {name: round(contrast(colour, background), 2) for name, colour in palette.items()}
    assert {name: ratio for name, ratio in low.items() if ratio < 4.5} == {}


def test_token_rules_use_only_the_palette():
    rules = re.findall(r"(\.highlight [^{]+)\{([^}]*)\}", (CSS / "pygments.css").read_text())
    assert len(rules) > 10
    for selector, body in rules:
        assert not re.search(HEX, body), f"{selector.strip()} sets a colour outside the palette"
