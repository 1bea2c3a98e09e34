GO ?= go

.PHONY: build receivers install release completions docs cross-check engine demo test test-swarm test-k8s test-podman bench fuzz lint clean

# CGO_ENABLED=0: a static binary; stripped (-s -w), a third smaller. Every
# build embeds devstack-receiver (make receivers), the small static program
# devstack watch installs in containers, for linux/amd64 and linux/arm64.
#
# The version (VERSION=1.2.3 make release; default: version.Version), the
# commit and the commit's date (UTC, so a rebuild of one commit is the same
# binary) are embedded; devstack version prints them.
COMMIT  ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
DATE    ?= $(shell TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null)
VERSION ?=
LDFLAGS := -s -w -X github.com/devstack/devstack/internal/cli.commit=$(COMMIT) -X github.com/devstack/devstack/internal/cli.date=$(DATE) \
	$(if $(VERSION),-X github.com/devstack/devstack/internal/version.Version=$(VERSION))
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64

# devstack-buildkit, the program that runs BuildKit builds for devstack,
# and devstack-kube, which takes projects to Kubernetes, go next to it
# (see packages buildkit and kube).
HELPERS := ./cmd/devstack-buildkit ./cmd/devstack-kube
build: receivers
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/ . $(HELPERS)

# cmd/devstack-receiver, cmd/devstack-router and cmd/devstack-snapshot for linux/amd64 and
# linux/arm64 into internal/watch/inject/receivers/, which the devstack
# binary embeds (the go:generate lines in internal/watch/inject/embed.go,
# which run build-program.sh).
receivers:
	$(GO) generate ./internal/watch/inject

install: receivers
	CGO_ENABLED=0 $(GO) install -trimpath -ldflags "$(LDFLAGS)" . $(HELPERS)

# Static, stripped binaries for the six platforms in dist/
# (devstack-OS-ARCH, devstack-buildkit-OS-ARCH and devstack-kube-OS-ARCH,
# .exe on windows) and
# their SHA256SUMS.
release: receivers
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(PLATFORMS); do os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		echo "dist/devstack-$$os-$$arch$$ext"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/devstack-$$os-$$arch$$ext .; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/devstack-buildkit-$$os-$$arch$$ext ./cmd/devstack-buildkit; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/devstack-kube-$$os-$$arch$$ext ./cmd/devstack-kube; \
	done
	cd dist && sha256sum devstack-* > SHA256SUMS

# Shell completions into completions/ (bash, zsh, fish, powershell), from
# the binary's own `devstack completion SHELL`.
completions: build
	mkdir -p completions
	@for sh in bash zsh fish powershell; do bin/devstack completion $$sh > completions/devstack.$$sh; done
	@ls completions

# The command reference, docs/reference/*.md, generated from the cobra
# commands (internal/cli/docgen, a program of its own: devstack does not
# link the generator). Its test fails when the pages are stale.
docs:
	$(GO) run ./internal/cli/docgen docs/reference

# Every package (tests included) type-checks and compiles for the six
# release platforms; the tests themselves run on Linux only.
cross-check: receivers
	@set -e; for p in $(PLATFORMS); do os=$${p%/*}; arch=$${p#*/}; echo "cross-check $$os/$$arch"; \
		GOOS=$$os GOARCH=$$arch $(GO) vet ./...; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) test -count=1 -run '^$$' -exec true ./... >/dev/null; \
	done

# Docker Engine installed and answering (installs Debian's docker.io and
# starts dockerd when missing; leaves a running engine alone).
engine:
	scripts/ensure-engine.sh

# Build devstack and bring up examples/hello attached (Ctrl-C stops it).
demo: build engine
	scripts/demo-image.sh
	bin/devstack -f examples/hello/compose.yaml up

# The whole suite: unit tests (no daemon) and end-to-end scripts against the
# real engine with the real binary (e2e/). DEVSTACK_E2E=1: an engine that
# does not answer fails e2e and bench (plain go test skips them).
test: lint engine
	DEVSTACK_E2E=1 $(GO) test -race -count=1 -timeout 20m ./...

# Only the swarm scripts (e2e/testdata/script/swarm_*.txtar and
# e2e/testdata/dash/swarm_*.txtar, the dashboard's), those marked [swarm]
# included: each runs on a swarm of dockerds in network namespaces of their
# own (e2e/netns_test.go; root needed).
test-swarm: engine
	DEVSTACK_E2E_SWARM=1 $(GO) test -count=1 -timeout 20m ./e2e -run '^TestScripts(Dash)?$$/^swarm_'

# The Kubernetes scripts (e2e/testdata/k8s) on a real single-node cluster
# (scripts/k8s-rig: etcd, the control plane, a containerd and kubelet of its
# own, kube-proxy, CNI bridge): builds its programs into
# DEVSTACK_K8S_CACHE (default /var/cache/devstack-k8s; minutes cold, reused
# after), brings it up, runs the scripts (K8S_RUN=NAME|NAME narrows them),
# brings it down and fails when it left anything on the machine. Root.
test-k8s: engine
	scripts/k8s-rig/test.sh

# The end-to-end scripts against Podman's Docker-compatible API
# (scripts/ensure-podman.sh installs podman and starts its service when
# needed; the test images are built into podman's own store). Prints each
# script skipped on Podman with its reason, the failures, and the counts;
# the whole log stays in the file it names.
PODMAN_HOST ?= unix:///run/podman/podman.sock
test-podman: engine
	scripts/ensure-podman.sh
	@log=$$(mktemp /tmp/devstack-test-podman.XXXXXX.log); echo "test-podman: log in $$log"; \
	start=$$(date +%s); \
	DEVSTACK_E2E=1 DOCKER_HOST=$(PODMAN_HOST) $(GO) test -count=1 -timeout 30m -v ./e2e >$$log 2>&1; rc=$$?; \
	awk -f scripts/e2e-summary.awk $$log | sort; \
	echo "test-podman: $$(grep -cE '^ +--- PASS' $$log) scripts passed, $$(grep -cE '^ +--- SKIP' $$log) skipped, $$(grep -cE '^ +--- FAIL' $$log) failed in $$(( $$(date +%s) - start ))s"; \
	exit $$rc

# Speed targets, measured against the raw engine in one run; prints ratios.
bench: build engine
	DEVSTACK_E2E=1 $(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 90m ./bench/

# Every fuzz target for FUZZTIME each (seed corpora and past crashes in
# each package's testdata/fuzz/; plain `go test` runs those as tests).
FUZZTIME ?= 20s
FUZZ_TARGETS := internal/compose:FuzzResolve internal/compose:FuzzKnobs internal/compose:FuzzRawEnv internal/watch:FuzzMatcher \
	internal/watch/receiver:FuzzFrames internal/watch/receiver:FuzzServe internal/bundle/ldm:FuzzDecode internal/bundle/ldm:FuzzRoundTrip \
	internal/bundle/ldm:FuzzDecodeBudget internal/bundle:FuzzManifest internal/bundle:FuzzArchive \
	internal/cli:FuzzFormat
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t#*:}; echo "fuzz ./$$pkg $$fn ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./$$pkg; \
	done

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin dist completions internal/watch/inject/receivers/devstack-receiver-* internal/watch/inject/receivers/devstack-router-*
