"""Widget update cases for ``bench_widgets``, one module per unit (``unitNN_topic.py``).

Each module defines ``cases(repeats) -> {name: update}``, where ``update(k)`` runs one control
event's whole update path and returns the new figure. Adding a unit adds a module here.
"""
