// Command devstack-kube takes compose projects to Kubernetes for devstack:
// it reads one request (JSON, package kube/wire's Request) on stdin, maps
// the project to Kubernetes objects (package kube/mapping) and, for a
// deploy, applies them to the cluster of the kubeconfig (package
// kube/worker), writing progress, the report, manifests, pods or log lines
// and, on failure, the error as JSON lines on stdout. devstack runs it; it
// is not meant to be run by hand.
//
// It is a program of its own because client-go and the Kubernetes API
// types would otherwise slow down every devstack start.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/kube/worker"
	"github.com/devstack/devstack/internal/progress"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx)
	stop()
	os.Exit(code)
}

func run(ctx context.Context) int {
	out := &lines{enc: json.NewEncoder(os.Stdout)}
	var req wire.Request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "devstack-kube takes compose projects to Kubernetes for devstack and reads a request on stdin (%v); run devstack convert kubernetes or devstack deploy --kubernetes instead\n", err)
		return 2
	}
	if req.Version != wire.Version {
		out.reply(wire.ErrorReply(fmt.Errorf("%w (protocol %d, devstack sent %d): install devstack and devstack-kube from the same build", wire.ErrHelperVersion, wire.Version, req.Version)))
		return 1
	}
	if err := do(ctx, req, out); err != nil {
		out.reply(wire.ErrorReply(err))
		return 1
	}
	return 0
}

func do(ctx context.Context, req wire.Request, out *lines) error {
	switch req.Op {
	case wire.OpConvert:
		r, err := mapProject(req, out)
		if err != nil {
			return err
		}
		ms, err := mapping.Manifests(r.Objects)
		if err != nil {
			return err
		}
		for _, m := range ms {
			out.reply(wire.Reply{Manifest: &m})
		}
		return nil
	case wire.OpDeploy:
		r, err := mapProject(req, out)
		if err != nil {
			return err
		}
		return worker.Deploy(ctx, req, r, out)
	case wire.OpPs:
		return worker.Ps(ctx, req, func(p wire.Pod) { out.reply(wire.Reply{Pod: &p}) })
	case wire.OpLogs:
		return worker.Logs(ctx, req, func(l wire.LogLine) { out.reply(wire.Reply{Log: &l}) })
	case wire.OpRm:
		return worker.Remove(ctx, req, out)
	case wire.OpCheck:
		return worker.Check(ctx, req)
	case wire.OpDash:
		return worker.Dash(ctx, req, func(c wire.Change) { out.reply(wire.Reply{Change: &c}) })
	}
	return fmt.Errorf("devstack-kube: unknown request %q", req.Op)
}

// mapProject maps the request's project and sends the report.
func mapProject(req wire.Request, out *lines) (mapping.Result, error) {
	p, err := mapping.Decode(req.Project)
	if err != nil {
		return mapping.Result{}, err
	}
	r, err := mapping.Map(mapping.Input{Project: p, Files: req.Files, Unread: req.Unread, Images: req.Images}, req.Map)
	if err != nil {
		return r, err
	}
	for _, n := range r.Report {
		out.reply(wire.Reply{Note: &n})
	}
	return r, nil
}

// lines writes replies as JSON lines; goroutines share it.
type lines struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (l *lines) Event(e progress.Event) { l.reply(wire.Reply{Event: &e}) }

func (l *lines) reply(r wire.Reply) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.enc.Encode(r)
}
