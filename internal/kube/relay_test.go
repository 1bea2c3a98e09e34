package kube

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/progress"
)

type events []progress.Event

func (e *events) Event(ev progress.Event) { *e = append(*e, ev) }

func TestRelay(t *testing.T) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, r := range []wire.Reply{
		{Note: &wire.Note{Service: "web", Key: "devices", Message: "not mapped"}},
		{Manifest: &wire.Manifest{File: "001-service-web.yaml", YAML: "kind: Service\n"}},
		{Event: &progress.Event{Kind: progress.KindService, Name: "web", Status: "Ready"}},
		{Pod: &wire.Pod{Name: "web-1", Service: "web"}},
		{Log: &wire.LogLine{Service: "web", Text: "hello"}},
		{Change: &wire.Change{Kind: wire.KindPod, Type: wire.ChangeSet, Pods: []wire.Pod{{Name: "web-1", Restarts: 2}}}},
		wire.ErrorReply(errors.Join(errors.New("service web: image nope:1 cannot be pulled"), wire.ErrImage)),
		{Note: &wire.Note{Key: "after the error"}},
	} {
		_ = enc.Encode(r)
	}
	var (
		evs                events
		notes, files, pods []string
		logs               []string
		changes            []wire.Change
	)
	last, err := relay(strings.NewReader(b.String()), Handlers{
		Progress: &evs,
		Note:     func(n wire.Note) { notes = append(notes, n.String()) },
		Manifest: func(m wire.Manifest) error { files = append(files, m.File); return nil },
		Pod:      func(p wire.Pod) { pods = append(pods, p.Name) },
		Log:      func(l wire.LogLine) { logs = append(logs, l.Text) },
		Change:   func(c wire.Change) { changes = append(changes, c) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(last, wire.ErrImage) || !strings.Contains(last.Error(), "nope:1") {
		t.Errorf("last = %v, want the image error", last)
	}
	if len(evs) != 1 || len(notes) != 1 || len(files) != 1 || len(pods) != 1 || len(logs) != 1 || len(changes) != 1 {
		t.Errorf("events %v notes %v files %v pods %v logs %v changes %v", evs, notes, files, pods, logs, changes)
	}
	if c := changes[0]; c.Kind != wire.KindPod || len(c.Pods) != 1 || c.Pods[0].Restarts != 2 {
		t.Errorf("change %+v", c)
	}
	if notes[0] != "service web: devices: not mapped" {
		t.Errorf("note %q", notes[0])
	}
}
