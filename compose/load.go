package compose

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	composeerrs "github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/graph"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"
)

// Options says where a project comes from, spelled as docker compose's
// global flags spell it.
type Options struct {
	Files       []string // -f, repeatable; empty means the usual names in WorkingDir and its parents
	ProjectName string   // -p; empty means COMPOSE_PROJECT_NAME, the file's name: or the directory
	EnvFiles    []string // --env-file; empty means WorkingDir/.env
	Profiles    []string // --profile
	WorkingDir  string   // --project-directory; empty means the first file's directory or cwd
}

// Load reads, interpolates, validates and normalises the project, and
// checks depends_on for cycles. All services are kept; use Select to
// narrow the project to what the command line names.
func Load(ctx context.Context, o Options) (*types.Project, error) {
	popts, err := cli.NewProjectOptions(o.Files,
		cli.WithWorkingDirectory(o.WorkingDir),
		cli.WithOsEnv,
		cli.WithEnvFiles(o.EnvFiles...),
		cli.WithDotEnv,
		cli.WithConfigFileEnv,
		cli.WithDefaultConfigPath,
		cli.WithName(o.ProjectName),
		cli.WithDefaultProfiles(o.Profiles...),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return nil, wrapLoadError(err)
	}
	if len(o.Profiles) > 0 {
		if err := cli.WithProfiles(o.Profiles)(popts); err != nil {
			return nil, err
		}
	}
	p, err := popts.LoadProject(ctx)
	if err != nil {
		return nil, wrapLoadError(withFiles(err, popts.ConfigPaths))
	}
	if err := graph.CheckCycle(p); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrCycle, strings.TrimPrefix(err.Error(), "dependency cycle detected: "))
	}
	return p, nil
}

// withFiles names the compose file(s) in YAML syntax errors, which
// compose-go reports with a line but no file.
func withFiles(err error, files []string) error {
	if !strings.HasPrefix(err.Error(), "yaml:") {
		return err
	}
	for _, f := range files {
		b, rerr := os.ReadFile(f)
		if rerr != nil {
			continue
		}
		var v any
		if yerr := yaml.Unmarshal(b, &v); yerr != nil {
			return fmt.Errorf("%s: %w", f, yerr)
		}
	}
	return fmt.Errorf("%s: %w", strings.Join(files, ", "), err)
}

func wrapLoadError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "dependency cycle detected: "):
		_, cycle, _ := strings.Cut(msg, "dependency cycle detected: ")
		return fmt.Errorf("%w: %s", ErrCycle, cycle)
	case errors.Is(err, composeerrs.ErrNotFound) && strings.Contains(err.Error(), "no configuration file"):
		return fmt.Errorf("%w in this directory or any parent (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml); use -f FILE", ErrNoConfig)
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}
