package watch

import "io/fs"

// fileOwner: Windows files have no uid and gid.
func fileOwner(fs.FileInfo) (int, int) { return -1, -1 }
