# adagradlab's tasks. `make test` is what CI runs (.ci/run); every target a
# user needs is listed in the README.

GO     ?= go
BIN    := bin/adagradlab

.PHONY: all build test vet gotest fmtcheck bench clean

all: build

## build: the one binary, bin/adagradlab
build:
	$(GO) build -o $(BIN) ./cmd/adagradlab

## test: everything CI checks
test: fmtcheck vet gotest

fmtcheck:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test ./...

## bench: the optimizer's speed next to a plain memory copy (see BENCHMARKS.md)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./pkg/adagrad

clean:
	rm -rf bin
