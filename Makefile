GO ?= go

.PHONY: build install engine demo test bench lint clean

# CGO_ENABLED=0: a static binary, which devstack watch can also run inside
# containers as its file receiver; stripped (-s -w), it is a third smaller
# to copy in.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o bin/devstack .

install:
	CGO_ENABLED=0 $(GO) install -trimpath -ldflags "-s -w" .

# Docker Engine installed and answering (installs Debian's docker.io and
# starts dockerd when missing; leaves a running engine alone).
engine:
	scripts/ensure-engine.sh

# Build devstack and bring up examples/hello attached (Ctrl-C stops it).
demo: build engine
	scripts/demo-image.sh
	bin/devstack -f examples/hello/compose.yaml up

# The whole suite: unit tests (no daemon) and end-to-end scripts against the
# real engine with the real binary (e2e/).
test: lint engine
	$(GO) test -race -count=1 -timeout 20m ./...

# Speed targets, measured against the raw engine in one run; prints ratios.
bench: build engine
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 20m ./bench/

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin
