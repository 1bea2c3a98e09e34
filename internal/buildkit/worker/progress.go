package worker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	controlapi "github.com/moby/buildkit/api/services/control"
)

// traceID is the aux message ID under which the engine streams BuildKit's
// status during a build.
const traceID = "moby.buildkit.trace"

// decodeTrace reads one aux payload of a moby.buildkit.trace message: a
// JSON string (base64) holding a protobuf StatusResponse.
func decodeTrace(aux json.RawMessage) (*controlapi.StatusResponse, error) {
	var raw []byte
	if err := json.Unmarshal(aux, &raw); err != nil {
		return nil, err
	}
	var resp controlapi.StatusResponse
	if err := resp.UnmarshalVT(raw); err != nil {
		return nil, err
	}
	return &resp, nil
}

// keepLines is how many of a step's last output lines a failure shows.
const keepLines = 12

// stepState is what the plain view knows about one vertex (step).
type stepState struct {
	num              int
	name             string
	shown, completed bool
	partial          []byte   // output without its newline yet
	tail             []string // the last keepLines lines of output
	err              string
}

// plainView turns BuildKit status into lines like `docker build
// --progress=plain`: "#5 [2/3] RUN make", "#5 0.41 output", "#5 DONE 1.2s",
// "#5 CACHED", "#5 ERROR: ...". It remembers the first failed step.
type plainView struct {
	steps  map[string]*stepState
	next   int
	failed *stepState
}

func newPlainView() *plainView { return &plainView{steps: map[string]*stepState{}} }

func (v *plainView) step(digest string) *stepState {
	s := v.steps[digest]
	if s == nil {
		v.next++
		s = &stepState{num: v.next}
		v.steps[digest] = s
	}
	return s
}

// line is one line of the plain view: a step's name or end, or output.
type line struct {
	text   string
	output bool
}

// Lines renders one status update. Pure but for the view's own state.
func (v *plainView) Lines(resp *controlapi.StatusResponse) []line {
	var out []line
	for _, vx := range resp.Vertexes {
		s := v.step(vx.Digest)
		if vx.Name != "" {
			s.name = vx.Name
		}
		if !s.shown && (vx.Started != nil || vx.Cached || vx.Completed != nil) {
			s.shown = true
			out = append(out, line{text: fmt.Sprintf("#%d %s", s.num, s.name)})
		}
		if s.completed || vx.Completed == nil {
			continue
		}
		s.completed = true
		out = append(out, v.flush(s)...)
		switch {
		case vx.Error != "":
			s.err = vx.Error
			if v.failed == nil && !strings.HasSuffix(vx.Error, "context canceled") {
				v.failed = s
			}
			out = append(out, line{text: fmt.Sprintf("#%d ERROR: %s", s.num, vx.Error)})
		case vx.Cached:
			out = append(out, line{text: fmt.Sprintf("#%d CACHED", s.num)})
		default:
			d := vx.Completed.AsTime().Sub(vx.Started.AsTime())
			out = append(out, line{text: fmt.Sprintf("#%d DONE %.1fs", s.num, d.Seconds())})
		}
	}
	for _, l := range resp.Logs {
		s := v.step(l.Vertex)
		s.partial = append(s.partial, l.Msg...)
		for {
			i := bytes.IndexByte(s.partial, '\n')
			if i < 0 {
				break
			}
			out = append(out, s.output(string(bytes.TrimSuffix(s.partial[:i], []byte{'\r'}))))
			s.partial = s.partial[i+1:]
		}
	}
	for _, w := range resp.Warnings {
		out = append(out, line{text: fmt.Sprintf("#%d WARN: %s", v.step(w.Vertex).num, w.Short)})
	}
	return out
}

// flush hands on a step's output that has no newline yet.
func (v *plainView) flush(s *stepState) []line {
	if len(s.partial) == 0 {
		return nil
	}
	l := s.output(string(s.partial))
	s.partial = nil
	return []line{l}
}

// output records a line of the step's output and formats it.
func (s *stepState) output(text string) line {
	s.tail = append(s.tail, text)
	if len(s.tail) > keepLines {
		s.tail = s.tail[len(s.tail)-keepLines:]
	}
	return line{text: fmt.Sprintf("#%d %s", s.num, text), output: true}
}

// Failure describes the first failed step: its name, error and last output.
func (v *plainView) Failure() (name, err string, tail []string, ok bool) {
	if v.failed == nil {
		return "", "", nil, false
	}
	return v.failed.name, v.failed.err, v.failed.tail, true
}
