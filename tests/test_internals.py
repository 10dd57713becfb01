"""The private parts of papermill, nbclient and CPython's multiprocessing that render/internals.py touches:
each is checked here, so an upgrade that changes one fails here, by name, rather than in a render."""

import inspect

from sendstats.render import internals


def test_papermills_engine_registry_is_a_mapping_by_name():
    from papermill.engines import NBClientEngine, papermill_engines

    assert isinstance(papermill_engines._engines, dict) and "nbclient" in papermill_engines._engines
    assert internals.engine_registered("nbclient") and not internals.engine_registered("no such engine")
    # the engine method the renderer's own engine overrides, with the arguments it passes on
    params = inspect.signature(NBClientEngine.execute_managed_notebook).parameters
    for name in ("nb_man", "kernel_name", "log_output", "stdout_file", "stderr_file", "start_timeout"):
        assert name in params, name


def test_a_notebook_client_uses_a_kernel_client_it_is_given():
    import nbclient
    import nbformat
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NotebookExecutionManager
    from papermill.utils import merge_kwargs, remove_args

    assert callable(merge_kwargs) and callable(remove_args)
    client = PapermillNotebookClient(
        NotebookExecutionManager(nbformat.v4.new_notebook(), progress_bar=False), kernel_name="python3"
    )
    marker = object()
    internals.use_connected_client(client, marker)
    assert client.kc is marker
    # nbclient starts a kernel client of its own only when it has none
    assert "if self.kc is None:" in inspect.getsource(nbclient.client.NotebookClient.async_setup_kernel)


def test_the_multiprocessing_helpers_have_stop_methods():
    from multiprocessing import forkserver, resource_tracker

    for helper in (forkserver._forkserver, resource_tracker._resource_tracker):
        assert callable(getattr(helper, "_stop", None)), type(helper).__name__
    internals.stop_multiprocessing_helpers()  # nothing started: a no-op, no error
