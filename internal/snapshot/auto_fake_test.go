package snapshot

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// down -v's safety net: auto-TIME of the existing volumes (a suffix when
// a down -v in the same second took that name), the auto- snapshots
// pruned to the newest three, others left alone.
func TestAutoSave(t *testing.T) {
	api, p := upFlow(t)
	at := time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)
	api.ExitOnStart("devstack-snapshot-demo-save", 0, `{"name":"auto-2026-12-06T14-00-00-2"}`)
	var ms []manifest.Manifest
	for _, n := range []string{"auto-1", "mine", "auto-2", "auto-2026-12-06T14-00-00"} {
		ms = append(ms, manifest.Manifest{Name: n})
	}
	list, _ := json.Marshal(ms)
	api.ExitOnStart("devstack-snapshot-demo-ls", 0, string(list))
	api.ExitOnStart("devstack-snapshot-demo-rm", 0)
	res, err := AutoSave(context.Background(), api, p, "main", at, helper, progress.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != "auto-2026-12-06T14-00-00-2" || !slices.Equal(res.Volumes, []string{"data"}) {
		t.Errorf("result %+v", res)
	}
	var rmArgs []string
	for _, c := range api.Calls() {
		if c.Method == "ContainerCreate" && strings.HasSuffix(c.Target, "-rm") {
			rmArgs = append(rmArgs, c.Target)
		}
	}
	if len(rmArgs) != 1 {
		t.Errorf("rm runs %v", rmArgs)
	}
}

// Over the limit: skipped, said why; no volumes: nothing.
func TestAutoSaveSkips(t *testing.T) {
	api, p := upFlow(t)
	api.ExitOnStart("devstack-snapshot-demo-ls", 0, "[]")
	api.ExitOnStart("devstack-snapshot-demo-save", manifest.ExitTooBig, "devstack-snapshot: over the size limit: the volumes hold more than 2048 MiB")
	res, err := AutoSave(context.Background(), api, p, "", time.Now(), helper, progress.Discard)
	if err != nil || res.Name != "" || !strings.Contains(res.Skipped, "more than 2048 MiB") {
		t.Errorf("over the limit: %+v %v", res, err)
	}
	if state(t, api, "demo-db-1") != "running" {
		t.Errorf("db %s", state(t, api, "demo-db-1"))
	}
	delete(p.Volumes, "data")
	s := p.Services["db"]
	s.Volumes = nil
	p.Services["db"] = s
	if res, err := AutoSave(context.Background(), api, p, "", time.Now(), helper, progress.Discard); err != nil || res.Name != "" || res.Skipped != "" {
		t.Errorf("no volumes: %+v %v", res, err)
	}
}

func TestUniqueName(t *testing.T) {
	for _, tc := range []struct {
		taken []string
		want  string
	}{
		{nil, "auto-T"},
		{[]string{"auto-T"}, "auto-T-2"},
		{[]string{"auto-T", "auto-T-2", "other"}, "auto-T-3"},
		{[]string{"auto-T-2"}, "auto-T"},
	} {
		if got := UniqueName("auto-T", tc.taken); got != tc.want {
			t.Errorf("UniqueName(%v) = %q, want %q", tc.taken, got, tc.want)
		}
	}
}

// A save killed during the copy left its helper and the db paused: the
// next Recover unpauses the db, not web (which the user paused), and
// removes the helper.
func TestRecoverUnpausesWhatASaveLeft(t *testing.T) {
	api, _ := upFlow(t)
	ctx := context.Background()
	db, _ := api.ContainerInspect(ctx, "demo-db-1")
	web, _ := api.ContainerInspect(ctx, "demo-web-1")
	users := []plan.Container{{ID: db.ID, Name: "demo-db-1", State: "running"}}
	if _, err := helper.prepareWith(ctx, api, "demo", "save", pauseLabel(users, false), nil, true, "save"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{db.ID, web.ID} {
		if err := api.ContainerPause(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Recover(ctx, api, "demo", progress.Discard)
	if err != nil || !slices.Equal(got, []string{"demo-db-1"}) {
		t.Fatalf("Recover: %v %v", got, err)
	}
	if state(t, api, "demo-db-1") != "running" || state(t, api, "demo-web-1") != "paused" || len(helpersLeft(t, api)) != 0 {
		t.Errorf("db %s, web %s, helpers %v", state(t, api, "demo-db-1"), state(t, api, "demo-web-1"), helpersLeft(t, api))
	}
	if pauseLabel(users, true) != nil {
		t.Errorf("--stop pauses nothing")
	}
}
