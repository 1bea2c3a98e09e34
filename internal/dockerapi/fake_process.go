package dockerapi

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/pkg/stdcopy"
)

// What a container's process does is up to the test: these calls stand
// for it, and the engine reports them as it would (state, events, logs).

// SetHealth gives a running container with a healthcheck the outcome of
// a probe (output is what the probe printed); the engine sends
// health_status when the status changes.
func (f *FakeClient) SetHealth(ref string, status container.HealthStatus, output string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.container(ref)
	switch {
	case c == nil:
		return notFound("No such container: %s", ref)
	case !c.State.Running || c.State.Health == nil:
		return conflict("container %s is not running a healthcheck", c.name())
	}
	f.probe(c, status, output)
	return nil
}

func (f *FakeClient) probe(c *fakeContainer, status container.HealthStatus, output string) {
	h := c.State.Health
	code, now := 0, f.now()
	if status != container.Healthy {
		code = 1
		h.FailingStreak++
	} else {
		h.FailingStreak = 0
	}
	h.Log = append(h.Log, &container.HealthcheckResult{Start: now, End: now, ExitCode: code, Output: output})
	if len(h.Log) > 5 {
		h.Log = h.Log[1:]
	}
	if h.Status != status {
		h.Status = status
		f.containerEvent(c, events.Action(string(events.ActionHealthStatus)+": "+string(status)))
	}
}

// Exit makes a running container's process exit with code (its restart
// policy may restart it: fake_restart.go).
func (f *FakeClient) Exit(ref string, code int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.container(ref)
	switch {
	case c == nil:
		return notFound("No such container: %s", ref)
	case !c.State.Running || c.State.Restarting:
		return conflict("container %s is not running", c.name())
	}
	f.processExit(c, code)
	return nil
}

// ExitOnStart makes the process of the container named name (created
// already or later) print lines and exit with code as soon as it starts:
// a one-shot job.
func (f *FakeClient) ExitOnStart(name string, code int, lines ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onStart[name] = func(c *fakeContainer) {
		for _, l := range lines {
			c.logs = append(c.logs, logLine{at: f.now(), text: l + "\n"})
		}
		f.processExit(c, code)
	}
}

// HealthOnStart makes the healthcheck of the container named name report
// status as soon as it starts.
func (f *FakeClient) HealthOnStart(name string, status container.HealthStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onStart[name] = func(c *fakeContainer) {
		if c.State.Health != nil {
			f.probe(c, status, "")
		}
	}
}

// logLine is one entry of a container's log: a line, or the last part of
// the output when it does not end in a newline.
type logLine struct {
	at   time.Time
	text string
}

// AddLogs appends lines to what a container printed, at the present time.
func (f *FakeClient) AddLogs(ref string, lines ...string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	for _, l := range lines {
		c.logs = append(c.logs, logLine{at: f.now(), text: l + "\n"})
	}
	return nil
}

// Print appends text to what a container printed, at the time given: one
// log entry per line, the last without a newline if text ends without one.
func (f *FakeClient) Print(ref string, at time.Time, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	for text != "" {
		line, rest, found := strings.Cut(text, "\n")
		if found {
			line += "\n"
		}
		c.logs = append(c.logs, logLine{at: at, text: line})
		text = rest
	}
	return nil
}

// logTime reads a logs option's time: Unix seconds with an optional
// fraction, as the client sends it, or RFC 3339.
func logTime(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	sec, frac, _ := strings.Cut(v, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	ns, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
	return time.Unix(s, ns), true
}

// ContainerLogs returns what the container printed, framed as the engine
// frames it for a container without a TTY; Since, Tail and Timestamps apply.
// Follow is not modelled: the stream ends after what is there.
func (f *FakeClient) ContainerLogs(_ context.Context, ref string, o container.LogsOptions) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerLogs", ref); err != nil {
		return nil, err
	}
	c := f.container(ref)
	if c == nil {
		return nil, notFound("No such container: %s", ref)
	}
	lines := c.logs
	if since, ok := logTime(o.Since); ok {
		lines = slices.DeleteFunc(slices.Clone(lines), func(l logLine) bool { return l.at.Before(since) })
	}
	if n, err := strconv.Atoi(o.Tail); err == nil && n < len(lines) {
		lines = lines[len(lines)-n:]
	}
	var buf bytes.Buffer
	w := io.Writer(&buf)
	if !c.Config.Tty {
		w = stdcopy.NewStdWriter(&buf, stdcopy.Stdout)
	}
	for _, l := range lines {
		text := l.text
		if o.Timestamps {
			text = l.at.Format(time.RFC3339Nano) + " " + text
		}
		_, _ = io.WriteString(w, text)
	}
	return io.NopCloser(&buf), nil
}

