GO ?= go

.PHONY: build install test bench lint clean

build:
	$(GO) build -o bin/devstack .

install:
	$(GO) install .

# The whole suite: unit tests (no daemon) and end-to-end scripts against the
# real engine with the real binary (e2e/).
test: lint
	$(GO) test -race -count=1 -timeout 20m ./...

# Speed targets, measured against the raw engine in one run; prints ratios.
bench: build
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 20m ./bench/

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin
