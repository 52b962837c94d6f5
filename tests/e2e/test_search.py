"""Search from the header finds lessons that hold every word, in any order (on the embedded SQLite as on
PostgreSQL), with the count, highlighted matches and pages."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("words", ["coverage conformal", "HAZOP STPA"])
def test_search_finds_words_out_of_order(site, page, track, words):
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search lessons")
    box.fill(words)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator(".search-count")).to_contain_text(re.compile(r"\d+ lessons? match"))
    results = page.locator("ol.search-results > li")
    expect(results.first).to_be_visible()
    first_word = words.split()[0].lower()
    expect(page.locator("ol.search-results mark").first).to_be_visible()
    marks = [text.lower() for text in page.locator("ol.search-results mark").all_inner_texts()]
    assert any(first_word[:5] in mark for mark in marks), marks
    results.first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/topics/[^/]+/[^/]+/$"))


def test_search_pages_through_many_results(site, page, track):
    page.goto("/search/?q=hazard")
    expect(page.locator("ol.search-results > li")).to_have_count(20)
    expect(page.get_by_text(re.compile(r"^Page 1 of \d+$"))).to_be_visible()
    page.get_by_role("link", name="Next", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Page 2 of \d+$"))).to_be_visible()
    expect(page.locator("ol.search-results")).to_have_attribute("start", "21")
