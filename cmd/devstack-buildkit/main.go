// Command devstack-buildkit runs BuildKit builds for devstack: it reads one
// build request (JSON, package buildkit's Request) on stdin, serves the
// build's session through the engine devstack uses, and writes progress
// events and, on failure, the error as JSON lines on stdout. devstack runs
// it; it is not meant to be run by hand.
//
// It is a program of its own because BuildKit's session packages (gRPC,
// protobuf, OpenTelemetry) would otherwise slow down every devstack start.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/devstack/devstack/internal/buildkit"
	"github.com/devstack/devstack/internal/buildkit/worker"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/registryauth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx)
	stop()
	os.Exit(code)
}

func run(ctx context.Context) int {
	out := &lines{enc: json.NewEncoder(os.Stdout)}
	var req buildkit.Request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "%s runs BuildKit builds for devstack and reads a build request on stdin (%v); run devstack build instead\n", buildkit.HelperName, err)
		return 2
	}
	if req.Version != buildkit.WireVersion {
		out.reply(buildkit.ErrorReply(fmt.Errorf("%w (protocol %d, devstack sent %d): install devstack and devstack-buildkit from the same build", buildkit.ErrHelperVersion, buildkit.WireVersion, req.Version)))
		return 1
	}
	if err := build(ctx, req, out); err != nil {
		out.reply(buildkit.ErrorReply(err))
		return 1
	}
	return 0
}

func build(ctx context.Context, req buildkit.Request, out *lines) error {
	api, _, err := dockerapi.Connect(ctx, req.Context)
	if err != nil {
		return err
	}
	defer api.Close()
	cfg, err := registryauth.New("").ConfigFile()
	if err != nil {
		return err
	}
	return worker.Build(ctx, api, req, cfg, out)
}

// lines writes replies as JSON lines; the build's goroutines share it.
type lines struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (l *lines) Event(e progress.Event) { l.reply(buildkit.Reply{Event: &e}) }

func (l *lines) reply(r buildkit.Reply) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.enc.Encode(r)
}
