"""Render every stored body again, so code blocks and tables already in the database become focusable,
labelled scroll regions (safety_academy.markdown.scroll_regions). Rows are updated in place: the content
version (updated_at) of a lesson does not change, since its text did not."""

from django.db import migrations

from safety_academy.markdown import render_markdown


def render_again(apps, schema_editor):
    for name in ("Track", "Topic", "Lesson"):
        model = apps.get_model("courses", name)
        for pk, body in model.objects.values_list("pk", "body_markdown").iterator():
            model.objects.filter(pk=pk).update(body_html=render_markdown(body))


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_search_index")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
