//go:build linux || darwin || freebsd

package diskspace

import "golang.org/x/sys/unix"

// Of says how many bytes an unprivileged writer may still put in the file
// system that holds path, and how large it is.
func Of(path string) (free, total uint64, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), uint64(st.Blocks) * uint64(st.Bsize), nil
}
