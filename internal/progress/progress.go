// Package progress holds the typed progress events every layer reports
// through (containers created, images pulled, build lines, warnings) and the
// Progress interface that receives them. It imports nothing of ours.
package progress

import "fmt"

// Kind is what a progress Event is about.
type Kind string

// The kinds of progress events.
const (
	KindContainer Kind = "Container"
	KindNetwork   Kind = "Network"
	KindVolume    Kind = "Volume"
	KindImage     Kind = "Image"
	KindBuild     Kind = "Build"   // one line of a build's output (Name: the image)
	KindPort      Kind = "Port"    // a preset's host port moved (Name: the service)
	KindReload    Kind = "Reload"  // a watch reload (Name: the service, Status: the action)
	KindWatch     Kind = "Watch"   // what watch says about itself
	KindOutput    Kind = "Output"  // a line a hook printed (Name: the service)
	KindWarning   Kind = "Warning" // something ignored or worked around
	KindService   Kind = "Service" // a swarm service of a deploy (Name: NAMESPACE_SERVICE)
	KindSecret    Kind = "Secret"  // a swarm secret of a deploy
	KindConfig    Kind = "Config"  // a swarm config of a deploy
	KindObject    Kind = "Object"  // a Kubernetes object of a deploy (Name: KIND/NAME)
)

// Statuses of KindBuild events from BuildKit builds: a step's name or its
// end (DONE, CACHED, ERROR), and a line of a step's output, which a
// terminal may show only while the step runs. The classic builder's lines
// are all "Building".
const (
	BuildStep   = "Step"
	BuildOutput = "Output"
)

// Event is one step of progress, typed so that each consumer reads fields,
// never text: {Container demo-web-1 Recreated}, {Reload web sync "1 file
// (index.html) in 41ms"}, {Image nginx:1.27 Pulled}.
type Event struct {
	Kind   Kind
	Name   string // the resource: container, image, network, volume, service
	Status string // Created, Recreated, Started, Healthy, Pulling, sync, ...
	Detail string // a reason, files and time, a line of output, a message
	// Update is progress within Status (a pull's bytes): a terminal shows
	// it in place, a log of lines leaves it out.
	Update bool
	// Wait is why a service waits (KindWait).
	Wait *WaitReason
	// Watch is a watched service's state (KindWatchState).
	Watch *WatchState
}

// String is the event as one line of text.
func (e Event) String() string {
	switch e.Kind {
	case KindWarning:
		return "warning: " + e.Detail
	case KindWatch:
		return "watch: " + e.Detail
	case KindReload:
		return "watch: " + e.Name + " " + e.Status + " " + e.Detail
	case KindOutput:
		return e.Name + " | " + e.Detail
	case KindBuild, KindPort:
		return e.Detail
	case KindWait:
		if e.Wait != nil {
			return e.Wait.Sentence()
		}
		return e.Detail
	}
	s := fmt.Sprintf("%s %s  %s", e.Kind, e.Name, e.Status)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Progress receives progress events, from concurrent goroutines. It must
// not block for long.
type Progress interface {
	Event(Event)
}

// Discard is a Progress that drops everything.
var Discard Progress = discard{}

type discard struct{}

func (discard) Event(Event) {}

// Status sends the event {kind name st}.
func Status(out Progress, kind Kind, name, st string) {
	out.Event(Event{Kind: kind, Name: name, Status: st})
}

// Warnf sends a KindWarning event with the formatted message.
func Warnf(out Progress, format string, a ...any) {
	out.Event(Event{Kind: KindWarning, Detail: fmt.Sprintf(format, a...)})
}
