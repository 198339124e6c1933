"""Widget update cases for ``bench_widgets``, one module per unit (``unitNN_topic.py``).

Each module defines ``cases(repeats) -> {name: update}``, where ``update(k)`` runs one control
event's whole update path and returns the new figure, and ``browser_cases() -> {name: case}``,
which tells ``bench_browser`` how to drive each widget in JupyterLab: ``case["cell"]`` shows the
widget, ``case.get("setup")`` lists clicks made first, ``case["control"]`` is the control
timed, ``("button", text)`` (clicked), ``("slider", label)`` (a key press on its handle) or
``("dropdown", label)`` (the next option chosen).
Adding a unit adds a module here.
"""
