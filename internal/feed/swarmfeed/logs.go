package swarmfeed

import (
	"bufio"
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack/devstack/internal/feed"
)

// logRecheck is how often Logs looks for services to follow that it does
// not follow yet (a deploy added one, a stream ended).
const logRecheck = 2 * time.Second

// logState is what the log streams remember across sessions.
type logState struct {
	mu      sync.Mutex
	started bool                 // a first round of streams began: later services show all their lines
	last    map[string]time.Time // service ID -> its newest line's time, to resume after
}

// Logs follows every service's logs through the manager (the service logs
// API, whichever node a task runs on), each line prefixed with its task
// and node, until ctx ends. Called again, each service resumes after the
// last line seen.
func (s *Source) Logs(ctx context.Context, send func(feed.LogLine)) error {
	var mu sync.Mutex
	following := map[string]bool{}
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(logRecheck)
	defer t.Stop()
	for {
		svcs, err := s.api.ServiceList(ctx, swarm.ServiceListOptions{Filters: stackFilter(s.ns)})
		if err != nil && ctx.Err() == nil {
			return err
		}
		first := s.firstRound()
		for _, sv := range svcs {
			mu.Lock()
			busy := following[sv.ID]
			following[sv.ID] = true
			mu.Unlock()
			if busy {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.follow(ctx, sv, first, send)
				mu.Lock()
				following[sv.ID] = false
				mu.Unlock()
			}()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// firstRound says whether no stream began before, and notes that one did.
func (s *Source) firstRound() bool {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	first := !s.logs.started
	s.logs.started = true
	return first
}

// follow streams one service's lines until its stream ends.
func (s *Source) follow(ctx context.Context, sv swarm.Service, first bool, send func(feed.LogLine)) {
	o := container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: true, Timestamps: true, Details: true, Tail: "all"}
	s.logs.mu.Lock()
	last, seen := s.logs.last[sv.ID]
	s.logs.mu.Unlock()
	switch {
	case seen:
		last = last.Add(time.Nanosecond)
		o.Since = strconv.FormatInt(last.Unix(), 10) + "." + strconv.Itoa(last.Nanosecond())
	case first && s.tail > 0:
		o.Tail = strconv.Itoa(s.tail)
	}
	rc, err := s.api.ServiceLogs(ctx, sv.ID, o)
	if err != nil {
		return
	}
	defer rc.Close()
	var r io.Reader = rc
	if cs := sv.Spec.TaskTemplate.ContainerSpec; cs == nil || !cs.TTY {
		pr, pw := io.Pipe()
		defer pr.Close()
		go func() {
			_, err := stdcopy.StdCopy(pw, pw, rc)
			pw.CloseWithError(err)
		}()
		r = pr
	}
	name := composeName(s.ns, sv.Spec.Name)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		at, details, text, ok := ParseLine(sc.Text())
		if !ok {
			continue
		}
		s.logs.mu.Lock()
		s.logs.last[sv.ID] = at
		s.logs.mu.Unlock()
		s.learnTask(ctx, details["com.docker.swarm.task.id"], name)
		send(s.line(name, at, details, text))
	}
}

// learnTask looks up a task the last look at the stack did not list yet
// (its first lines come before the next look), so that its lines carry
// its slot and node from the first.
func (s *Source) learnTask(ctx context.Context, id, service string) {
	s.mu.Lock()
	_, known := s.tasks[id]
	s.mu.Unlock()
	if known || id == "" {
		return
	}
	t, _, err := s.api.TaskInspectWithRaw(ctx, id)
	if err != nil {
		return
	}
	nodes, err := s.nodeNames(ctx, []swarm.Task{t})
	if err != nil {
		return
	}
	st := taskState(t, map[string]string{t.ServiceID: service}, nodes)
	s.mu.Lock()
	if _, ok := s.tasks[id]; !ok {
		s.tasks[id] = st
	}
	s.mu.Unlock()
}

// line makes a feed line of a service's log line, prefixed with its task
// (SERVICE.SLOT) and node as the last look at the stack knew them.
func (s *Source) line(service string, at time.Time, details map[string]string, text string) feed.LogLine {
	taskID, nodeID := details["com.docker.swarm.task.id"], details["com.docker.swarm.node.id"]
	s.mu.Lock()
	t, known := s.tasks[taskID]
	node := s.nodes[nodeID]
	s.mu.Unlock()
	l := feed.LogLine{ContainerID: taskID, Service: service, Time: at, Text: text}
	if known {
		l.Number = t.Number
	}
	if node == "" { // a node that joined since the nodes were listed
		node = shortID(nodeID)
	}
	src := service
	if known && t.Number > 0 {
		src = t.Name
	}
	l.Source = src + "@" + node
	return l
}

// ParseLine splits a line of the service logs API asked for timestamps
// and details: "TIME DETAILS TEXT", DETAILS being comma-separated
// key=value pairs, URL-escaped (com.docker.swarm.node.id, .service.id,
// .task.id and the service's log labels). Pure.
func ParseLine(line string) (at time.Time, details map[string]string, text string, ok bool) {
	ts, rest, ok := strings.Cut(line, " ")
	if !ok {
		return at, nil, "", false
	}
	at, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return at, nil, "", false
	}
	det, text, _ := strings.Cut(rest, " ")
	details = map[string]string{}
	for _, kv := range strings.Split(det, ",") {
		k, v, _ := strings.Cut(kv, "=")
		uk, err1 := url.QueryUnescape(k)
		uv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return at, nil, "", false
		}
		details[uk] = uv
	}
	return at, details, text, true
}
