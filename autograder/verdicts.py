"""The verdict on a test cell of checker calls, decided in the grader's own process.

The cell (``check.predict(predict)``, ``check.predict(predict, hidden=True)``) is not run as code:
for each call nnkit.checks.remote builds the cases (the hidden ones from the student's seed),
computes the expected values, compares, diagnoses and writes the message here, outside the
sandbox. Its questions to the learner's function (``probe``, ``calls``) travel through the
sandbox's runner to the kernel (``sandbox._Questions``), which only ever sees case arguments.
"""

from __future__ import annotations

from typing import Callable

from nnkit.checks import EXERCISES, core, remote


class _FunctionLine:
    """``remote.Kernel`` for the learner's function ``fn_name``: each question through ``ask``."""

    def __init__(self, ask: Callable[[dict], dict], fn_name: str):
        self.ask, self.fn_name = ask, fn_name

    def probe(self, exercise: str, hidden: bool) -> dict:
        reply = self.ask({"probe": {"fn": self.fn_name, "exercise": exercise, "hidden": hidden}})
        if "raised" in reply or "timed_out" in reply:
            return {"problem": f"the check could not reach your function ({reply.get('raised', 'no reply')})"}
        return reply

    def calls(self, request: dict, timeout: float) -> list[dict]:
        reply = self.ask({"calls": {"fn": self.fn_name, "request": request, "timeout": timeout}})
        return reply["replies"] if isinstance(reply.get("replies"), list) else [reply]


def decider(graded_calls: dict[str, list], hidden_seed: int | None):
    """``decide(index, questions) -> {"passed", "message", "printed"}`` for the test cells in
    ``graded_calls`` ({cell index: [(exercise, function name, hidden), ...]}); the calls stop at the
    first failure, as the cell would."""

    def decide(index: int, questions) -> dict:
        printed = []
        with core.seeded_with(hidden_seed):
            for exercise, fn_name, hidden in graded_calls[str(index)]:
                passed, message = remote.verdict(EXERCISES[exercise], hidden, _FunctionLine(questions.ask, fn_name))
                if not passed:
                    return {"passed": False, "message": message, "printed": printed}
                printed.append(message)
        return {"passed": True, "message": "", "printed": printed}

    return decide
