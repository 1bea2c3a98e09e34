package watch

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/devstack/devstack/internal/termsafe"
	"github.com/devstack/devstack/internal/watch/inject"
	"github.com/devstack/devstack/internal/watch/receiver"
)

// followers are the receivers sending back what containers write under
// the targets of x-sync-back rules: one exec per rule and container.
type followers struct {
	mu   sync.Mutex
	m    map[followKey]func() // stops it
	said bool                 // "no receiver for x-sync-back" was said
}

type followKey struct {
	t  *Trigger
	id string
}

func newFollowers() *followers { return &followers{m: map[followKey]func(){}} }

// stopAll ends every follower (the watch ends).
func (f *followers) stopAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, stop := range f.m {
		stop()
		delete(f.m, k)
	}
}

// stopGone ends the followers of containers not in ids.
func (f *followers) stopGone(ids map[string]bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, stop := range f.m {
		if !ids[k.id] {
			stop()
			delete(f.m, k)
		}
	}
}

// follow (re)starts the receiver that sends back what the container
// writes under the trigger's target; first, it sends the files of send
// and of conflicts (relative to the target), and those are written on the
// host before follow returns. conflicts are files changed on both sides:
// the container's version is kept beside the host's. A failure is said,
// not returned: syncing into the container goes on.
func (r *runner) follow(ctx context.Context, t *Trigger, id string, send, conflicts []string) {
	key := followKey{t, id}
	r.backs.mu.Lock()
	if stop := r.backs.m[key]; stop != nil {
		stop()
		delete(r.backs.m, key)
	}
	r.backs.mu.Unlock()
	bin := r.boxes.receiver(ctx)
	if bin == nil {
		r.backs.mu.Lock()
		if !r.backs.said {
			r.backs.said = true
			say(r.out, "service %s: x-sync-back needs devstack's receiver in the container, which cannot run there; nothing comes back", t.Service)
		}
		r.backs.mu.Unlock()
		return
	}
	fctx, cancel := context.WithCancel(ctx)
	req := receiver.FollowRequest{Dir: t.Target, Globs: t.SyncBack, Send: append(append([]string(nil), send...), conflicts...)}
	back, err := inject.Follow(fctx, r.api, id, bin, req)
	if err != nil {
		cancel()
		if ctx.Err() == nil {
			say(r.out, "service %s: x-sync-back of %s: %v", t.Service, t.Target, err)
		}
		return
	}
	stopped := context.AfterFunc(fctx, back.Close)
	if len(req.Send) > 0 {
		conflict := map[string]bool{}
		for _, c := range conflicts {
			conflict[c] = true
		}
		r.takeBatch(back, t, conflict)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for fctx.Err() == nil {
			if err := r.takeBatch(back, t, nil); errors.Is(err, receiver.ErrBroken) {
				logrus.Debugf("watch: x-sync-back of %.12s ended: %v", id, err)
				return
			}
		}
	}()
	r.backs.mu.Lock()
	r.backs.m[key] = func() { cancel(); <-done; stopped() }
	r.backs.mu.Unlock()
}

// takeBatch writes one batch sent back on the host and reports it.
func (r *runner) takeBatch(back *inject.Back, t *Trigger, conflict map[string]bool) error {
	var start time.Time
	var wrote []string
	err := back.Next(func(tr *tar.Reader) error {
		start = time.Now() // the batch arrived: the wait for it is not its time
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			host, err := r.takeBack(t, hdr, tr, conflict[hdr.Name])
			if err != nil {
				r.notBack(t, hdr.Name, err)
				continue
			}
			if host != "" {
				wrote = append(wrote, rel(r.p.WorkingDir, host))
			}
		}
	})
	if len(wrote) > 0 {
		r.out.Event(Report{At: start, Service: t.Service, Action: "sync back", Files: wrote, Took: time.Since(start)}.Event())
	}
	return err
}

// notBack says that a file the container sent back was not written. Its
// name is the container's, and so may be the error's text (a host path
// made of it): both are printed escaped, never sent to the terminal as
// they are.
func (r *runner) notBack(t *Trigger, name string, err error) {
	say(r.out, "service %s: not brought back: %s: %s", t.Service, termsafe.Name(name), termsafe.Name(err.Error()))
}
