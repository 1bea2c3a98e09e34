//go:build linux || darwin || freebsd

package bundle

import "golang.org/x/sys/unix"

// diskFree is how many bytes an unprivileged writer may still put in the
// file system of dir.
func diskFree(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
