package router

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The mark follows the token read before the load, only that one, and
// the earlier marks go.
func TestMarkLoaded(t *testing.T) {
	dir := t.TempDir()
	marks := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, LoadedPrefix+"*"))
		for i := range m {
			m[i] = filepath.Base(m[i])
		}
		return m
	}
	if tok := ReloadToken(dir); tok != "" {
		t.Fatalf("token without a file: %q", tok)
	}
	if err := MarkLoaded(dir, ""); err != nil || len(marks()) != 0 {
		t.Fatalf("marked without a token: %v %v", marks(), err)
	}
	for _, tok := range []string{"a1", "b2"} {
		if err := os.WriteFile(filepath.Join(dir, ReloadFile), []byte(tok+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		got := ReloadToken(dir)
		if err := os.WriteFile(filepath.Join(dir, ReloadFile), []byte("later"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := MarkLoaded(dir, got); err != nil {
			t.Fatal(err)
		}
		if m := marks(); !slices.Equal(m, []string{LoadedPrefix + tok}) {
			t.Errorf("marks %q, want %s%s", m, LoadedPrefix, tok)
		}
	}
	for _, bad := range []string{"../x", "a/b", "A"} {
		if err := os.WriteFile(filepath.Join(dir, ReloadFile), []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if tok := ReloadToken(dir); tok != "" {
			t.Errorf("token %q from %q", tok, bad)
		}
	}
}
