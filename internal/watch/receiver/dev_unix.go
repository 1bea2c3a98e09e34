//go:build !windows

package receiver

import (
	"io/fs"
	"syscall"
)

// devOf is the device a file lies on.
func devOf(fi fs.FileInfo) (uint64, bool) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), true //nolint:unconvert // int32 on some systems
	}
	return 0, false
}
