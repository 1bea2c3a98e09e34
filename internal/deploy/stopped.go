package deploy

import (
	"fmt"
	"strings"
	"time"
)

// Stopped is Deploy's error when it ended before every service converged,
// interrupted (Ctrl-C, SIGTERM: its context was cancelled) or at its
// Timeout. Nothing is rolled back, as with docker stack deploy, which
// leaves the swarm to go on converging: what the deploy created and
// updated stays, and the error says so, with how to remove it. It unwraps
// to the context's error.
type Stopped struct {
	Timeout      time.Duration // the Timeout that expired; 0 when interrupted
	NotConverged []string      // "shop_web (1/2 running: 1 task pending: ...)"
	Created      []string      // "network shop_default", "service shop_web", in creation order
	Updated      []string      // "shop_api"
	Err          error         // the context's error
}

func (e *Stopped) Error() string {
	var b strings.Builder
	what := "interrupted"
	if e.Timeout > 0 {
		what = fmt.Sprintf("not converged within %s", e.Timeout)
	}
	if len(e.NotConverged) > 0 {
		fmt.Fprintf(&b, "%s: %s", what, strings.Join(e.NotConverged, ", "))
	} else {
		fmt.Fprintf(&b, "%s while creating or updating the services", what)
	}
	if len(e.Created) == 0 && len(e.Updated) == 0 {
		b.WriteString("; this deploy changed nothing on the swarm")
		return b.String()
	}
	b.WriteString("; kept on the swarm, which goes on converging it:")
	if len(e.Created) > 0 {
		fmt.Fprintf(&b, " created %s;", strings.Join(e.Created, ", "))
	}
	if len(e.Updated) > 0 {
		fmt.Fprintf(&b, " updated service %s (docker service rollback SERVICE undoes an update);", strings.Join(e.Updated, ", "))
	}
	b.WriteString(" devstack deploy rm removes the stack")
	return b.String()
}

func (e *Stopped) Unwrap() error { return e.Err }

// notConverged is a wait's error when its context ended: the services it
// was still waiting for, each with its last verdict.
type notConverged struct {
	services []string
	err      error
}

func (e *notConverged) Error() string {
	return fmt.Sprintf("%v while waiting for %s", e.err, strings.Join(e.services, ", "))
}

func (e *notConverged) Unwrap() error { return e.err }
