package containers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// ParseSignal checks a signal as docker kill takes it (KILL, SIGKILL, 9)
// and returns it as the engine is sent it: SIGKILL, or the number. Pure.
func ParseSignal(s string) (string, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 64 {
			return "", fmt.Errorf("%w: %s (a number from 1 to 64, or a name such as SIGHUP)", ErrBadSignal, s)
		}
		return s, nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if !slices.Contains(linuxSignalNames, name) {
		return "", fmt.Errorf("%w: %q (a name such as SIGHUP, HUP or a number)", ErrBadSignal, s)
	}
	return name, nil
}

// KillServices sends the signal to the running containers of the named
// services (all when none named). The signal is checked first: a bad one
// sends nothing.
func KillServices(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string, signal string, out progress.Progress) error {
	sig, err := ParseSignal(signal)
	if err != nil {
		return err
	}
	cs, err := Select(ctx, api, project, services)
	if err != nil {
		return err
	}
	killed := 0
	for _, c := range cs {
		if !c.Running() {
			continue
		}
		if err := api.ContainerKill(ctx, c.ID, sig); err != nil {
			return NamedError(c.Name, err)
		}
		killed++
		progress.Status(out, progress.KindContainer, c.Name, "Killed")
	}
	if killed == 0 {
		return fmt.Errorf("%w: project %s has no running containers to kill%s", convert.ErrNoContainer, project, ServicesThere(cs))
	}
	return nil
}
