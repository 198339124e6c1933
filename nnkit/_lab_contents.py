"""The learner's contents manager: notebooks are served with the kernel's own ``language_info``.

JupyterLab replaces a notebook's ``metadata.language_info`` with the full record its kernel
reports (Python version, mimetype, lexer, ...) as soon as the kernel starts; when that differs
from the file, the notebook shows as modified without any edit. The released notebooks keep
only ``{"name": "python"}`` (the version is the learner's, not the course's), so the learner's
server fills in the record of the kernel it starts (ipykernel in the server's own Python),
and JupyterLab's update is then a no-op.
"""

from __future__ import annotations

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager


def kernel_language_info() -> dict:
    """What ipykernel in this Python reports as ``language_info`` (the same dict JupyterLab writes)."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def with_kernel_language_info(notebook: dict) -> dict:
    """Fill a Python notebook's ``metadata.language_info`` with the kernel's record; others unchanged."""
    metadata = notebook.setdefault("metadata", {})
    if metadata.get("language_info", {"name": "python"}).get("name") == "python" \
            and metadata.get("kernelspec", {}).get("language", "python") == "python":
        metadata["language_info"] = kernel_language_info()
    return notebook


class LearnerContentsManager(AsyncLargeFileManager):
    """Jupyter's default contents manager, serving notebooks with the kernel's ``language_info``."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if content and model["type"] == "notebook":
            with_kernel_language_info(model["content"])
        return model
