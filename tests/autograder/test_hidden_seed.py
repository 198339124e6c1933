"""Hidden cases drawn from the course's secret and the student id: an answer table built from
nnkit's public default seed scores nothing under the grader, yet grading stays reproducible."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import nbformat
import pytest

from autograder.execute import Limits, grade_submission
from autograder.workspace import Workspace, hidden_seed
from nnkit import checks as check
from nnkit import perceptron
from nnkit.checks import core
from pipeline_helpers import REPO, grade, write_flat
from submissions import learner_copy

SOURCE = REPO / "solutions" / "01_perceptron" / "01_perceptron.ipynb"


def _key(w, b, X) -> str:
    return repr((np.asarray(w, float).tobytes(), float(b), np.asarray(X, float).tobytes()))


def answer_table(seed: int | None = None) -> dict[str, list]:
    """What a learner could precompute from nnkit's seeds (or from a leaked ``seed``): predict's
    output on every case."""
    with core.seeded_with(seed):
        cases = check.EXERCISES["predict"].case_list() + check.EXERCISES["predict"].case_list(hidden=True)
    return {_key(*c.args): perceptron.predict(*c.args).tolist() for c in cases}


TABLE_PREDICT = '''import numpy as np
TABLE = {table!r}

def predict(w, b, X):
    """Looks the answer up; knows nothing of the perceptron."""
    key = repr((np.asarray(w, float).tobytes(), float(b), np.asarray(X, float).tobytes()))
    return np.array(TABLE.get(key, [0.0] * len(X)))
'''


def _table_predict():
    namespace = {}
    exec(TABLE_PREDICT.format(table=answer_table()), namespace)
    return namespace["predict"]


def test_the_table_passes_under_the_public_seed_and_fails_under_a_secret_one(monkeypatch):
    table_predict = _table_predict()
    check.predict(table_predict, hidden=True)  # the cheat works against the public default ...
    monkeypatch.setattr(core, "HIDDEN_SEED", hidden_seed(b"course secret", "alice"))
    with pytest.raises(AssertionError):
        check.predict(table_predict, hidden=True)  # ... and not against the grader's seed
    check.predict(lambda w, b, X: np.where(X @ w + b >= 0, 1.0, -1.0), hidden=True)  # honest: any seed


def _table_submission(tmp_path, table: dict):
    nb = learner_copy(nbformat.read(SOURCE, as_version=4), solved=True)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "predict_solution":
            cell.source = TABLE_PREDICT.format(table=table)
    path = tmp_path / "01_perceptron.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_grader_gives_the_table_nothing(tmp_path):
    path = _table_submission(tmp_path, answer_table())
    limits = Limits(timeout_s=120)
    public = grade_submission(path, SOURCE, limits)
    secret = grade_submission(path, SOURCE, limits, hidden_seed=hidden_seed(b"course secret", "mallory"))
    assert public.scores["predict_test"] == (1.0, 1.0), public.messages
    assert secret.scores["predict_test"] == (0.0, 1.0), secret.messages
    assert secret.status == "graded" and "predict fails" in secret.messages["predict_test"]


def test_the_secret_is_kept_per_course_and_seeds_differ_per_student(tmp_path):
    ws = Workspace(tmp_path / "ws")
    first = ws.course_secret()
    assert ws.course_secret() == first and len(first) >= 32
    assert (ws.root / "course-secret").stat().st_mode & 0o077 == 0
    assert ws.course_secret(b"given") == b"given" and ws.course_secret() == b"given"
    assert hidden_seed(first, "alice") != hidden_seed(first, "bob")
    assert hidden_seed(first, "alice") == hidden_seed(first, "alice") != hidden_seed(b"other", "alice")


def test_a_missing_or_empty_secret_file_is_exit_2(tmp_path):
    subs = write_flat(tmp_path / "subs", {"alice": "correct"})
    (tmp_path / "empty").write_text("\n")
    for secret_file in (tmp_path / "missing", tmp_path / "empty"):
        proc = grade(subs, tmp_path / "ws", "--secret-file", str(secret_file))
        assert proc.returncode == 2 and "--secret-file" in proc.stderr and "Traceback" not in proc.stderr


def test_students_graded_at_once_each_get_their_own_hidden_cases(tmp_path):
    """The grader decides several students' tests at once, in threads of one process: a table
    built for one seed passes under that seed only, whatever the other thread is grading."""
    seed = hidden_seed(b"course secret", "mallory")
    path = _table_submission(tmp_path, answer_table(seed))
    with ThreadPoolExecutor(2) as pool:
        own, other = pool.map(lambda s: grade_submission(path, SOURCE, Limits(timeout_s=120), hidden_seed=s),
                              [seed, seed + 1])
    assert own.scores["predict_test"] == (1.0, 1.0), own.messages
    assert other.scores["predict_test"] == (0.0, 1.0), other.messages
    assert core.hidden_seed() == core.HIDDEN_SEED  # nothing leaked into this thread


def test_a_threads_seed_is_its_own():
    """Both threads hold their seed at the same moment (a barrier): each sees its own."""
    barrier = threading.Barrier(2, timeout=10)

    def seen_under(seed):
        with core.seeded_with(seed):
            barrier.wait()
            first = core.hidden_seed()
            barrier.wait()
            return first, core.hidden_seed()

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(seen_under, [11, 22])) == [(11, 11), (22, 22)]
