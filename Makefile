# One venv, reused: the install re-runs only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8888
WORKSPACE ?= grading-workspace
# JupyterLab refuses to start as root unless told to (containers, CI machines).
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab test course grade formgrader handback bench sysdeps demo present

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "Python >= 3.10 is needed, found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# JupyterLab on course/ as a learner sees it (nbgrader's instructor tools off; make formgrader has them).
lab: $(STAMP)
	$(PY) -m nnkit.lab --port=$(PORT) $(AS_ROOT)

# System packages the browser and sandbox tests need (installed only when missing, root only).
sysdeps:
	@bash .ci/system-deps

# One BLAS thread: steadier timings when the two cores are shared.
test: $(STAMP) sysdeps
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest

bench: $(STAMP)
	$(PY) -m benchmarks

# The presenter's view of the widgets: a scratch copy in .demo/ opened in JupyterLab.
demo: $(STAMP)
	$(PY) -m nnkit.viz.demo --port=$(PORT) $(AS_ROOT)

# The presenter's dashboard: the same notebook in Voila, widgets only, no code, works offline.
present: $(STAMP)
	$(PY) -m nnkit.viz.present --port=$(PORT)

# Regenerate course/ from solutions/ with nbgrader's generate_assignment.
course: $(STAMP)
	$(PY) -m autograder.make_course

# Autograde a folder or zip of submissions: make grade SUBMISSIONS=path [WORKSPACE=path]
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=<folder or zip> [WORKSPACE=<folder>]"; exit 2; }
	$(PY) -m autograder "$(SUBMISSIONS)" --workspace "$(WORKSPACE)"

# Grade written answers by hand: nbgrader's formgrader on a graded workspace (default grading-workspace/).
formgrader: $(STAMP)
	$(PY) -m autograder.formgrader "$(WORKSPACE)" --port=$(PORT)

# After grading by hand: feedback pages and grades.csv with the manual scores and comments.
handback: $(STAMP)
	$(PY) -m autograder.handback "$(WORKSPACE)"
