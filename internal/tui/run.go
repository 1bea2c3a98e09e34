package tui

import (
	"context"
	"errors"
	"fmt"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// Actions carries out what a person asks for on the stack. cli implements
// it over the engine; tests can record the calls.
type Actions interface {
	Restart(ctx context.Context, service string) error
	Stop(ctx context.Context, service string) error
	Start(ctx context.Context, service string) error
	Recreate(ctx context.Context, service string) error // build or pull, then a new container
	RestartAll(ctx context.Context) error
}

// Result is how the dashboard ended.
type Result struct {
	StopStack bool // the person asked to stop the stack
}

// Run shows the dashboard on the terminal until the person quits or ctx
// ends. Requests go to acts, one at a time, in the order they were made.
func Run(ctx context.Context, o Options, acts Actions, in io.Reader, out io.Writer) (Result, error) {
	reqs := make(chan Request, 16)
	o.Requests = reqs
	p := tea.NewProgram(New(o), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out),
		tea.WithAltScreen(), tea.WithMouseCellMotion())
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go serve(rctx, acts, reqs, p.Send)
	final, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	if err != nil {
		return Result{}, fmt.Errorf("dashboard: %w", err)
	}
	m, _ := final.(Model)
	return Result{StopStack: m.StopStack()}, nil
}

// serve carries out requests until ctx ends, reporting each outcome.
func serve(ctx context.Context, acts Actions, reqs <-chan Request, send func(tea.Msg)) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-reqs:
			send(DoneMsg{Request: r, Err: perform(ctx, acts, r)})
		}
	}
}

func perform(ctx context.Context, acts Actions, r Request) error {
	if acts == nil {
		return errors.New("no actions available")
	}
	switch r.Verb {
	case "restart":
		return acts.Restart(ctx, r.Service)
	case "stop":
		return acts.Stop(ctx, r.Service)
	case "start":
		return acts.Start(ctx, r.Service)
	case "recreate":
		return acts.Recreate(ctx, r.Service)
	case "restart-all":
		return acts.RestartAll(ctx)
	}
	return fmt.Errorf("unknown action %q", r.Verb)
}
