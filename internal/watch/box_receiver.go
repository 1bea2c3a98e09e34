package watch

import (
	"context"
	"errors"
	"io"

	"github.com/sirupsen/logrus"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/watch/inject"
	"github.com/devstack/devstack/internal/watch/receiver"
)

// maxBreaks is how many times a container's receiver may die before the
// container is synced through CopyToContainer only.
const maxBreaks = 3

// putReceiver sends the batch to the container's receiver, installing and
// starting it first when needed. Whatever fails, the caller copies the
// batch through CopyToContainer instead; a broken receiver is replaced at
// the next sync.
func (b *box) putReceiver(ctx context.Context, api dockerapi.API, copies []entry, parents, deletes []string) error {
	if err := b.adoptWarm(ctx); err != nil {
		return err
	}
	if b.recv == nil {
		rc, err := b.startReceiver(ctx, api)
		if err != nil {
			return err
		}
		b.recv = rc
	}
	err := b.recv.Send(ctx, deletes, func(w io.Writer) error {
		return writeTar(w, copies, parents, b.uid, b.gid)
	})
	if errors.Is(err, receiver.ErrBroken) {
		b.closeReceiver()
		if b.breaks++; b.breaks >= maxBreaks && ctx.Err() == nil {
			b.recvOff = true
			logrus.Debugf("watch: container %.12s: receiver broke %d times, syncing through CopyToContainer: %v", b.id, b.breaks, err)
		}
	}
	return err
}

// startReceiver installs and starts the receiver. When that fails (a
// read-only root, noexec, no writable /) the container goes without one
// until it restarts.
func (b *box) startReceiver(ctx context.Context, api dockerapi.API) (*inject.Conn, error) {
	rc, err := inject.Start(ctx, api, b.id, b.bin)
	if err != nil && ctx.Err() == nil {
		b.recvOff = true
		logrus.Debugf("watch: container %.12s: no receiver, syncing through CopyToContainer: %v", b.id, err)
	}
	return rc, err
}

func (b *box) closeReceiver() {
	if b.warm != nil {
		if res := <-b.warm; res.rc != nil {
			res.rc.Close()
		}
		b.warm = nil
	}
	if b.recv != nil {
		b.recv.Close()
		b.recv = nil
	}
}

// warmResult is a receiver started ahead of the first sync.
type warmResult struct {
	rc  *inject.Conn
	err error
}

// warmUp installs and starts the receiver in the background when the
// container will need one, so that the first save does not wait for the
// install (a few hundred milliseconds); the first sync takes it over. The
// goroutine touches nothing of the box but its channel.
func (b *box) warmUp(ctx context.Context, api dockerapi.API) {
	if b.root != nil || b.bin == nil || b.recvOff || b.recv != nil || b.warm != nil {
		return
	}
	ch := make(chan warmResult, 1)
	b.warm = ch
	id, bin := b.id, b.bin
	go func() {
		rc, err := inject.Start(ctx, api, id, bin)
		ch <- warmResult{rc, err}
	}()
}

// adoptWarm waits for the receiver warmUp started, if any, and makes it
// the box's.
func (b *box) adoptWarm(ctx context.Context) error {
	if b.warm == nil {
		return nil
	}
	select {
	case res := <-b.warm:
		b.warm = nil
		if res.err != nil {
			if ctx.Err() == nil {
				b.recvOff = true
				logrus.Debugf("watch: container %.12s: no receiver, syncing through CopyToContainer: %v", b.id, res.err)
			}
			return res.err
		}
		b.recv = res.rc
		return nil
	case <-ctx.Done():
		return ctx.Err() // close() collects it
	}
}

// adoptWarm waits for every receiver being started ahead (see box.warmUp).
func (bs *boxes) adoptWarm(ctx context.Context) {
	bs.mu.Lock()
	all := make([]*box, 0, len(bs.m))
	for _, b := range bs.m {
		all = append(all, b)
	}
	bs.mu.Unlock()
	for _, b := range all {
		_ = b.adoptWarm(ctx) // a failure leaves the container to CopyToContainer
	}
}

// receiver finds out once which receiver the engine's containers get; nil
// when none can run there. A devstack built without its receivers says so
// once: it copies itself into containers, or syncs through CopyToContainer.
func (bs *boxes) receiver(ctx context.Context) *inject.Binary {
	bs.binMu.Lock()
	defer bs.binMu.Unlock()
	if !bs.binChecked {
		bin, err := inject.Find(ctx, bs.api)
		switch {
		case err != nil && ctx.Err() != nil:
			return nil // ask again: the answer was cut short
		case errors.Is(err, inject.ErrNotBuiltIn):
			logrus.Warnf("watch: %v; syncing through CopyToContainer (~300 ms a sync; make build embeds the receivers)", err)
		case err != nil:
			logrus.Debugf("watch: no receiver in containers, syncing through CopyToContainer: %v", err)
		case !bin.Embedded:
			logrus.Warnf("watch: no devstack-receiver built into this devstack (make build embeds them); copying devstack itself into containers as the receiver")
		}
		bs.bin, bs.binChecked = bin, true
	}
	return bs.bin
}
