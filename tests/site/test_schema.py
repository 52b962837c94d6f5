"""The OpenAPI schema validates without warnings; the docs page loads its assets from the site."""

import io

from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stdout=io.StringIO())
    text = out.read_text()
    assert "/api/v1/attempts/{id}/submit/" in text and "/api/v1/teams/{slug}/evidence/" in text
    assert "/api/v1/topics/{topic}/quiz/" in text and "/api/v1/teams/{slug}/members/{user_id}/quiz-resets/" in text


def test_docs_page_loads_its_assets_locally(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<body", 1)[0]
    assert "<style>" not in html  # the CSP allows no inline style
