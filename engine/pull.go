package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/docker/go-units"
)

// pullReq is one image to pull, for the first service that names it.
type pullReq struct {
	Service, Image, Platform string
}

// pullAll pulls the images concurrently, as compose does. On a terminal
// each image has one line, redrawn in place (phase, bytes, layers);
// otherwise each image gets a Pulling and a Pulled (or failed) line. It
// returns each failed image's error.
func pullAll(ctx context.Context, api API, reqs []pullReq, out *Printer) map[string]error {
	if len(reqs) == 0 {
		return nil
	}
	_, isTerm := out.terminal()
	states := make([]*pullState, len(reqs))
	for i, r := range reqs {
		states[i] = &pullState{image: r.Image, layers: map[string]*layerState{}}
		if !isTerm {
			out.Status("Image", r.Image, "Pulling")
		}
	}
	var draw *pullBoard
	if isTerm {
		draw = startBoard(out, states)
	}
	errs := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			err := pullOne(ctx, api, r, states[i])
			states[i].finish(err)
			if err != nil {
				mu.Lock()
				errs[r.Image] = fmt.Errorf("%w: service %s: pull %s: %v", ErrImageUnavailable, r.Service, r.Image, err)
				mu.Unlock()
			}
			if draw == nil {
				status := "Pulled"
				if err != nil {
					status = "Error"
				}
				out.Status("Image", r.Image, status)
			}
		})
	}
	wg.Wait()
	if draw != nil {
		draw.stop()
	}
	return errs
}

// pullOne runs one pull, feeding its progress messages to st.
func pullOne(ctx context.Context, api API, r pullReq, st *pullState) error {
	rc, err := api.ImagePull(ctx, r.Image, image.PullOptions{Platform: r.Platform})
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if m.Error != nil {
			return m.Error
		}
		st.apply(m)
	}
}

// layerState is what the engine last said about one layer.
type layerState struct {
	status         string
	current, total int64
}

// pullState follows one image's pull from the engine's progress messages.
type pullState struct {
	mu     sync.Mutex
	image  string
	layers map[string]*layerState
	order  []string
	done   bool
	err    error
}

// apply takes one progress message; messages without a layer ID (the
// tag's "Pulling from", the digest, "Status: ...") only name the image.
func (s *pullState) apply(m jsonmessage.JSONMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.ID == "" || strings.Contains(m.Status, "Pulling from") {
		return
	}
	l := s.layers[m.ID]
	if l == nil {
		l = &layerState{}
		s.layers[m.ID] = l
		s.order = append(s.order, m.ID)
	}
	l.status = m.Status
	if m.Progress != nil && m.Progress.Total > 0 {
		l.current, l.total = m.Progress.Current, m.Progress.Total
	}
}

func (s *pullState) finish(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done, s.err = true, err
}

// line is the image's progress line: "Downloading 12.3MB/45.6MB, 2/5
// layers done", "Extracting ...", "Pulled" or "Error ...".
func (s *pullState) line() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.err != nil:
		return "Error " + s.err.Error()
	case s.done:
		return "Pulled"
	case len(s.order) == 0:
		return "Pulling"
	}
	var down, downTotal, extract, extractTotal int64
	complete := 0
	for _, id := range s.order {
		l := s.layers[id]
		switch {
		case l.status == "Pull complete" || l.status == "Already exists":
			complete++
		case l.status == "Downloading":
			down, downTotal = down+l.current, downTotal+l.total
		case l.status == "Extracting":
			extract, extractTotal = extract+l.current, extractTotal+l.total
		}
	}
	layers := fmt.Sprintf("%d/%d layers done", complete, len(s.order))
	switch {
	case downTotal > 0:
		return fmt.Sprintf("Downloading %s/%s, %s", units.HumanSize(float64(down)), units.HumanSize(float64(downTotal)), layers)
	case extractTotal > 0:
		return fmt.Sprintf("Extracting %s/%s, %s", units.HumanSize(float64(extract)), units.HumanSize(float64(extractTotal)), layers)
	}
	return "Pulling, " + layers
}

// pullBoard redraws one line per image in place on a terminal.
type pullBoard struct {
	out    *Printer
	states []*pullState
	quit   chan struct{}
	done   chan struct{}
	drawn  bool
}

// boardEvery is how often the board is redrawn.
const boardEvery = 100 * time.Millisecond

func startBoard(out *Printer, states []*pullState) *pullBoard {
	b := &pullBoard{out: out, states: states, quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(boardEvery)
		defer t.Stop()
		for {
			b.draw()
			select {
			case <-b.quit:
				b.draw()
				return
			case <-t.C:
			}
		}
	}()
	return b
}

func (b *pullBoard) stop() {
	close(b.quit)
	<-b.done
}

// draw rewrites the board: cursor up over the lines drawn last time, then
// each line cleared and written again.
func (b *pullBoard) draw() {
	var sb strings.Builder
	if b.drawn {
		fmt.Fprintf(&sb, "\x1b[%dA", len(b.states))
	}
	for _, s := range b.states {
		fmt.Fprintf(&sb, "\x1b[2KImage %s  %s\n", s.image, s.line())
	}
	b.drawn = true
	b.out.Write([]byte(sb.String()))
}
