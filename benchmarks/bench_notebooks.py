"""Time every solutions notebook run headlessly, top to bottom, against the 15 s budget per unit.

The time includes kernel start-up, as a learner's "Restart and Run All" does.
"""

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

BUDGET_S = 15.0
SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def run_seconds(path: Path) -> float:
    """Wall-clock seconds to execute the notebook at ``path`` in its folder (raises on an error)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> None:
    for path in sorted(SOLUTIONS.glob("*/*.ipynb")):
        seconds = run_seconds(path)
        print(f"{path.parent.name:<24} {seconds:6.2f} s   ratio to the {BUDGET_S:.0f} s budget: "
              f"{seconds / BUDGET_S:.2f}", flush=True)


if __name__ == "__main__":
    main()
