package apply

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

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// pullReq is one image to pull, for the first service that names it.
type pullReq struct {
	Service, Image, Platform string
}

// pullAll pulls the images concurrently, as compose does. Each image
// reports Pulling, then Pulled or Error; in between, every updateEvery, its
// progress (phase, bytes, layers) as an Update, which a terminal shows in
// place. It returns each failed image's error.
func pullAll(ctx context.Context, api dockerapi.ImageAPI, auth Registry, reqs []pullReq, out progress.Progress) map[string]error {
	if len(reqs) == 0 {
		return nil
	}
	states := make([]*pullState, len(reqs))
	for i, r := range reqs {
		states[i] = &pullState{image: r.Image, layers: map[string]*layerState{}}
		progress.Status(out, progress.KindImage, r.Image, "Pulling")
	}
	stop := reportPulls(out, states)
	errs := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			err := pullOne(ctx, api, auth, r, states[i])
			states[i].finish(err)
			if err != nil {
				mu.Lock()
				errs[r.Image] = fmt.Errorf("%w: service %s: pull %s: %w", ErrImageUnavailable, r.Service, r.Image, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	stop()
	for i, r := range reqs {
		if states[i].err != nil {
			out.Event(progress.Event{Kind: progress.KindImage, Name: r.Image, Status: "Error", Detail: states[i].err.Error()})
			continue
		}
		progress.Status(out, progress.KindImage, r.Image, "Pulled")
	}
	return errs
}

// updateEvery is how often pulls report their progress.
const updateEvery = 100 * time.Millisecond

// reportPulls sends each unfinished pull's progress line every
// updateEvery, until the returned stop is called.
func reportPulls(out progress.Progress, states []*pullState) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(updateEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			for _, s := range states {
				if line, finished := s.progress(); !finished {
					out.Event(progress.Event{Kind: progress.KindImage, Name: s.image, Status: "Pulling", Detail: line, Update: true})
				}
			}
		}
	}()
	return func() { close(quit); <-done }
}

// pullOne runs one pull, feeding its progress messages to st.
func pullOne(ctx context.Context, api dockerapi.ImageAPI, auth Registry, r pullReq, st *pullState) error {
	enc, err := encodedAuth(auth, r.Image)
	if err != nil {
		return err
	}
	rc, err := api.ImagePull(ctx, r.Image, image.PullOptions{Platform: r.Platform, RegistryAuth: enc})
	if err != nil {
		return registryError(r.Image, err)
	}
	defer rc.Close()
	return readRegistryStream(rc, r.Image, st.apply)
}

// readRegistryStream reads a pull's or push's JSON messages until the
// stream ends, handing each to fn; an error message ends it as a registry
// error naming ref.
func readRegistryStream(r io.Reader, ref string, fn func(jsonmessage.JSONMessage)) error {
	var failed *jsonmessage.JSONError
	err := ReadMessages(r, func(m jsonmessage.JSONMessage) error {
		fn(m)
		return nil
	})
	if errors.As(err, &failed) {
		return registryError(ref, failed)
	}
	return err
}

// ReadMessages reads an engine's stream of JSON messages (pull, push,
// build) until it ends, handing each to fn; an error message ends it as
// that *jsonmessage.JSONError, and so does an error of fn.
func ReadMessages(r io.Reader, fn func(jsonmessage.JSONMessage) error) error {
	dec := json.NewDecoder(r)
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
		if err := fn(m); err != nil {
			return err
		}
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

// progress is the line, and whether the pull finished.
func (s *pullState) progress() (string, bool) {
	line := s.line()
	s.mu.Lock()
	defer s.mu.Unlock()
	return line, s.done
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
