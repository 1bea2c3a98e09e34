package containers

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/moby/term"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"

	"github.com/devstack/devstack/internal/dockerapi"
)

// ExecOptions mirror `devstack exec` flags.
type ExecOptions struct {
	Service     string
	Index       int // replica number, 1-based
	Cmd         []string
	TTY         bool // allocate a pseudo-terminal (stdin must be one)
	Interactive bool // attach stdin
	User        string
	WorkDir     string
	Env         []string
	Privileged  bool
}

// Exec runs a command in a running container of the service and returns its exit code.
func Exec(ctx context.Context, api dockerapi.API, project string, o ExecOptions, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	c, err := serviceContainer(ctx, api, project, o.Service, o.Index)
	if err != nil {
		return 0, err
	}
	created, err := api.ContainerExecCreate(ctx, c.ID, container.ExecOptions{
		User: o.User, Privileged: o.Privileged, Tty: o.TTY, AttachStdin: o.Interactive,
		AttachStdout: true, AttachStderr: true, Env: o.Env, WorkingDir: o.WorkDir, Cmd: o.Cmd,
	})
	if err != nil {
		return 0, fmt.Errorf("exec in %s: %w", c.Name, err)
	}
	resp, err := api.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{Tty: o.TTY})
	if err != nil {
		return 0, fmt.Errorf("exec in %s: %w", c.Name, err)
	}
	defer resp.Close()
	if o.TTY {
		resize := func(h, w uint) {
			_ = api.ContainerExecResize(ctx, created.ID, container.ResizeOptions{Height: h, Width: w})
		}
		if restore := rawTerminal(stdin, resize); restore != nil {
			defer restore()
		}
	}
	if o.Interactive {
		go func() {
			_, _ = io.Copy(resp.Conn, stdin)
			_ = resp.CloseWrite()
		}()
	}
	done := make(chan error, 1)
	go func() {
		if o.TTY {
			_, err := io.Copy(stdout, resp.Reader)
			done <- err
			return
		}
		_, err := stdcopy.StdCopy(stdout, stderr, resp.Reader)
		done <- err
	}()
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-done:
	}
	ins, err := api.ContainerExecInspect(ctx, created.ID)
	if err != nil {
		return 0, err
	}
	return ins.ExitCode, nil
}

// rawTerminal puts stdin's terminal in raw mode and keeps the exec's or
// container's terminal size in step with it (resize). It returns the
// restore function.
func rawTerminal(stdin io.Reader, resize func(h, w uint)) func() {
	f, ok := stdin.(*os.File)
	if !ok {
		return nil
	}
	fd, isTerm := term.GetFdInfo(f)
	if !isTerm {
		return nil
	}
	state, err := term.SetRawTerminal(fd)
	if err != nil {
		return nil
	}
	var last term.Winsize
	follow := func() { // only a changed size goes to the engine (Windows polls)
		if ws, err := term.GetWinsize(fd); err == nil && *ws != last {
			last = *ws
			resize(uint(ws.Height), uint(ws.Width))
		}
	}
	follow()
	stop := onResize(follow)
	return func() {
		stop()
		_ = term.RestoreTerminal(fd, state)
	}
}

// serviceContainer finds the running container number index of the service.
func serviceContainer(ctx context.Context, api dockerapi.ContainerAPI, project, service string, index int) (plan.Container, error) {
	cs, err := Observe(ctx, api, project)
	if err != nil {
		return plan.Container{}, err
	}
	if index < 1 {
		index = 1
	}
	for _, c := range cs {
		if c.Service == service && c.Number == index {
			if !c.Running() {
				return plan.Container{}, fmt.Errorf("%w: service %s: container %s is %s, not running", convert.ErrNoContainer, service, c.Name, c.State)
			}
			return c, nil
		}
	}
	return plan.Container{}, fmt.Errorf("%w: service %s has no container number %d in project %s%s", convert.ErrNoContainer, service, index, project, ServicesThere(cs))
}
