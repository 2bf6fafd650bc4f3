"""Two requests at the same moment on PostgreSQL, the second arriving while the first
still holds its row locks: how the tests prove a lock keeps two writers from undoing or
repeating each other (a draft saved twice, a round asked for or changed twice)."""

import threading

from django.db import connection, transaction


def second_while_first_holds_its_locks(first, second, *, timeout=10):
    """Run ``first`` in a transaction kept open (its row locks held) until ``second`` has
    started in another thread; each in a thread of its own, with its own connection.
    Returns what each returned; an exception in either is raised here."""
    first_holds_lock, second_started = threading.Event(), threading.Event()
    results, errors = {}, []

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                first_holds_lock.set()
                second_started.wait(timeout=timeout)
        except BaseException as error:  # raised again in the test's thread
            errors.append(error)
            first_holds_lock.set()
        finally:
            connection.close()

    def run_second():
        try:
            first_holds_lock.wait(timeout=timeout)
            second_started.set()
            results["second"] = second()
        except BaseException as error:  # raised again in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * timeout)
    if errors:
        raise errors[0]
    return results.get("first"), results.get("second")
