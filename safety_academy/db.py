"""Database helpers the services share."""

from django.db import connection


def commit_without_waiting_for_disk() -> None:
    """For writes worth little if lost (when a lesson was last opened): on PostgreSQL the current transaction
    commits without waiting for its log to reach the disk, so a page that records a view does not pay a disk
    flush. A crash may lose such a commit of the last moments, never corrupt or half-apply one. Call first
    thing inside the outermost `transaction.atomic()`; nested in a larger transaction, whose writes may matter,
    it does nothing, as on SQLite."""
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def fetch_rows(sql: str, params) -> list[tuple]:
    """Every row of a read written in SQL, for the few reads every page makes, where building the statement
    through the ORM cost more than the database spent answering it."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params) -> int:
    """Run one write written in SQL; how many rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
