package buildkit

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/build"
)

// Plan is one service's BuildKit build, converted from its compose build
// section: the engine's build options (but for the session and build IDs)
// and what the session serves.
type Plan struct {
	Options build.ImageBuildOptions
	// ContextDir is the local build context; "" for a remote one (git URL),
	// which the engine fetches itself (Options.RemoteContext).
	ContextDir string
	// DockerfileDir holds Options.Dockerfile; "" with Inline or a remote context.
	DockerfileDir string
	// Inline is dockerfile_inline's text, served as the Dockerfile.
	Inline  string
	Secrets []Secret
	SSH     []SSH
}

// Secret is a build secret: from a file, or a value (environment).
type Secret struct {
	ID, File string
	Value    []byte
	Name     string // the project's secret name, for messages
}

// SSH is an ssh forwarding: an agent socket or key files ("" = $SSH_AUTH_SOCK).
type SSH struct {
	ID    string
	Paths []string
}

// remoteContext reports whether a build context is a URL the engine
// fetches (git), as the docker CLI decides. Pure.
func remoteContext(c string) bool {
	return strings.Contains(c, "://") || strings.HasPrefix(c, "git@") || strings.HasPrefix(c, "github.com/")
}

// MakePlan converts the service's build section for BuildKit. labels are
// the image's labels (the build's own and devstack's); env is the project's
// environment, for secrets taken from it. Keys this engine cannot honour
// through the build API are refused, naming them. Pure.
func MakePlan(s types.ServiceConfig, secrets types.Secrets, env types.Mapping, labels map[string]string) (Plan, error) {
	b := s.Build
	if err := unsupported(s.Name, b); err != nil {
		return Plan{}, err
	}
	o := build.ImageBuildOptions{
		Version:     build.BuilderBuildKit,
		Tags:        append([]string{s.Image}, b.Tags...),
		BuildArgs:   b.Args,
		Target:      b.Target,
		Labels:      labels,
		NoCache:     b.NoCache,
		PullParent:  b.Pull,
		CacheFrom:   b.CacheFrom,
		NetworkMode: b.Network,
		ExtraHosts:  b.ExtraHosts.AsList(":"),
		Remove:      true,
		ForceRemove: true,
	}
	switch {
	case len(b.Platforms) == 1:
		o.Platform = b.Platforms[0]
	case len(b.Platforms) > 1:
		return Plan{}, fmt.Errorf("%w: service %s: build.platforms lists %s: the engine's image store holds one platform per tag; list one (buildx with a registry builds several)", ErrUnsupported, s.Name, strings.Join(b.Platforms, ", "))
	case s.Platform != "":
		o.Platform = s.Platform
	}
	p := Plan{Options: o, Inline: b.DockerfileInline}
	dockerfile := b.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	switch {
	case remoteContext(b.Context):
		p.Options.RemoteContext = b.Context
		p.Options.Dockerfile = dockerfile
		if b.DockerfileInline != "" {
			return Plan{}, fmt.Errorf("%w: service %s: build.dockerfile_inline with the remote context %s", ErrUnsupported, s.Name, b.Context)
		}
	default:
		p.ContextDir = b.Context
		p.Options.RemoteContext = "client-session"
		p.Options.Dockerfile = "Dockerfile"
		if b.DockerfileInline == "" {
			if !filepath.IsAbs(dockerfile) {
				dockerfile = filepath.Join(b.Context, dockerfile)
			}
			p.DockerfileDir, p.Options.Dockerfile = filepath.Dir(dockerfile), filepath.Base(dockerfile)
		}
	}
	var err error
	if p.Secrets, err = buildSecrets(s.Name, b.Secrets, secrets, env); err != nil {
		return Plan{}, err
	}
	for _, k := range b.SSH {
		sh := SSH{ID: k.ID}
		if k.Path != "" {
			sh.Paths = []string{k.Path}
		}
		p.SSH = append(p.SSH, sh)
	}
	return p, nil
}

// unsupported refuses the build keys the Engine API's BuildKit build cannot
// carry, naming the first one.
func unsupported(service string, b *types.BuildConfig) error {
	why := ""
	switch {
	case len(b.CacheTo) > 0:
		why = "build.cache_to: the engine's build API has no cache export; cache_from an image built with the build arg BUILDKIT_INLINE_CACHE=1 instead"
	case len(b.AdditionalContexts) > 0:
		why = "build.additional_contexts: named contexts need a Dockerfile frontend and a build API newer than this engine's"
	case b.ShmSize > 0:
		why = "build.shm_size: BuildKit ignores it; DOCKER_BUILDKIT=0 uses the classic builder, which honours it"
	case len(b.Ulimits) > 0:
		why = "build.ulimits: BuildKit ignores them; DOCKER_BUILDKIT=0 uses the classic builder, which honours them"
	case b.Privileged || len(b.Entitlements) > 0:
		why = "build.privileged/entitlements: the engine's build API cannot grant them"
	case len(b.NoCacheFilter) > 0:
		why = "build.no_cache_filter"
	case b.Provenance != "" || b.SBOM != "":
		why = "build.provenance/sbom: attestations need buildx and a registry"
	case b.Isolation != "" && b.Isolation != "default":
		why = "build.isolation"
	}
	if why == "" {
		return nil
	}
	return fmt.Errorf("%w: service %s: %s", ErrUnsupported, service, why)
}

// buildSecrets resolves the service's build secrets against the project's
// secrets: a file, or a variable of the project's environment.
func buildSecrets(service string, refs []types.ServiceSecretConfig, defs types.Secrets, env types.Mapping) ([]Secret, error) {
	var out []Secret
	for _, r := range refs {
		def, ok := defs[r.Source]
		if !ok {
			return nil, fmt.Errorf("%w: service %s: build secret %s is not defined in the top-level secrets", ErrSecret, service, r.Source)
		}
		sec := Secret{ID: r.Source, Name: r.Source}
		if r.Target != "" {
			sec.ID = r.Target
		}
		switch {
		case def.File != "":
			sec.File = def.File
		case def.Environment != "":
			v, ok := env[def.Environment]
			if !ok {
				return nil, fmt.Errorf("%w: service %s: build secret %s: variable %s is not set", ErrSecret, service, r.Source, def.Environment)
			}
			sec.Value = []byte(v)
		case def.Content != "":
			sec.Value = []byte(def.Content)
		default:
			return nil, fmt.Errorf("%w: service %s: build secret %s has neither file nor environment", ErrSecret, service, r.Source)
		}
		out = append(out, sec)
	}
	return out, nil
}

// SyntaxLine finds a Dockerfile's `# syntax=IMAGE` directive. Pure.
func SyntaxLine(dockerfile string) string {
	for _, line := range strings.Split(dockerfile, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "#") {
			break
		}
		if m := syntaxRE().FindStringSubmatch(line); m != nil {
			return m[1]
		}
	}
	return ""
}

var syntaxRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^#\s*syntax\s*=\s*(\S+)`) })

// HasHeredoc reports whether a Dockerfile uses a heredoc (<<EOF), which
// needs Dockerfile frontend 1.4 or later. Pure.
func HasHeredoc(dockerfile string) bool {
	return slices.ContainsFunc(strings.Split(dockerfile, "\n"), func(l string) bool {
		return heredocRE().MatchString(l)
	})
}

var heredocRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(RUN|COPY|ADD)\b.*\s<<-?["']?[A-Za-z_]`) })
