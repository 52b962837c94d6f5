"""Curating the catalogue in Django admin, a module per concern: categories and topics (catalogue), lessons
with a Markdown editor and live preview (lessons), the frameworks (frameworks, read-only), and the marker on rows
edited since they were loaded from the track's files (source)."""

from courses.admin import catalogue, frameworks, lessons  # noqa: F401  (registers the model admins)
