package watch

import (
	"context"
	"errors"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/watch/inject"
	"github.com/devstack/devstack/internal/watch/receiver"
)

// errNoQuery: the container can be neither read directly nor through a
// receiver (CopyToContainer only): catching up copies the whole tree.
var errNoQuery = errors.New("no way to list the container's files")

// list lists the container's tree below dir: directly, else through the
// receiver (the same receiver.List either way).
func (b *box) list(ctx context.Context, api dockerapi.API, dir string) ([]receiver.Stat, error) {
	if b.root != nil {
		if stats, err := receiver.List(b.root, dir); err == nil {
			return stats, nil
		}
	}
	rc, err := b.conn(ctx, api)
	if err != nil {
		return nil, err
	}
	stats, err := rc.List(ctx, dir)
	b.broken(err)
	return stats, err
}

// hash hashes the container's files at paths, as list reads them.
func (b *box) hash(ctx context.Context, api dockerapi.API, paths []string) ([]receiver.Sum, error) {
	if b.root != nil {
		return receiver.Hash(b.root, paths), nil
	}
	rc, err := b.conn(ctx, api)
	if err != nil {
		return nil, err
	}
	sums := make([]receiver.Sum, 0, len(paths))
	for len(paths) > 0 { // requests of a bounded size, whatever the count
		n := min(len(paths), hashBatch)
		got, err := rc.Hash(ctx, paths[:n])
		if err != nil {
			b.broken(err)
			return nil, err
		}
		sums, paths = append(sums, got...), paths[n:]
	}
	return sums, nil
}

// hashBatch is how many paths one hash request names.
const hashBatch = 4096

// conn is the container's running receiver, started when needed.
func (b *box) conn(ctx context.Context, api dockerapi.API) (*inject.Conn, error) {
	if err := b.adoptWarm(ctx); err != nil {
		return nil, err
	}
	if b.recv != nil {
		return b.recv, nil
	}
	if b.bin == nil || b.recvOff {
		return nil, errNoQuery
	}
	rc, err := b.startReceiver(ctx, api)
	if err != nil {
		return nil, err
	}
	b.recv = rc
	return rc, nil
}

// broken drops a receiver whose stream broke; the next use starts another.
func (b *box) broken(err error) {
	if errors.Is(err, receiver.ErrBroken) {
		b.closeReceiver()
		b.breaks++
	}
}
