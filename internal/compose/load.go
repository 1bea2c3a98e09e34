package compose

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/graph"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/compose-spec/compose-go/v2/utils"
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
	Presets     []string // catalogue presets merged under the compose files (the files win)
}

// Load reads, interpolates, validates and normalises the project, and
// checks depends_on for cycles. All services are kept; use Select to
// narrow the project to what the command line names. With presets, a
// compose file is optional.
func Load(ctx context.Context, o Options) (*types.Project, error) {
	src, err := prepare(ctx, o)
	if err != nil {
		return nil, err
	}
	p, err := loadProject(ctx, src)
	if err != nil {
		if rerr := explainRefs(ctx, src.details, src.opts); rerr != nil {
			return nil, rerr
		}
		return nil, wrapLoadError(withFiles(err, src.paths))
	}
	p.ComposeFiles = src.filenames
	if err := graph.CheckCycle(p); err != nil {
		return nil, wrapLoadError(err)
	}
	if src.cacheable && !src.validated {
		markValidated(src.key)
	}
	return p, nil
}

// source is what the loader is given: the files (presets first), the
// working directory, the variables and the loader options.
type source struct {
	details   types.ConfigDetails
	opts      func(*loader.Options)
	paths     []string // the compose files as named on the command line
	filenames []string // the compose files read (for the config-files label)
	key       string   // validation cache key
	cacheable bool
	validated bool
}

func prepare(ctx context.Context, o Options) (source, error) {
	popts, err := cli.NewProjectOptions(o.Files,
		cli.WithWorkingDirectory(o.WorkingDir),
		cli.WithOsEnv,
		cli.WithEnvFiles(o.EnvFiles...),
		cli.WithDotEnv,
		cli.WithConfigFileEnv,
	)
	if err != nil {
		return source{}, wrapLoadError(err)
	}
	if err := cli.WithDefaultConfigPath(popts); err != nil {
		return source{}, wrapLoadError(err)
	}
	if len(popts.ConfigPaths) == 0 && len(o.Presets) == 0 {
		return source{}, fmt.Errorf("%w in this directory or any parent (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml); use -f FILE, or name presets (devstack presets)", ErrNoConfig)
	}
	wd, err := popts.GetWorkingDir()
	if err != nil {
		return source{}, err
	}
	details := &types.ConfigDetails{WorkingDir: wd}
	if len(popts.ConfigPaths) > 0 {
		if details, err = popts.ReadConfigFiles(ctx, wd, popts); err != nil {
			return source{}, wrapLoadError(err)
		}
	}
	name, explicit := projectName(o, popts.Environment, details.ConfigFiles, wd)
	env := withDevstackVars(popts.Environment, name, wd)
	frags, err := presetFiles(o.Presets)
	if err != nil {
		return source{}, err
	}
	files := append(frags, details.ConfigFiles...)
	src := source{details: types.ConfigDetails{ConfigFiles: files, WorkingDir: wd, Environment: env}, paths: popts.ConfigPaths}
	src.key, src.cacheable = validationKey(files, env, wd, profiles(o, env))
	src.validated = src.cacheable && wasValidated(src.key)
	src.opts = func(lo *loader.Options) {
		lo.SetProjectName(name, explicit)
		lo.ResolvePaths = true
		lo.Profiles = profiles(o, env)
		lo.SkipValidation = src.validated
		// C:\path bind sources as /c/path, as docker compose does when asked.
		lo.ConvertWindowsPaths = utils.StringToBool(env["COMPOSE_CONVERT_WINDOWS_PATHS"])
	}
	for _, f := range details.ConfigFiles {
		src.filenames = append(src.filenames, f.Filename)
	}
	return src, nil
}

// projectName follows compose: -p, then COMPOSE_PROJECT_NAME, then a
// name: in the files (explicit=false lets it win), then the directory.
func projectName(o Options, env types.Mapping, files []types.ConfigFile, wd string) (string, bool) {
	if o.ProjectName != "" {
		return loader.NormalizeProjectName(o.ProjectName), true
	}
	if n := env["COMPOSE_PROJECT_NAME"]; n != "" {
		return loader.NormalizeProjectName(n), true
	}
	for _, f := range files {
		var named struct {
			Name string `yaml:"name"`
		}
		if yaml.Unmarshal(f.Content, &named) == nil && named.Name != "" && !strings.Contains(named.Name, "$") {
			return loader.NormalizeProjectName(named.Name), true
		}
	}
	return loader.NormalizeProjectName(filepath.Base(wd)), false
}

func profiles(o Options, env types.Mapping) []string {
	if len(o.Profiles) > 0 {
		return o.Profiles
	}
	if v := env["COMPOSE_PROFILES"]; v != "" {
		return strings.Split(v, ",")
	}
	return nil
}

// withDevstackVars adds the variables presets use, unless already set.
func withDevstackVars(env types.Mapping, name, wd string) types.Mapping {
	out := types.Mapping{}
	subdir := ""
	if fi, err := os.Stat(filepath.Join(wd, "public")); err == nil && fi.IsDir() {
		subdir = "/public"
	}
	defaults := map[string]string{
		"DEVSTACK_PROJECT":     name,
		"DEVSTACK_PROJECT_DIR": wd,
		"DEVSTACK_WEB_SUBDIR":  subdir,
		"DEVSTACK_DB_NAME":     strings.NewReplacer("-", "_", ".", "_").Replace(name),
	}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range env {
		out[k] = v
	}
	return out
}

// withFiles names the compose file in YAML syntax errors, which
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
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}
