"""The full-text search index (courses.search): FTS5 tables kept in sync by triggers on SQLite, stored
generated tsvector columns with GIN indexes on PostgreSQL. Nothing changes in the models."""

from django.db import migrations

from courses.search import index_install, index_uninstall


def install(apps, schema_editor):
    index_install(schema_editor)


def uninstall(apps, schema_editor):
    index_uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_frameworks")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
