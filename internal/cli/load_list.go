package cli

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/docker/go-units"

	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/termsafe"
)

// listArchive checks an archive and shows what it holds.
func listArchive(ctx context.Context, g *globals, f loadFlags, file string) error {
	a, err := openArchive(ctx, g, file)
	if err != nil {
		return err
	}
	defer a.Close()
	m, err := bundle.Check(a, bundle.LoadOptions{Meter: g.meter("Checking", "")})
	if err != nil {
		return interrupted(ctx, err)
	}
	dir, err := bundle.TargetDir(m, cmp.Or(f.dir, g.WorkingDir))
	if err != nil {
		return err
	}
	w := g.stdout
	fmt.Fprintf(w, "project %s (archive format %d, devstack %s)\n", m.Project, m.Format, termsafe.Name(m.Devstack))
	fmt.Fprintf(w, "directory: %s (load writes the project's files into it)\n", termsafe.Name(dir))
	if len(m.ComposeFiles) > 0 {
		fmt.Fprintf(w, "compose files: %s\n", names(m.ComposeFiles))
	}
	if len(m.EnvFiles) > 0 {
		fmt.Fprintf(w, "env files: %s\n", names(m.EnvFiles))
	}
	fmt.Fprintf(w, "services: %s\n", names(m.Services))
	if len(m.Presets) > 0 {
		fmt.Fprintf(w, "presets: %s\n", names(m.Presets))
	}
	fmt.Fprintf(w, "images (%s in the export):\n", units.HumanSize(float64(m.ImageBytes())))
	for _, im := range m.Images {
		fmt.Fprintf(w, "  %s  %s  %s  (%s)\n", termsafe.Name(im.Ref), termsafe.Name(shortID(im.ID)), termsafe.Name(im.Platform), names(im.Services))
	}
	for _, t := range m.ExportTags {
		fmt.Fprintf(w, "Would load image: %s\n", termsafe.Name(t))
	}
	fmt.Fprintf(w, "files:\n")
	for _, pf := range m.ProjectFiles() {
		fmt.Fprintf(w, "  %s  %s\n", termsafe.Name(pf.Name), units.HumanSize(float64(pf.Size)))
	}
	for _, d := range m.EmptyDirs {
		fmt.Fprintf(w, "  %s/  (bind-mounted directory, not stored)\n", termsafe.Name(d))
	}
	if len(m.Snapshots) > 0 {
		fmt.Fprintf(w, "snapshots (%s; load imports them into the snapshots of project %s):\n", units.HumanSize(float64(m.SnapshotBytes())), m.Project)
	}
	for _, s := range m.Snapshots {
		fmt.Fprintf(w, "  %s  %s  (%s)\n", s.Name, units.HumanSize(float64(s.Size)), names(s.Volumes))
	}
	fmt.Fprintf(w, "%d members, every checksum OK\n", len(m.Members)+1)
	return nil
}

// names joins names from an archive, escaped (termsafe.Name).
func names(ss []string) string { return strings.Join(termsafe.Names(ss), ", ") }
