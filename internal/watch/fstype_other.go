//go:build !linux

package watch

// eventlessFS knows file systems by their Linux statfs type only.
func eventlessFS(string) string { return "" }
