# adagradlab's tasks. `make test` is what CI runs (.ci/run); every target a
# user needs is listed in the README.

GO     ?= go
BIN    := bin/adagradlab

.PHONY: all build test vet gotest fmtcheck bench bench-adagrad bench-torch clean
.PHONY: venv kernel-install test-jupyter fuzz-wire bench-kernel
.PHONY: plots bench-plots
.PHONY: bench-checker
.PHONY: lab test-browser notebooks test-notebooks test-image

all: build

## build: bin/adagradlab, and beside it bin/adagradlab-worker (the checker's
## lean worker: adagradlab starts it for each submission, as it starts faster)
build:
	$(GO) build -o bin/ ./cmd/adagradlab ./cmd/adagradlab-worker

## test: everything CI checks
test: fmtcheck vet gotest fuzz-wire test-jupyter test-notebooks test-browser test-image

fmtcheck:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test ./...
	# A build without cgo makes the worker's namespaces at fork instead
	# (checker/jail): its jail and its verdicts must hold the same.
	CGO_ENABLED=0 $(GO) test -run 'TestEarlyNamespaces|TestConfine|TestEscapes|TestHostileCorpus' ./checker/jail ./checker

## bench: every benchmark, each beside its comparison (numbers in BENCHMARKS.md)
bench: bench-adagrad bench-kernel bench-checker bench-plots

## bench-adagrad: the optimizer's speed next to a plain memory copy
bench-adagrad:
	python3 bench/adagrad.py

## bench-torch: the same, beside torch's CPU Adagrad (installs torch once, outside the repo)
bench-torch:
	python3 bench/adagrad.py --torch

## plots: regenerate the lecture figures committed in plots/out (PNG, SVG, CSV; slide style)
plots:
	$(GO) run ./cmd/adagradlab plots -o plots/out

## bench-plots: time building every figure in PNG and SVG (see BENCHMARKS.md)
bench-plots:
	$(GO) test -run '^$$' -bench LectureSet -benchtime 5x ./plots

## bench-checker: grade 1,000 synthetic submissions (70% right, 20% wrong in one
## question, 10% hostile): submissions/s, cost of each hostile kind, parent's peak memory
bench-checker: build
	$(GO) run ./bench/checkerbench -bin $(BIN) -n 1000

## venv: the Python side in .venv (JupyterLab, jupyter_client, nbclient,
## jupyter_kernel_test, pytest), pinned in requirements.txt
VENV   := .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

## kernel-install: build the binary and install the Go kernel ("Go (Adagrad)") into .venv
kernel-install: build venv
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN) kernel install --sys-prefix

# JUPYTER_PATH puts .venv's kernelspec first, ahead of any user-level install.
JUPYTER_ENV := JUPYTER_PATH=$(CURDIR)/$(VENV)/share/jupyter JUPYTER_PLATFORM_DIRS=1

## notebooks: re-run the course notebooks in place through the kernel, refreshing their outputs
notebooks: kernel-install
	$(JUPYTER_ENV) $(PY) tests/notebooks/course.py --update

## test-notebooks: every notebook re-run: no errors, same text as committed; released copies run too
test-notebooks: kernel-install
	$(JUPYTER_ENV) $(PY) -m pytest -q tests/notebooks

## test-jupyter: jupyter_kernel_test and an nbclient notebook run against the installed kernel
test-jupyter: kernel-install
	$(JUPYTER_ENV) $(PY) -m pytest -q tests/jupyter

## test-image: binder/postBuild (the Binder / JupyterHub image's build step) run in a temporary home
test-image: venv
	$(PY) -m pytest -q tests/image

## fuzz-wire: fuzz the kernel's message decoding briefly (longer: FUZZTIME=5m)
FUZZTIME ?= 10s
fuzz-wire:
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime=$(FUZZTIME) ./pkg/kernel/internal/wire

## bench-kernel: our kernel next to ipykernel, start and round trips (see BENCHMARKS.md)
# matplotlib is the benchmark's alone (ipykernel's plot cell), so not in requirements.txt.
bench-kernel: kernel-install
	$(VENV)/bin/pip install --disable-pip-version-check -q matplotlib==3.11.2
	$(JUPYTER_ENV) $(PY) bench/kernel_bench.py

clean:
	rm -rf bin

## lab: the README's first command. Creates .venv (requirements.txt), builds bin/adagradlab,
## installs the Go kernel there and starts JupyterLab on notebooks/, on 127.0.0.1 only.
## LAB_PORT=8899 picks another port; LAB_BROWSER=no opens no browser (print the URL instead).
LAB_PORT    ?= 8888
LAB_BROWSER ?= yes
lab: kernel-install
	$(JUPYTER_ENV) $(VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR)/notebooks \
	  --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
	  $(if $(filter no false 0,$(LAB_BROWSER)),--no-browser) \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

## test-browser: each notebook (notebooks/*.ipynb; while there are none, tests/jupyter's) opened
## in JupyterLab in Debian's chromium, Run All, no error output, every image rendered; screenshots
## in tests/browser/artifacts/. Skipped with a note where /usr/bin/chromium is missing (not in CI).
## BROWSER_NOTEBOOKS="a.ipynb b.ipynb" runs those instead.
BROWSER_NOTEBOOKS ?=
test-browser: kernel-install tests/browser/node_modules/.package-lock.json
	$(JUPYTER_ENV) $(PY) tests/browser/run.py $(BROWSER_NOTEBOOKS)

# playwright-core, pinned in tests/browser/package-lock.json (it downloads no browser)
tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
