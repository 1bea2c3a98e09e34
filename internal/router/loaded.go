package router

import (
	"os"
	"path/filepath"
	"strings"
)

// Beside the route files: devstack writes a fresh token into ReloadFile
// (after the routes, in the same copy) before it signals a reload, and the
// router creates LoadedPrefix+token once the table it loaded is served.
// devstack waits for that file, so that a command that changed the routes
// returns only when requests follow them.
const (
	ReloadFile   = ".reload"
	LoadedPrefix = ".loaded-"
)

// ReloadToken is the token in dir's ReloadFile ("" without one, or with
// anything but letters and digits). Read it before Load: the routes
// written with it are then in what Load reads.
func ReloadToken(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, ReloadFile))
	if err != nil {
		return ""
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" || strings.IndexFunc(tok, func(r rune) bool {
		return (r < '0' || r > '9') && (r < 'a' || r > 'z')
	}) >= 0 {
		return ""
	}
	return tok
}

// MarkLoaded creates dir's LoadedPrefix+token (nothing for "") and removes
// the marks of earlier reloads.
func MarkLoaded(dir, token string) error {
	if token == "" {
		return nil
	}
	old, _ := filepath.Glob(filepath.Join(dir, LoadedPrefix+"*"))
	if err := os.WriteFile(filepath.Join(dir, LoadedPrefix+token), nil, 0o600); err != nil {
		return err
	}
	for _, f := range old {
		if filepath.Base(f) != LoadedPrefix+token {
			_ = os.Remove(f)
		}
	}
	return nil
}
