"""The production gunicorn settings (deploy/gunicorn.conf.py) start a server that answers."""

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_started_with_the_deploy_settings_serves_the_app_with_threaded_workers(tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn and settings
            [
                str(GUNICORN),
                "--config",
                str(PROJECT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "debug",
            ],
            cwd=PROJECT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            status = None
            deadline = time.monotonic() + 30
            while status is None and time.monotonic() < deadline:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    connection.request("GET", "/tillganglighet/")
                    status = connection.getresponse().status
                except OSError:
                    time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=20)

    assert status == 200
    assert "Using worker: gthread" in log.read_text()


def test_each_worker_freezes_what_it_loaded_and_collects_garbage_less_often():
    import gc
    import runpy

    config = runpy.run_path(str(PROJECT / "deploy" / "gunicorn.conf.py"))
    thresholds = gc.get_threshold()
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == config["GC_THRESHOLDS"]
        assert gc.get_threshold()[0] > thresholds[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_a_requests_cyclic_garbage_is_collected_once_its_response_is_sent():
    import gc
    import runpy
    import weakref

    class Node:
        pass

    config = runpy.run_path(str(PROJECT / "deploy" / "gunicorn.conf.py"))
    thresholds = gc.get_threshold()
    try:
        gc.set_threshold(*config["GC_THRESHOLDS"])
        first, second = Node(), Node()
        first.other, second.other = second, first  # a cycle: reference counting never frees it
        gone = weakref.ref(first)
        del first, second
        for _ in range(config["FULL_COLLECTION_EVERY"]):
            config["post_request"](worker=None, req=None, environ={}, resp=None)
        assert gone() is None
    finally:
        gc.set_threshold(*thresholds)
