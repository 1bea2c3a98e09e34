package watchd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// maxLog is the size past which a new watcher moves the old log to
// watch.log.1 instead of appending to it.
const maxLog = 8 << 20

// StartOptions say how to launch a background watcher: the program and its
// arguments (a devstack that runs `watch` in the foreground of its own,
// terminal-less session), its environment and directory.
type StartOptions struct {
	Exe  string
	Args []string
	Env  []string
	Dir  string
	// Ready is how long to wait for it to say it watches.
	Ready time.Duration
}

// Start launches a watcher detached from this process's terminal: a new
// session (no controlling terminal, so no SIGHUP when the terminal closes),
// stdin the null device, stdout and stderr appended to the place's log.
// It returns once the watcher's status says it watches; a watcher that
// ends or never says so is ErrNotReady with the log's last lines.
func Start(ctx context.Context, p Place, o StartOptions) (Status, error) {
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return Status{}, fmt.Errorf("watch state directory: %w", err)
	}
	if fi, err := os.Stat(p.LogPath()); err == nil && fi.Size() > maxLog {
		_ = os.Rename(p.LogPath(), p.LogPath()+".1")
	}
	log, err := os.OpenFile(p.LogPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return Status{}, fmt.Errorf("watch log: %w", err)
	}
	defer log.Close() // the watcher has its own copy
	offset, _ := log.Seek(0, 2)
	fmt.Fprintf(log, "--- %s devstack watch of project %s starts\n", time.Now().Format(time.RFC3339), p.Project)
	cmd := exec.Command(o.Exe, o.Args...)
	cmd.Env, cmd.Dir = o.Env, o.Dir
	cmd.Stdout, cmd.Stderr = log, log // stdin: nil is the null device
	cmd.SysProcAttr = detached()
	if err := cmd.Start(); err != nil {
		return Status{}, fmt.Errorf("start the background watcher: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if o.Ready <= 0 {
		o.Ready = time.Minute
	}
	deadline := time.NewTimer(o.Ready)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return Status{}, ctx.Err()
		case err := <-exited:
			return Status{}, fmt.Errorf("%w (%v): %s", ErrNotReady, err, logTail(p.LogPath(), offset))
		case <-deadline.C:
			return Status{}, fmt.Errorf("%w: it did not say it watches within %s (it keeps trying: devstack watch --status, log %s)", ErrNotReady, o.Ready, p.LogPath())
		case <-tick.C:
			if st, err := Read(p); err == nil && st.Running && st.PID == cmd.Process.Pid && st.Ready {
				return st, nil
			}
		}
	}
}

// logTail is the last lines the watcher wrote to its log since offset.
func logTail(path string, offset int64) string {
	b, err := os.ReadFile(path)
	if err != nil || int64(len(b)) < offset {
		return "see " + path
	}
	var lines []string
	for _, l := range strings.Split(string(bytes.TrimSpace(b[offset:])), "\n") {
		if l != "" && !strings.HasPrefix(l, "--- ") {
			lines = append(lines, l)
		}
	}
	if len(lines) > 6 {
		lines = lines[len(lines)-6:]
	}
	return strings.Join(lines, "; ") + " (log " + path + ")"
}
