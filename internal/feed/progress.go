package feed

import (
	"time"

	"github.com/devstack/devstack/internal/progress"
)

// Progress shows progress events on the dashboard's events line (up
// --watch's reloads beside the dashboard): each event is a Batch of one
// Event, sent on Out until Done is closed. Updates of a running step are
// not events and are left out.
type Progress struct {
	Done <-chan struct{}
	Out  chan<- Batch
}

// Event sends e as the dashboard's event, with its service for a reload or
// a service's output.
func (d Progress) Event(e progress.Event) {
	if e.Update {
		return
	}
	if e.Kind == progress.KindWatchState && e.Watch != nil {
		d.send(Batch{Watch: []ServiceWatch{{Service: e.Name, WatchState: *e.Watch}}})
		return
	}
	service := ""
	if e.Kind == progress.KindReload || e.Kind == progress.KindOutput {
		service = e.Name
	}
	d.send(Batch{Events: []Event{{Time: time.Now(), Service: service, Text: e.String()}}})
}

func (d Progress) send(b Batch) {
	select {
	case d.Out <- b:
	case <-d.Done:
	}
}
