package apply

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/moby/go-archive"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
)

// BuildKit builds images with the engine's BuildKit (buildkit.Builder).
type BuildKit interface {
	// Enabled reports whether builds go through BuildKit: DOCKER_BUILDKIT
	// when set, else whether the engine has it.
	Enabled(ctx context.Context, api dockerapi.SystemAPI) (bool, error)
	// Build builds s's image, tagged s.Image and its build tags, with labels.
	Build(ctx context.Context, p *types.Project, s types.ServiceConfig, labels map[string]string, out progress.Progress) error
}

// Build builds the service's image: with BuildKit when there is one and
// it is enabled, otherwise with the classic builder.
func Build(ctx context.Context, api dockerapi.ImageBuilder, p *types.Project, s types.ServiceConfig, o ImageOptions, out progress.Progress) error {
	s.Build = withBuildFlags(s.Build, o)
	labels := map[string]string{convert.LabelProject: p.Name, convert.LabelService: s.Name}
	for k, v := range s.Build.Labels {
		labels[k] = v
	}
	if o.BuildKit != nil {
		on, err := o.BuildKit.Enabled(ctx, api)
		if err != nil {
			return fmt.Errorf("%w: service %s: %v", ErrBuildFailed, s.Name, err)
		}
		if on {
			progress.Status(out, progress.KindImage, s.Image, "Building")
			if err := o.BuildKit.Build(ctx, p, s, labels, out); err != nil {
				return fmt.Errorf("%w: %w", ErrBuildFailed, baseImageError(err))
			}
			progress.Status(out, progress.KindImage, s.Image, "Built")
			return nil
		}
	}
	return buildClassic(ctx, api, s, labels, o, out)
}

// buildClassic builds with the classic builder from the context directory
// (honouring .dockerignore), streaming the output.
func buildClassic(ctx context.Context, api dockerapi.ImageAPI, s types.ServiceConfig, labels map[string]string, o ImageOptions, out progress.Progress) error {
	b := s.Build
	if err := classicUnsupported(b); err != "" {
		return fmt.Errorf("%w: service %s: %s needs BuildKit, and builds use the classic builder (DOCKER_BUILDKIT=0, an engine without BuildKit, or devstack-buildkit not installed next to devstack)", ErrBuildFailed, s.Name, err)
	}
	dockerfile := b.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if filepath.IsAbs(dockerfile) {
		rel, err := filepath.Rel(b.Context, dockerfile)
		if err != nil || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("%w: service %s: dockerfile %s lies outside the build context %s", ErrBuildFailed, s.Name, dockerfile, b.Context)
		}
		dockerfile = rel
	}
	excludes, err := ReadDockerignore(b.Context)
	if err != nil {
		return fmt.Errorf("%w: service %s: %v", ErrBuildFailed, s.Name, err)
	}
	excludes = append(excludes, "!"+filepath.ToSlash(dockerfile), "!.dockerignore")
	tar, err := archive.TarWithOptions(b.Context, &archive.TarOptions{ExcludePatterns: excludes})
	if err != nil {
		return fmt.Errorf("%w: service %s: build context %s: %v", ErrBuildFailed, s.Name, b.Context, err)
	}
	defer tar.Close()

	var auths map[string]registry.AuthConfig
	if o.Auth != nil {
		if auths, err = o.Auth.All(); err != nil {
			return fmt.Errorf("%w: service %s: %v", ErrBuildFailed, s.Name, err)
		}
	}
	progress.Status(out, progress.KindImage, s.Image, "Building")
	resp, err := api.ImageBuild(ctx, tar, build.ImageBuildOptions{
		AuthConfigs: auths,
		Tags:        append([]string{s.Image}, b.Tags...),
		Dockerfile:  filepath.ToSlash(dockerfile),
		BuildArgs:   b.Args,
		Target:      b.Target,
		CacheFrom:   b.CacheFrom,
		NetworkMode: b.Network,
		ShmSize:     int64(b.ShmSize),
		ExtraHosts:  b.ExtraHosts.AsList(":"),
		Platform:    classicPlatform(s),
		Labels:      labels,
		NoCache:     b.NoCache,
		PullParent:  b.Pull,
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		return fmt.Errorf("%w: service %s: %v", ErrBuildFailed, s.Name, err)
	}
	defer resp.Body.Close()
	steps := &stepTracker{out: out, image: s.Image}
	lines := logs.NewLineSplitter(steps.line)
	err = jsonmessage.DisplayJSONMessagesStream(resp.Body, lines, 0, false, nil)
	lines.Flush()
	if err != nil {
		err = baseImageError(err)
		if steps.last != "" {
			return fmt.Errorf("%w: service %s, at %s: %v", ErrBuildFailed, s.Name, steps.last, err)
		}
		return fmt.Errorf("%w: service %s: %v", ErrBuildFailed, s.Name, err)
	}
	progress.Status(out, progress.KindImage, s.Image, "Built")
	return nil
}

// ReadDockerignore returns the patterns of dir/.dockerignore (none when it is absent).
func ReadDockerignore(dir string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ignorefile.ReadAll(f)
}

// stepTracker passes build output on as events and remembers the last "Step" line.
type stepTracker struct {
	out   progress.Progress
	image string
	last  string
}

func (t *stepTracker) line(b []byte) {
	line := string(b)
	if strings.HasPrefix(line, "Step ") {
		t.last = strings.TrimSpace(line)
	}
	t.out.Event(progress.Event{Kind: progress.KindBuild, Name: t.image, Status: "Building", Detail: line})
}

// classicUnsupported names the first build key the classic builder cannot
// honour ("" when none). Pure.
func classicUnsupported(b *types.BuildConfig) string {
	switch {
	case len(b.Secrets) > 0:
		return "build.secrets"
	case len(b.SSH) > 0:
		return "build.ssh"
	case b.DockerfileInline != "":
		return "build.dockerfile_inline"
	case len(b.AdditionalContexts) > 0:
		return "build.additional_contexts"
	case len(b.CacheTo) > 0:
		return "build.cache_to"
	case len(b.Platforms) > 1:
		return "more than one of build.platforms"
	}
	return ""
}

// classicPlatform is the one platform to build for ("" for the engine's).
func classicPlatform(s types.ServiceConfig) string {
	if len(s.Build.Platforms) == 1 {
		return s.Build.Platforms[0]
	}
	return s.Platform
}

// withBuildFlags is a copy of the build section with what `build`'s flags
// add (--no-cache, --pull, --build-arg), so that either builder sees them. Pure.
func withBuildFlags(b *types.BuildConfig, o ImageOptions) *types.BuildConfig {
	c := *b
	c.NoCache = c.NoCache || o.NoCache
	c.Pull = c.Pull || o.PullBase
	c.Args = buildArgs(c.Args, o.BuildArgs)
	return &c
}

// buildArgs is the build section's args with --build-arg's over them. Pure.
func buildArgs(section types.MappingWithEquals, flags map[string]*string) map[string]*string {
	if len(flags) == 0 {
		return section
	}
	out := make(map[string]*string, len(section)+len(flags))
	for k, v := range section {
		out[k] = v
	}
	for k, v := range flags {
		out[k] = v
	}
	return out
}
