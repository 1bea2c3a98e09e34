package receiver

import (
	"errors"
	"os"
	"path/filepath"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// notifier follows a directory tree with inotify: files written and
// closed, or renamed into it, and directories made (watched in turn, and
// what they hold already counted as written). Symlinks are not followed.
type notifier struct {
	fd   int
	base string
	wds  map[int32]string // watch -> directory relative to base ("" for base)
	hits map[string]bool
}

const (
	followMask = unix.IN_CLOSE_WRITE | unix.IN_MOVED_TO | unix.IN_CREATE | unix.IN_DONT_FOLLOW | unix.IN_ONLYDIR | unix.IN_EXCL_UNLINK
	// followQuiet is how long the tree must stay quiet before a batch goes;
	// followMax bounds the wait under a steady stream of writes.
	followQuiet = 50 * time.Millisecond
	followMax   = 500 * time.Millisecond
)

func newNotifier(base string) (*notifier, error) {
	fi, err := os.Lstat(base)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, errors.New("not a directory")
	}
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	n := &notifier{fd: fd, base: base, wds: map[int32]string{}, hits: map[string]bool{}}
	if err := n.addTree("", false); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

func (n *notifier) close() { unix.Close(n.fd) }

// addTree watches the directory rel and those below it; found counts the
// files already there as written (a directory made or moved in).
func (n *notifier) addTree(rel string, found bool) error {
	wd, err := unix.InotifyAddWatch(n.fd, filepath.Join(n.base, rel), followMask)
	if err != nil {
		if rel != "" && (errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ENOTDIR)) {
			return nil // gone, or a symlink: not followed
		}
		return err
	}
	n.wds[int32(wd)] = rel
	entries, err := os.ReadDir(filepath.Join(n.base, rel))
	if err != nil {
		return nil
	}
	for _, e := range entries {
		child := filepath.ToSlash(filepath.Join(rel, e.Name()))
		switch {
		case e.IsDir():
			if err := n.addTree(child, found); err != nil {
				return err
			}
		case found && e.Type().IsRegular():
			n.hits[child] = true
		}
	}
	return nil
}

// wait returns the paths written since the last call once the tree has
// been quiet for followQuiet (or followMax passed since the first); nil
// once stop is closed.
func (n *notifier) wait(stop <-chan struct{}) map[string]bool {
	var first, last time.Time
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		if len(n.hits) > 0 {
			if first.IsZero() {
				first = time.Now()
			}
			if now := time.Now(); now.Sub(last) >= followQuiet || now.Sub(first) >= followMax {
				out := n.hits
				n.hits = map[string]bool{}
				return out
			}
		}
		fds := []unix.PollFd{{Fd: int32(n.fd), Events: unix.POLLIN}}
		if k, err := unix.Poll(fds, int(followQuiet/time.Millisecond)); err != nil && !errors.Is(err, unix.EINTR) {
			return nil
		} else if k > 0 && n.read() {
			last = time.Now()
		}
	}
}

// read takes the pending events; true when one counted.
func (n *notifier) read() bool {
	var buf [64 * (unix.SizeofInotifyEvent + unix.NAME_MAX + 1)]byte
	got := false
	for {
		k, err := unix.Read(n.fd, buf[:])
		if k <= 0 || err != nil {
			return got
		}
		for off := 0; off+unix.SizeofInotifyEvent <= k; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			off += unix.SizeofInotifyEvent + int(ev.Len)
			if n.event(ev.Wd, ev.Mask, cString(name)) {
				got = true
			}
		}
	}
}

// event records one event; true when it named a file or directory.
func (n *notifier) event(wd int32, mask uint32, name string) bool {
	dir, ok := n.wds[wd]
	if mask&unix.IN_IGNORED != 0 {
		delete(n.wds, wd)
		return false
	}
	if !ok || name == "" {
		return false
	}
	rel := filepath.ToSlash(filepath.Join(dir, name))
	switch {
	case mask&unix.IN_ISDIR != 0 && mask&(unix.IN_CREATE|unix.IN_MOVED_TO) != 0:
		_ = n.addTree(rel, true)
	case mask&unix.IN_ISDIR != 0, mask&unix.IN_CREATE != 0:
		return false // a file is counted once written and closed
	default:
		n.hits[rel] = true
	}
	return true
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
