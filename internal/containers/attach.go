package containers

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/moby/term"

	"github.com/devstack/devstack/internal/dockerapi"
)

// Stdio is the terminal or pipes a command's process is attached to.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Stream connects an attached container's or exec's streams to stdio
// until its output ends: with tty, stdin's terminal goes raw and its size
// follows (resize); without, stdout and stderr are demultiplexed.
func Stream(ctx context.Context, hj types.HijackedResponse, tty, withStdin bool, std Stdio, resize func(h, w uint)) error {
	if tty {
		if restore := rawTerminal(std.In, resize); restore != nil {
			defer restore()
		}
	}
	if withStdin {
		go func() {
			_, _ = io.Copy(hj.Conn, std.In)
			_ = hj.CloseWrite()
		}()
	}
	done := make(chan error, 1)
	go func() {
		var err error
		if tty {
			_, err = io.Copy(std.Out, hj.Reader)
		} else {
			_, err = stdcopy.StdCopy(std.Out, std.Err, hj.Reader)
		}
		done <- err
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-done:
		return err
	}
}

// ForwardSignals sends each signal to the container until sigs is closed
// or ctx ends, as docker run's sig-proxy does.
func ForwardSignals(ctx context.Context, api dockerapi.ContainerAPI, id string, sigs <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case sig, ok := <-sigs:
			if !ok {
				return
			}
			if name := signalName(sig); name != "" {
				_ = api.ContainerKill(ctx, id, name)
			}
		}
	}
}

// Resize keeps a container's terminal size in step with ours.
func Resize(ctx context.Context, api dockerapi.ContainerAPI, id string) func(h, w uint) {
	return func(h, w uint) {
		_ = api.ContainerResize(ctx, id, container.ResizeOptions{Height: h, Width: w})
	}
}

// isTerminalReader says whether r is a terminal.
func isTerminalReader(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	_, t := term.GetFdInfo(f)
	return t
}

// AttachOptions mirror `devstack attach` flags.
type AttachOptions struct {
	Service  string
	Index    int
	NoStdin  bool
	SigProxy bool
}

// Attach connects stdio to the running container of the service until it
// exits or stdin ends, and returns the container's exit code when it
// exited (-1 when it is still running).
func Attach(ctx context.Context, api dockerapi.ContainerAPI, project string, o AttachOptions, stdio Stdio, sigs <-chan os.Signal) (int, error) {
	c, err := serviceContainer(ctx, api, project, o.Service, o.Index)
	if err != nil {
		return 0, err
	}
	ins, err := api.ContainerInspect(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	withStdin := !o.NoStdin && ins.Config.OpenStdin
	tty := ins.Config.Tty
	hj, err := api.ContainerAttach(ctx, c.ID, container.AttachOptions{Stream: true, Stdin: withStdin, Stdout: true, Stderr: true})
	if err != nil {
		return 0, fmt.Errorf("attach to %s: %w", c.Name, err)
	}
	defer hj.Close()
	if o.SigProxy && !tty {
		go ForwardSignals(ctx, api, c.ID, sigs)
	}
	waitC, errC := api.ContainerWait(ctx, c.ID, container.WaitConditionNotRunning)
	if err := Stream(ctx, hj, tty && isTerminalReader(stdio.In), withStdin, stdio, Resize(ctx, api, c.ID)); err != nil {
		return 0, err
	}
	select {
	case w := <-waitC:
		return int(w.StatusCode), nil
	case err := <-errC:
		return 0, err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
