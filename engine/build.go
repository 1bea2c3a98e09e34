package engine

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
)

// Build builds the service's image with the classic builder from its
// context directory (honouring .dockerignore), streaming the output.
func Build(ctx context.Context, api API, p *types.Project, s types.ServiceConfig, o ImageOptions, out Progress) error {
	b := s.Build
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

	labels := map[string]string{LabelProject: p.Name, LabelService: s.Name}
	for k, v := range b.Labels {
		labels[k] = v
	}
	var auths map[string]registry.AuthConfig
	if o.Auth != nil {
		if auths, err = o.Auth.All(); err != nil {
			return fmt.Errorf("%w: service %s: %v", ErrBuildFailed, s.Name, err)
		}
	}
	status(out, KindImage, s.Image, "Building")
	resp, err := api.ImageBuild(ctx, tar, build.ImageBuildOptions{
		AuthConfigs: auths,
		Tags:        append([]string{s.Image}, b.Tags...),
		Dockerfile:  filepath.ToSlash(dockerfile),
		BuildArgs:   b.Args,
		Target:      b.Target,
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
	lines := &lineSplitter{emit: steps.line}
	err = jsonmessage.DisplayJSONMessagesStream(resp.Body, lines, 0, false, nil)
	lines.Flush()
	if err != nil {
		err = baseImageError(err)
		if steps.last != "" {
			return fmt.Errorf("%w: service %s, at %s: %v", ErrBuildFailed, s.Name, steps.last, err)
		}
		return fmt.Errorf("%w: service %s: %v", ErrBuildFailed, s.Name, err)
	}
	status(out, KindImage, s.Image, "Built")
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
	out   Progress
	image string
	last  string
}

func (t *stepTracker) line(b []byte) {
	line := string(b)
	if strings.HasPrefix(line, "Step ") {
		t.last = strings.TrimSpace(line)
	}
	t.out.Event(Event{Kind: KindBuild, Name: t.image, Status: "Building", Detail: line})
}
