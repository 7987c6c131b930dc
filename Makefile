# One place for every task. Each target sets itself up first (idempotent; fast when nothing changed).
#   make book    build the Jupyter Book (every lesson executed, cached) and print the path of index.html
#   make test    the whole test suite (unit, data, notebooks under nbval, book build, browser)
#   make lab     JupyterLab on the lessons
#   make pdf     the whole course as one PDF (_build/pdf/course.pdf), printed by headless Chromium
#   make slides  a reveal.js deck per lesson (offline);  make handouts  a printable handout per lesson
#   make bench   measurements (not tests): writes benchmarks/results.json
#   make hub     JupyterHub for a class on this machine (http://127.0.0.1:8000; deploy/jupyterhub_config.py)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.setup-stamp
VENDOR := book/_static/vendor
JS_STAMP := $(VENDOR)/.setup-stamp
HUB_STAMP := $(VENV)/.hub-stamp
LAB_STAMP := $(VENV)/.lab-stamp
BUILD := _build
# pytest-xdist workers for `make test` (the book is built once for all of them: tests/conftest.py). Three on two
# cores: the browser tests spend part of their time waiting on pages, and a third worker fills the gaps; a fourth
# gained nothing (558 s and 562 s for the whole suite on this machine)
TEST_WORKERS ?= 3

.PHONY: setup book test lab bench slides handouts pdf hub clean
setup: $(PY_STAMP) $(JS_STAMP) $(HUB_STAMP) $(LAB_STAMP)

$(PY_STAMP): requirements.txt requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)" > /dev/null
	@touch $@

# JupyterLab for the course: its default settings (scripts/lab_settings.py says what and why) and the extension that
# renders the lessons' MyST roles (built copy committed in lab/hrher2-lab; its lookup follows the glossary and the
# bibliography, so those are prerequisites too).
$(LAB_STAMP): $(PY_STAMP) deploy/lab/overrides.json scripts/lab_extension.py $(wildcard lab/hrher2-lab/* lab/hrher2-lab/static/*) book/glossary.md book/references.md book/review.bib book/since_review.bib data/references.bib data/references.csv
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp deploy/lab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(PY) scripts/lab_extension.py install
	@touch $@

# The hub's own packages (jupyterhub, nbgitpuller, the authenticator and the idle culler), on top of the course's.
# requirements.lock (scripts/lock.py) fixes every package the pins pull in, so a fresh machine installs what was tested.
$(HUB_STAMP): $(PY_STAMP) deploy/hub-requirements.txt requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r deploy/hub-requirements.txt \
		-c requirements.lock
	@touch $@

# Front-end files are fetched from the npm registry (pinned in package-lock.json) and served by the book itself.
$(JS_STAMP): package.json package-lock.json scripts/vendor_js.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_js.py
	@touch $@

book: setup
	$(PY) scripts/gen_docs.py
	$(PY) scripts/build_book.py
	@echo "The course book: $(abspath $(BUILD))/html/index.html"

test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

pdf: book
	$(PY) scripts/build_pdf.py

slides: setup
	$(PY) scripts/build_slides.py
	@echo "Slide decks: $(abspath $(BUILD))/slides/ (open any NN_name.slides.html; S = speaker view)"

handouts: setup
	$(PY) scripts/build_handouts.py
	@echo "Handouts: $(abspath $(BUILD))/handouts/ (print from a browser, A4)"

# opened on lesson 00 with the repository as its root, so the lessons' links to the book's pages (book/*.md) open
lab: setup
	$(VENV)/bin/jupyter lab notebooks/00_how_to_use.ipynb --allow-root

# A class on this machine: the hub on 127.0.0.1:8000, learners from deploy/class_list.yaml, state in .hub/.
hub: setup
	$(PY) -m jupyterhub -f deploy/jupyterhub_config.py

# the benchmarks import the hub tools (deploy/) and the widget drivers and registry (tests/support/), as the tests do
bench: setup
	PYTHONPATH=tests/support:deploy $(PY) benchmarks/run.py $(BENCH)
	PYTHONPATH=tests/support:deploy $(PY) benchmarks/hub_load.py $(HUB_BENCH)

clean:
	rm -rf $(BUILD) $(VENDOR)
