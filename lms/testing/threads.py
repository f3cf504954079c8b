"""Race tests: run a function in several threads at once, each with its own database connection."""

import threading

from django.db import connections


def run_in_threads(target, arguments):
    """Run ``target(argument)`` in one thread per argument; return (results, errors).

    Each thread closes its database connections when done; a thread still running after two
    minutes fails the calling test (a lock that is never released)."""
    results, errors, lock = [], [], threading.Lock()

    def run(argument):
        try:
            result = target(argument)
            with lock:
                results.append(result)
        except Exception as error:  # noqa: BLE001 — reported by the caller's assertion
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return results, errors
