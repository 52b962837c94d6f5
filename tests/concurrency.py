"""Run the same call from several threads at once (each with its own database connection)."""

import threading
from collections.abc import Callable


def run_at_once(call: Callable[[], object], threads: int) -> tuple[list, list[BaseException]]:
    """Start `threads` threads that call `call` together; return (results, errors)."""
    from django.db import connection

    barrier = threading.Barrier(threads)
    results: list = []
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # returned to the test, which asserts on it
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, errors
