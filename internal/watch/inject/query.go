package inject

import (
	"archive/tar"
	"context"
	"errors"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// List lists the tree below the container directory dir (see
// receiver.List). An error wrapping receiver.ErrBroken means the receiver
// is gone.
func (rc *Conn) List(ctx context.Context, dir string) ([]receiver.Stat, error) {
	stop := context.AfterFunc(ctx, rc.conn.Close)
	defer stop()
	stats, err := receiver.RequestList(rc.in, rc.acks, dir)
	if errors.Is(err, receiver.ErrBroken) {
		return nil, rc.failure(ctx, err)
	}
	return stats, err
}

// Hash hashes the container's files at paths (see receiver.Hash).
func (rc *Conn) Hash(ctx context.Context, paths []string) ([]receiver.Sum, error) {
	stop := context.AfterFunc(ctx, rc.conn.Close)
	defer stop()
	sums, err := receiver.RequestHash(rc.in, rc.acks, paths)
	if errors.Is(err, receiver.ErrBroken) {
		return nil, rc.failure(ctx, err)
	}
	return sums, err
}

// Back is a receiver that sends back what changes in a container
// directory (see receiver.FollowRequest): one exec of its own.
type Back struct{ rc *Conn }

// Follow installs the receiver unless it is there and starts one that
// follows req.Dir. The caller closes the Back.
func Follow(ctx context.Context, api Engine, id string, bin *Binary, req receiver.FollowRequest) (*Back, error) {
	if err := install(ctx, api, id, bin); err != nil {
		return nil, err
	}
	rc, err := startExec(ctx, api, id, bin.dest)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, rc.conn.Close)
	err = receiver.RequestFollow(rc.in, rc.acks, req)
	stop()
	if err != nil {
		rc.Close()
		if errors.Is(err, receiver.ErrBroken) {
			return nil, rc.failure(ctx, err)
		}
		return nil, err
	}
	return &Back{rc: rc}, nil
}

// Next waits for the next batch sent back and hands fn its tar stream;
// an error wrapping receiver.ErrBroken once the receiver is gone (the
// container stopped, Close).
func (b *Back) Next(fn func(*tar.Reader) error) error {
	return receiver.ReadBack(b.rc.acks, fn)
}

// Close ends the receiver.
func (b *Back) Close() { b.rc.Close() }
