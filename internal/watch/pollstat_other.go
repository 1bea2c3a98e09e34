//go:build !unix

package watch

import "os"

// statEntries calls fn with each entry of dir and its lstat.
func statEntries(dir string, fn func(name string, s snapshot)) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			fn(e.Name(), snapshot{mod: fi.ModTime(), size: fi.Size(), mode: fi.Mode()})
		}
	}
}
