package cli

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/deploy"
	"github.com/devstack/devstack/internal/kube"
	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/logs"
)

// runDeployKube maps the project in the devstack-kube helper and applies
// it to the cluster.
func runDeployKube(ctx context.Context, g *globals, f deployFlags, services []string) error {
	_, p, err := g.load(ctx, services)
	if err != nil {
		return err
	}
	out := g.printer()
	unlock, err := g.lock(ctx, p.Name, "deploy")
	if err != nil {
		return err
	}
	defer unlock()
	images, err := g.clusterImages(ctx, p, f.build)
	if err != nil {
		return err
	}
	req, err := kube.ProjectRequest(wire.OpDeploy, p)
	if err != nil {
		return err
	}
	req.Images = images
	req.Map = f.kubeMap.options()
	req.Map.Namespace = f.kube.Namespace
	req.Cluster = f.kube.Cluster
	req.Deploy = wire.DeployOptions{Detach: f.detach, Prune: f.prune, Partial: len(services) > 0, Timeout: f.timeout}
	return kube.Run(ctx, req, kube.Handlers{
		Progress: out,
		Note:     func(n wire.Note) { fmt.Fprintln(g.stderr, "note: "+n.String()) },
	})
}

// clusterImages builds the project's images on the engine with --build
// and pushes those named with a registry (the others the cluster's nodes
// must have), and says what the engine has of the images of the services
// that build: a rebuilt image rolls their pods, pinned to the digest
// pushed. Without --build an engine that does not answer is a note.
func (g *globals) clusterImages(ctx context.Context, p *types.Project, build bool) (map[string]wire.Image, error) {
	if !slices.ContainsFunc(p.ServiceNames(), func(n string) bool { return p.Services[n].Build != nil }) {
		return nil, nil
	}
	api, err := g.client(ctx)
	if err != nil && !build {
		fmt.Fprintf(g.stderr, "note: the images of the services that build are not known (%v): their pods roll only when their image's name changes\n", err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer api.Close()
	if build {
		nodes := func(context.Context) ([]string, error) {
			return []string{"of the Kubernetes cluster (import them into their container runtime)"}, nil
		}
		if err := apply.BuildForNodes(ctx, api, p, g.images(apply.ImageOptions{}), apply.PushOptions{Auth: g.auth}, nodes, g.printer()); err != nil {
			return nil, err
		}
	}
	return kube.BuiltImages(ctx, api, p)
}

// onCluster runs op for the project on the Kubernetes cluster.
func (g *globals) onCluster(ctx context.Context, k *kubeTarget, req wire.Request, h kube.Handlers) error {
	name, err := g.projectName(ctx)
	if err != nil {
		return err
	}
	req.ProjectName = name
	req.Cluster = k.Cluster
	return kube.Run(ctx, req, h)
}

func kubePs(ctx context.Context, g *globals, k *kubeTarget) error {
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSERVICE\tNODE\tREADY\tSTATUS\tRESTARTS\tAGE\tIP")
	err := g.onCluster(ctx, k, wire.Request{Op: wire.OpPs}, kube.Handlers{Pod: func(p wire.Pod) {
		status := p.Phase
		if p.Reason != "" {
			status += " (" + p.Reason + ")"
		}
		age := "-"
		if !p.Started.IsZero() {
			age = time.Since(p.Started).Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.Name, p.Service, p.Node, p.Ready, status, p.Restarts, age, p.IP)
	}})
	if err != nil {
		return err
	}
	return tw.Flush()
}

func kubeRm(ctx context.Context, g *globals, k *kubeTarget, volumes bool) error {
	name, err := g.projectName(ctx)
	if err != nil {
		return err
	}
	unlock, err := g.lock(ctx, name, "deploy rm")
	if err != nil {
		return err
	}
	defer unlock()
	return g.onCluster(ctx, k, wire.Request{Op: wire.OpRm, Deploy: wire.DeployOptions{Volumes: volumes}}, kube.Handlers{Progress: g.printer()})
}

func kubeLogs(ctx context.Context, g *globals, k *kubeTarget, o deploy.LogOptions, color bool) error {
	lo := wire.LogOptions{Services: o.Services, Follow: o.Follow, Tail: -1}
	if o.Tail != "all" && o.Tail != "" {
		n, err := strconv.ParseInt(o.Tail, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("--tail %q: want a number of lines or all", o.Tail)
		}
		lo.Tail = n
	}
	lp := &logPrinter{w: g.stdout, color: color}
	var mu sync.Mutex
	err := g.onCluster(ctx, k, wire.Request{Op: wire.OpLogs, Logs: lo}, kube.Handlers{Log: func(l wire.LogLine) {
		mu.Lock()
		defer mu.Unlock()
		lp.pad = max(lp.pad, len(l.Service))
		lp.Line(logs.Line{Service: l.Service, Text: l.Text})
	}})
	if ctx.Err() != nil {
		return nil // Ctrl-C ends -f
	}
	return err
}
