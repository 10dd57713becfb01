"""The private parts of papermill, nbclient and CPython's multiprocessing the renderer leans on, each in one
place. They are not public APIs, so an upgrade may change them: ``tests/test_internals.py`` checks each one
this module touches, so such a change fails there, loudly, instead of in a render.

- papermill's engine registry (``papermill_engines._engines``): whether our engine is registered yet.
- nbclient's client attribute (``NotebookClient.kc``): a notebook client given an already connected kernel
  client runs on it instead of starting its own kernel.
- CPython's fork server and resource tracker singletons (``forkserver._forkserver``,
  ``resource_tracker._resource_tracker``) and their ``_stop`` methods (used by CPython's own tests): stopped
  at the end of a render so the command leaves no process of its own behind.
"""

from __future__ import annotations


def engine_registered(name: str) -> bool:
    """Whether papermill has an engine called ``name``."""
    from papermill.engines import papermill_engines

    return name in papermill_engines._engines


def use_connected_client(notebook_client, kernel_client) -> None:
    """Make an nbclient ``NotebookClient`` run on ``kernel_client`` (it connects only when it has none)."""
    notebook_client.kc = kernel_client


def stop_multiprocessing_helpers() -> None:
    """Stop multiprocessing's fork server and resource tracker and wait for them (a later start makes new
    ones)."""
    from multiprocessing import forkserver, resource_tracker

    for helper in (forkserver._forkserver, resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)
        if stop is not None:
            try:
                stop()
            except (OSError, ChildProcessError):
                pass
