"""Unit 01's widget updates: one "step" click of the perceptron stepper."""

from nnkit import perceptron
from nnkit.viz import StepperPlot, stepper_start, stepper_step


def cases(repeats: int) -> dict:
    """One "step" click (the learner's function = the reference), restarting when done."""
    state = {"s": stepper_start(margin=0.05, seed=3)}
    plot = StepperPlot()  # the widget draws every update on one figure

    def update(k):
        if state["s"].done:
            state["s"] = stepper_start(margin=0.05, seed=3 + k)
        state["s"] = stepper_step(state["s"], perceptron.update)
        return plot.show(state["s"])
    return {"perceptron_stepper: step": update}


def browser_cases() -> dict:
    """How ``bench_browser`` drives this unit's widgets: the cell that shows one, its setup clicks, the control."""
    return {"perceptron_stepper: click step": {
        "cell": "from nnkit import perceptron, viz\nviz.perceptron_stepper(perceptron.update, margin=0.05, seed=3)",
        "control": ("button", "step")}}  # 39 updates to converge: more than the benchmark's repeats