// CopyToContainer unpacks a tar stream into the container at dir.
func (f *FakeClient) CopyToContainer(_ context.Context, ref, dir string, content io.Reader, _ container.CopyToContainerOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("CopyToContainer", ref); err != nil {
		return err
	}
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	tr := tar.NewReader(content)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return invalid("%v", err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return invalid("%v", err)
		}
		c.files[path.Join("/", dir, hdr.Name)] = b
	}
}

// CopyFromContainer answers a tar of what CopyToContainer put under dir
// (entries named from dir's last element, as the engine names them).
func (f *FakeClient) CopyFromContainer(_ context.Context, ref, dir string) (io.ReadCloser, container.PathStat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("CopyFromContainer", ref); err != nil {
		return nil, container.PathStat{}, err
	}
	c := f.container(ref)
	if c == nil {
		return nil, container.PathStat{}, notFound("No such container: %s", ref)
	}
	dir = path.Clean(path.Join("/", dir))
	names := make([]string, 0, len(c.files))
	for name := range c.files {
		if strings.HasPrefix(name, dir+"/") || name == dir {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil, container.PathStat{}, notFound("Could not find the file %s in container %s", dir, ref)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range names {
		rel := path.Join(path.Base(dir), strings.TrimPrefix(name, dir))
		_ = tw.WriteHeader(&tar.Header{Name: rel, Mode: 0o644, Size: int64(len(c.files[name])), Typeflag: tar.TypeReg})
		_, _ = tw.Write(c.files[name])
	}
	_ = tw.Close()
	return io.NopCloser(&buf), container.PathStat{Name: path.Base(dir), Mode: os.ModeDir | 0o755}, nil
}

// ContainerStatPath stats what CopyToContainer put at p: a file, or a
// directory above files; else NotFound.
func (f *FakeClient) ContainerStatPath(_ context.Context, ref, p string) (container.PathStat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerStatPath", ref); err != nil {
		return container.PathStat{}, err
	}
	c := f.container(ref)
	if c == nil {
		return container.PathStat{}, notFound("No such container: %s", ref)
	}
	p = path.Clean(path.Join("/", p))
	if b, ok := c.files[p]; ok {
		return container.PathStat{Name: path.Base(p), Size: int64(len(b)), Mode: 0o644}, nil
	}
	for name := range c.files {
		if strings.HasPrefix(name, p+"/") {
			return container.PathStat{Name: path.Base(p), Mode: os.ModeDir | 0o755}, nil
		}
	}
	return container.PathStat{}, notFound("Could not find the file %s in container %s", p, ref)
}

// File is what CopyToContainer put at path in the container.
func (f *FakeClient) File(ref, path string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.container(ref)
	if c == nil {
		return nil, false
	}
	b, ok := c.files[path]
	return b, ok
}

// ContainerPause freezes a running container.
func (f *FakeClient) ContainerPause(_ context.Context, ref string) error {
	return f.setPaused("ContainerPause", ref, true)
}

// ContainerUnpause thaws a paused container.
func (f *FakeClient) ContainerUnpause(_ context.Context, ref string) error {
	return f.setPaused("ContainerUnpause", ref, false)
}

func (f *FakeClient) setPaused(method, ref string, pause bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(method, ref); err != nil {
		return err
	}
	c := f.container(ref)
	switch {
	case c == nil:
		return notFound("No such container: %s", ref)
	case !c.State.Running:
		return conflict("container %s is not running", c.ID)
	case c.State.Paused == pause && pause:
		return conflict("container %s is already paused", c.ID)
	case c.State.Paused == pause:
		return conflict("container %s is not paused", c.ID)
	}
	c.State.Paused, c.State.Status = pause, container.StateRunning
	action := events.ActionUnPause
	if pause {
		c.State.Status, action = container.StatePaused, events.ActionPause
	}
	f.containerEvent(c, action)
	return nil
}

// ContainerWait waits for the condition: not-running (at once for a
// container that does not run), next-exit or removed.
func (f *FakeClient) ContainerWait(ctx context.Context, ref string, cond container.WaitCondition) (<-chan container.WaitResponse, <-chan error) {
	res, errs := make(chan container.WaitResponse, 1), make(chan error, 1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerWait", ref); err != nil {
		errs <- err
		return res, errs
	}
	c := f.container(ref)
	if c == nil {
		errs <- notFound("No such container: %s", ref)
		return res, errs
	}
	var done <-chan struct{}
	switch cond {
	case container.WaitConditionRemoved:
		done = c.removed
	case container.WaitConditionNextExit:
		done = c.exited
	default:
		if !c.State.Running {
			res <- container.WaitResponse{StatusCode: int64(c.State.ExitCode)}
			return res, errs
		}
		done = c.exited
	}
	go func() {
		select {
		case <-done:
			f.mu.Lock()
			res <- container.WaitResponse{StatusCode: int64(c.State.ExitCode)}
			f.mu.Unlock()
		case <-ctx.Done():
			errs <- ctx.Err()
		}
	}()
	return res, errs
}
