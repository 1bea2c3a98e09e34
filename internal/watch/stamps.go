package watch

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// stamp is a host file's size and modification time: whether it changed
// since devstack last synced it, either way.
type stamp struct {
	size, mtime int64
}

func stampOf(fi fs.FileInfo) stamp { return stamp{fi.Size(), fi.ModTime().UnixNano()} }

// stamps remembers each host file as it was when last synced (into the
// container, or back from it), and the files written back from
// containers, whose own file events must not sync them in again.
type stamps struct {
	mu     sync.Mutex
	synced map[string]stamp
	wrote  map[string]stamp
}

func newStamps() *stamps {
	return &stamps{synced: map[string]stamp{}, wrote: map[string]stamp{}}
}

// setListing records a tree as listed below dir.
func (s *stamps) setListing(dir string, list []receiver.Stat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range list {
		if st.Mode.IsRegular() {
			s.synced[filepath.Join(dir, filepath.FromSlash(st.Rel))] = stamp{st.Size, st.MTime}
		}
	}
}

// setEntries records the files a sync copied.
func (s *stamps) setEntries(copies []entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range copies {
		if e.info.Mode().IsRegular() {
			s.synced[e.host] = stampOf(e.info)
		}
	}
}

// unchanged: the host file is as it was when last synced.
func (s *stamps) unchanged(p string, fi fs.FileInfo) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.synced[p]
	return ok && old == stampOf(fi)
}

// wroteBack records a file written back from a container.
func (s *stamps) wroteBack(p string, fi fs.FileInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.synced[p] = stampOf(fi)
	s.wrote[p] = stampOf(fi)
}

// justWrote: p is a file written back from a container and unchanged
// since, so its file event is the write itself, not to be synced in.
func (s *stamps) justWrote(p string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.wrote[p]
	if !ok {
		return false
	}
	if fi, err := os.Lstat(p); err == nil && stampOf(fi) == old {
		return true
	}
	delete(s.wrote, p)
	return false
}
