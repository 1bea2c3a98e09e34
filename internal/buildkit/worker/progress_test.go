package worker

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	controlapi "github.com/moby/buildkit/api/services/control"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// trace encodes a status as the engine sends it: a JSON string holding the
// protobuf bytes.
func trace(t *testing.T, resp *controlapi.StatusResponse) json.RawMessage {
	t.Helper()
	data, err := resp.MarshalVT()
	if err != nil {
		t.Fatal(err)
	}
	aux, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return aux
}

func TestPlainView(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ts := func(d time.Duration) *timestamppb.Timestamp { return timestamppb.New(t0.Add(d)) }
	updates := []*controlapi.StatusResponse{
		{Vertexes: []*controlapi.Vertex{
			{Digest: "sha:a", Name: "[1/3] FROM base", Started: ts(0)},
			{Digest: "sha:b", Name: "[2/3] RUN make"},
		}},
		{Vertexes: []*controlapi.Vertex{{Digest: "sha:a", Name: "[1/3] FROM base", Started: ts(0), Completed: ts(0), Cached: true}}},
		{Vertexes: []*controlapi.Vertex{{Digest: "sha:b", Name: "[2/3] RUN make", Started: ts(time.Second)}},
			Logs: []*controlapi.VertexLog{{Vertex: "sha:b", Msg: []byte("compiling\nlink")}}},
		{Logs: []*controlapi.VertexLog{{Vertex: "sha:b", Msg: []byte("ing\r\n")}}},
		{Vertexes: []*controlapi.Vertex{{Digest: "sha:b", Name: "[2/3] RUN make", Started: ts(time.Second), Completed: ts(2500 * time.Millisecond)}},
			Warnings: []*controlapi.VertexWarning{{Vertex: "sha:b", Short: []byte("FromAsCasing")}}},
		{Vertexes: []*controlapi.Vertex{{Digest: "sha:c", Name: "[3/3] RUN test", Started: ts(3 * time.Second)}},
			Logs: []*controlapi.VertexLog{{Vertex: "sha:c", Msg: []byte("FAIL: x")}}},
		{Vertexes: []*controlapi.Vertex{{Digest: "sha:c", Name: "[3/3] RUN test", Started: ts(3 * time.Second), Completed: ts(4 * time.Second), Error: "exit code: 1"}}},
	}
	v := newPlainView()
	var got []string
	for _, u := range updates {
		st, err := decodeTrace(trace(t, u))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range v.Lines(st) {
			if l.output {
				l.text = "out: " + l.text
			}
			got = append(got, l.text)
		}
	}
	want := []string{
		"#1 [1/3] FROM base",
		"#1 CACHED",
		"#2 [2/3] RUN make",
		"out: #2 compiling",
		"out: #2 linking",
		"#2 DONE 1.5s",
		"#2 WARN: FromAsCasing",
		"#3 [3/3] RUN test",
		"out: #3 FAIL: x",
		"#3 ERROR: exit code: 1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines\n got %q\nwant %q", got, want)
	}
	name, err, tail, ok := v.Failure()
	if !ok || name != "[3/3] RUN test" || err != "exit code: 1" || !reflect.DeepEqual(tail, []string{"FAIL: x"}) {
		t.Errorf("Failure() = %q %q %q %v", name, err, tail, ok)
	}
}

func TestDecodeTraceRejectsGarbage(t *testing.T) {
	if _, err := decodeTrace(json.RawMessage(`{"not":"bytes"}`)); err == nil {
		t.Error("want an error for a non-string payload")
	}
}
