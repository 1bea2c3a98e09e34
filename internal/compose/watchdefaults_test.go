package compose

import (
	"context"
	"testing"
)

// initial_sync: devstack's default is true; a rule's false, or compose's
// alias x-initialSync, is kept.
func TestWatchInitialSyncDefault(t *testing.T) {
	dir := write(t, map[string]string{"compose.yaml": `name: ws
services:
  web:
    image: busybox
    develop:
      watch:
        - {path: ./a, action: sync, target: /a}
        - {path: ./b, action: sync, target: /b, initial_sync: false}
        - {path: ./c, action: sync, target: /c, initial_sync: true}
        - {path: ./d, action: sync, target: /d, x-initialSync: false}
`})
	p, err := Load(context.Background(), Options{WorkingDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "ws" {
		t.Errorf("project name %q", p.Name)
	}
	want := []bool{true, false, true, false}
	for i, w := range p.Services["web"].Develop.Watch {
		if w.InitialSync != want[i] {
			t.Errorf("rule %d (%s): initial_sync %v, want %v", i, w.Path, w.InitialSync, want[i])
		}
	}
}
