// Package kubefeed is the feed's StackSource for a project deployed with
// deploy --kubernetes: the devstack-kube helper watches the project's
// workloads, Services and pods and the namespace's Events (one watch per
// kind) and streams each change; the source keeps them in a State, which
// the feed reads whenever a change arrives. Its logs come the way deploy
// logs -f gets them. It imports no Kubernetes package: client-go stays in
// the helper.
package kubefeed

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/kube"
	"github.com/devstack/devstack/internal/kube/wire"
)

// Helper runs one request in the devstack-kube helper (kube.Run), handing
// its answers to h until it ends or ctx does.
type Helper func(ctx context.Context, req wire.Request, h kube.Handlers) error

// errEnded is a dashboard stream the helper ended by itself.
var errEnded = errors.New("the Kubernetes helper stopped watching")

// Source follows one project on a Kubernetes cluster.
type Source struct {
	run     Helper
	project string
	cluster wire.Cluster
	tail    int64

	mu     sync.Mutex
	sess   *session
	logged bool // a log stream began: later ones show only new lines
}

// session is one run of the helper's watches.
type session struct {
	state  *State
	synced chan struct{} // closed once every kind was listed
	done   chan struct{} // closed when the helper ended; err says why
	err    error
}

// New is the source of project on cluster; its logs start with the last
// tail lines of each pod (all when tail is 0).
func New(run Helper, project string, cluster wire.Cluster, tail int) *Source {
	t := int64(tail)
	if tail <= 0 {
		t = -1
	}
	return &Source{run: run, project: project, cluster: cluster, tail: t}
}

func (s *Source) request(op string) wire.Request {
	return wire.Request{Op: op, ProjectName: s.project, Cluster: s.cluster}
}

// Changes starts the helper's watches: each change goes into a new
// State and signals (several at once as one) until ctx ends or the helper
// stops (the error channel then yields why).
func (s *Source) Changes(ctx context.Context) (<-chan struct{}, <-chan error) {
	ss := &session{state: NewState(), synced: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	s.sess = ss
	s.mu.Unlock()
	out, errs := make(chan struct{}, 1), make(chan error, 1)
	go func() {
		err := s.run(ctx, s.request(wire.OpDash), kube.Handlers{Change: func(c wire.Change) {
			s.mu.Lock()
			ss.state.Apply(c, time.Now())
			if ss.state.Synced() {
				select {
				case <-ss.synced:
				default:
					close(ss.synced)
				}
			}
			s.mu.Unlock()
			select {
			case out <- struct{}{}:
			default: // one is already waiting
			}
		}})
		if err == nil && ctx.Err() == nil {
			err = errEnded
		}
		ss.err = err
		close(ss.done)
		errs <- err
		close(out)
	}()
	return out, errs
}

// Stack is what the helper's watches said so far; the first look of a
// session waits until every kind was listed.
func (s *Source) Stack(ctx context.Context) ([]feed.ServiceState, []feed.ContainerState, error) {
	s.mu.Lock()
	ss := s.sess
	s.mu.Unlock()
	if ss == nil {
		return nil, nil, errors.New("kubefeed: Stack before Changes")
	}
	select {
	case <-ss.synced:
	case <-ss.done:
		return nil, nil, ss.err
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	svcs, pods := ss.state.Stack()
	return svcs, pods, nil
}

// TakeEvents words the restarts and the project's Events seen since the
// last call (feed.StackEventer).
func (s *Source) TakeEvents() []feed.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess == nil {
		return nil
	}
	return s.sess.state.TakeEvents()
}

// Logs follows the project's pods' logs as deploy logs -f does, each line
// prefixed with its pod, until ctx ends; called again, it shows only the
// lines written from then on.
func (s *Source) Logs(ctx context.Context, send func(feed.LogLine)) error {
	req := s.request(wire.OpLogs)
	s.mu.Lock()
	req.Logs = wire.LogOptions{Follow: true, Tail: s.tail}
	if s.logged {
		req.Logs.Tail = 0
	}
	s.logged = true
	s.mu.Unlock()
	return s.run(ctx, req, kube.Handlers{Log: func(l wire.LogLine) {
		send(feed.LogLine{ContainerID: l.Pod, Service: l.Service, Source: l.Pod, Time: time.Now(), Text: l.Text})
	}})
}

// Ping says whether the cluster answers and holds the project.
func (s *Source) Ping(ctx context.Context) error {
	return s.run(ctx, s.request(wire.OpCheck), kube.Handlers{})
}
