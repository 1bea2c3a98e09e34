// Package helperprog finds and runs devstack's helper programs: programs
// installed beside devstack (devstack-buildkit, devstack-kube) that carry
// big client libraries devstack itself does not link, so that its own
// start-up stays fast. devstack writes one JSON request on a helper's
// stdin and reads JSON lines back from its stdout.
package helperprog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Find finds the helper program name: next to the running devstack (how
// make install and the release archives place it), else on PATH.
func Find(name string) (string, bool) {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			p := filepath.Join(filepath.Dir(exe), name)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				return p, true
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, true
	}
	return "", false
}

// Run starts the helper at path, writes req as JSON on its stdin and hands
// its stdout to read, which returns the helper's own error reply (last) or
// a failure to read. Cancelling ctx interrupts the helper (os.Interrupt),
// which cancels its work. The error is the helper's reply when it gave
// one, else ctx's, else what went wrong, with the last words the helper
// wrote on stderr.
func Run(ctx context.Context, path string, req any, read func(io.Reader) (last, readErr error)) error {
	in, err := json.Marshal(req)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, path)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Cancel = func() error {
		if runtime.GOOS == "windows" {
			return cmd.Process.Kill()
		}
		return cmd.Process.Signal(os.Interrupt)
	}
	cmd.WaitDelay = 10 * time.Second
	var stderr tailBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	last, readErr := read(stdout)
	if readErr != nil {
		_, _ = io.Copy(io.Discard, stdout)
	}
	waitErr := cmd.Wait()
	switch {
	case last != nil:
		return last
	case ctx.Err() != nil:
		return ctx.Err()
	case readErr != nil:
		return fmt.Errorf("%s: reading its output: %w", path, readErr)
	case waitErr != nil:
		return fmt.Errorf("%s: %w%s", path, waitErr, stderr.suffix())
	}
	return nil
}

// tailBuffer keeps the last 4 KiB written to it: a crashed helper's words.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = t.b[len(t.b)-4096:]
	}
	return len(p), nil
}

func (t *tailBuffer) suffix() string {
	if s := strings.TrimSpace(string(t.b)); s != "" {
		return "\n" + s
	}
	return ""
}
