package watch

import (
	"bytes"
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack/devstack/internal/dockerapi"
)

// execSpec is a command to run in a container.
type execSpec struct {
	Cmd        []string
	User       string
	WorkDir    string
	Env        []string
	Privileged bool
}

func hookSpec(h types.ServiceHook) execSpec {
	var env []string
	for k, v := range h.Environment {
		if v == nil {
			env = append(env, k)
		} else {
			env = append(env, k+"="+*v)
		}
	}
	return execSpec{Cmd: h.Command, User: h.User, WorkDir: h.WorkingDir, Env: env, Privileged: h.Privileged}
}

// execIn runs a command in the container and returns its exit code and
// combined output.
func execIn(ctx context.Context, api dockerapi.ExecAPI, id string, e execSpec) (int, string, error) {
	created, err := api.ContainerExecCreate(ctx, id, container.ExecOptions{
		Cmd: e.Cmd, User: e.User, WorkingDir: e.WorkDir, Env: e.Env, Privileged: e.Privileged,
		AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return 0, "", fmt.Errorf("exec %v: %w", e.Cmd, err)
	}
	resp, err := api.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{})
	if err != nil {
		return 0, "", fmt.Errorf("exec %v: %w", e.Cmd, err)
	}
	defer resp.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, resp.Reader); err != nil {
		return 0, out.String(), fmt.Errorf("exec %v: %w", e.Cmd, err)
	}
	ins, err := api.ContainerExecInspect(ctx, created.ID)
	if err != nil {
		return 0, out.String(), fmt.Errorf("exec %v: %w", e.Cmd, err)
	}
	return ins.ExitCode, out.String(), nil
}
