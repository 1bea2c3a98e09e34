package deploy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/pkg/stdcopy"
	"golang.org/x/sync/errgroup"
)

// LogOptions say which logs Logs shows.
type LogOptions struct {
	Services []string // compose service names; none means all
	Follow   bool
	Tail     string
}

// LogLine is one line of a service's task.
type LogLine struct {
	Service string // the compose service name
	Line    string
}

// Logs streams the logs of the stack's services (through the manager,
// from whichever nodes their tasks run on) to fn, one line at a time;
// with Follow it runs until ctx ends.
func Logs(ctx context.Context, api API, ns string, o LogOptions, fn func(LogLine)) error {
	if err := ensureManager(ctx, api); err != nil {
		return err
	}
	services, err := api.ServiceList(ctx, swarm.ServiceListOptions{Filters: stackFilter(ns)})
	if err != nil {
		return err
	}
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	found := 0
	for _, s := range services {
		name := strings.TrimPrefix(s.Spec.Name, ns+"_")
		if len(o.Services) > 0 && !slices.Contains(o.Services, name) {
			continue
		}
		found++
		g.Go(func() error {
			rc, err := api.ServiceLogs(ctx, s.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: o.Follow, Tail: o.Tail})
			if err != nil {
				return fmt.Errorf("service %s: %w", name, err)
			}
			defer rc.Close()
			pr, pw := io.Pipe()
			go func() {
				_, err := stdcopy.StdCopy(pw, pw, rc)
				pw.CloseWithError(err)
			}()
			sc := bufio.NewScanner(pr)
			sc.Buffer(make([]byte, 64*1024), 1024*1024)
			for sc.Scan() {
				mu.Lock()
				fn(LogLine{Service: name, Line: sc.Text()})
				mu.Unlock()
			}
			return sc.Err()
		})
	}
	if found == 0 {
		return fmt.Errorf("%w: %s (or none of its services named)", ErrNoStack, ns)
	}
	return g.Wait()
}
