"""URL converters shared by every app."""

from django.urls import register_converter


class RowIdConverter:
    """A database id: at most 18 digits, so an absurd number is a 404, never a database overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RowIdConverter, "id")
