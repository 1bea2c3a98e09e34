package bundle

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
)

// Source is a project file to store: its path on disk and its name
// relative to the project directory (slash-separated).
type Source struct {
	Abs, Rel string
}

// Collected is what Collect finds.
type Collected struct {
	Files []Source
	// EmptyDirs are bind-mounted directories left out (no --include-dir).
	EmptyDirs []string
}

// Collect lists the files a project needs besides its images: its compose
// files (with those their include: and extends: name), env files (--env-file, else .env), services' env_files, the
// file: sources of configs and secrets the services use, and bind-mounted
// files. A bind-mounted directory is stored (recursively) only when it is
// in or under one of include; otherwise it is listed as empty. skip (the
// archive being written) is never stored. Everything must lie inside the
// project directory: paths are stored relative to it and rewritten nowhere.
func Collect(p *types.Project, envFiles, include []string, skip string) (Collected, error) {
	c := collector{dir: p.WorkingDir, skip: skip, seen: map[string]bool{}, composeSeen: map[string]bool{}}
	for _, f := range p.ComposeFiles {
		c.composeFile(f, "compose file")
	}
	if len(envFiles) == 0 {
		envFiles = []string{filepath.Join(p.WorkingDir, ".env")}
		c.file(envFiles[0], "env file", false)
	} else {
		for _, f := range envFiles {
			c.file(f, "--env-file", true)
		}
	}
	for _, name := range sortedNames(p) {
		s := p.Services[name]
		for _, ef := range s.EnvFiles {
			c.file(ef.Path, "service "+name+": env_file", bool(ef.Required))
		}
		for _, ref := range s.Configs {
			if f := p.Configs[ref.Source].File; f != "" {
				c.file(f, "service "+name+": config "+ref.Source, true)
			}
		}
		for _, ref := range s.Secrets {
			if f := p.Secrets[ref.Source].File; f != "" {
				c.file(f, "service "+name+": secret "+ref.Source, true)
			}
		}
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeBind {
				c.bind(v.Source, "service "+name+": bind mount", include)
			}
		}
	}
	slices.Sort(c.out.EmptyDirs)
	c.out.EmptyDirs = slices.Compact(c.out.EmptyDirs)
	return c.out, c.err
}

type collector struct {
	dir, skip string
	seen      map[string]bool // by name in the archive
	// composeSeen are the compose files already followed (include cycles)
	composeSeen map[string]bool
	out         Collected
	err         error
}

// composeFile adds a compose file and, recursively, the files its
// include: and extends: name.
func (c *collector) composeFile(abs, what string) {
	if c.composeSeen[abs] {
		return
	}
	c.composeSeen[abs] = true
	c.file(abs, what, true)
	for _, ref := range composeRefs(abs) {
		c.composeFile(ref, abs+": include or extends")
	}
}

// file adds one file; a missing optional one is left out.
func (c *collector) file(abs, what string, required bool) {
	if c.err != nil {
		return
	}
	st, err := os.Stat(abs)
	switch {
	case os.IsNotExist(err) && !required:
		return
	case err != nil:
		c.err = fmt.Errorf("%s: %w", what, err)
		return
	case st.IsDir():
		c.err = fmt.Errorf("%s %s is a directory", what, abs)
		return
	}
	c.add(abs, what)
}

func (c *collector) add(abs, what string) {
	rel, err := ProjectRel(c.dir, abs, what)
	if err != nil {
		c.err = err
		return
	}
	if !c.seen[rel] && abs != c.skip {
		c.seen[rel] = true
		c.out.Files = append(c.out.Files, Source{Abs: abs, Rel: rel})
	}
}

// bind adds a bind-mounted file, or a directory's files when include
// covers it. A source that does not exist is the engine's to create.
func (c *collector) bind(abs, what string, include []string) {
	st, err := os.Stat(abs)
	if c.err != nil || os.IsNotExist(err) {
		return
	}
	if err != nil {
		c.err = fmt.Errorf("%s: %w", what, err)
		return
	}
	if !st.IsDir() {
		c.add(abs, what)
		return
	}
	rel, err := ProjectRel(c.dir, abs, what)
	if err != nil {
		c.err = err
		return
	}
	if !covered(abs, include) {
		if rel != "." {
			c.out.EmptyDirs = append(c.out.EmptyDirs, rel)
		}
		return
	}
	c.err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s %s: %w", what, abs, err)
		}
		if d.Type().IsRegular() || (d.Type()&fs.ModeSymlink != 0 && isFile(path)) {
			c.add(path, what)
		}
		return c.err
	})
}

// covered tells whether dir is one of include or lies under one.
func covered(dir string, include []string) bool {
	for _, inc := range include {
		rel, err := filepath.Rel(inc, dir)
		if err == nil && rel != ".." && !filepath.IsAbs(rel) && (rel == "." || !startsDotDot(rel)) {
			return true
		}
	}
	return false
}

func startsDotDot(rel string) bool {
	return len(rel) >= 3 && rel[:3] == ".."+string(filepath.Separator)
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func sortedNames(p *types.Project) []string {
	var names []string
	for name := range p.Services {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
