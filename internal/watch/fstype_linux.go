package watch

import "golang.org/x/sys/unix"

// eventlessFS names the file system path lies on when file events do not
// arrive there (9p, NFS, SMB, FUSE, ...); "" otherwise or when unknown.
func eventlessFS(path string) string {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return ""
	}
	return eventlessFSName(int64(uint32(st.Type)))
}
