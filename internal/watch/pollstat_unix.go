//go:build unix

package watch

import (
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// statEntries calls fn with each entry of dir and its lstat, one fstatat
// against the open directory per entry (no path is resolved from the root
// again): the poller's whole cost. A directory that cannot be read has no
// entries.
func statEntries(dir string, fn func(name string, s snapshot)) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil && len(names) == 0 {
		return
	}
	fd := int(f.Fd())
	var st unix.Stat_t
	for _, name := range names {
		if err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			continue // gone meanwhile
		}
		fn(name, snapshot{mod: time.Unix(int64(st.Mtim.Sec), int64(st.Mtim.Nsec)), size: st.Size, mode: unixMode(uint32(st.Mode))})
	}
}

// unixMode is the fs.FileMode of a stat's st_mode: type and permissions.
func unixMode(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & unix.S_IFMT {
	case unix.S_IFDIR:
		mode |= fs.ModeDir
	case unix.S_IFLNK:
		mode |= fs.ModeSymlink
	case unix.S_IFIFO:
		mode |= fs.ModeNamedPipe
	case unix.S_IFSOCK:
		mode |= fs.ModeSocket
	case unix.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		mode |= fs.ModeDevice
	}
	if m&unix.S_ISUID != 0 {
		mode |= fs.ModeSetuid
	}
	if m&unix.S_ISGID != 0 {
		mode |= fs.ModeSetgid
	}
	if m&unix.S_ISVTX != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}
