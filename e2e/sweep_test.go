//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// sweepProjects removes again whatever any script's project left behind and
// fails the test if something still remains.
func sweepProjects(t *testing.T) {
	projects.Range(func(key, _ any) bool {
		p := key.(string)
		for _, err := range removeProject(p) {
			t.Errorf("sweep of %s: %v", p, err)
		}
		for _, k := range resourceKinds {
			if left, _ := projectResources(k, p); len(left) > 0 {
				t.Errorf("left over from %s: %s %v", p, k.list[0], left)
			}
		}
		return true
	})
}

// resourceKind says how to list ("ID name" lines) and remove one kind of
// resource.
type resourceKind struct{ list, rm []string }

var resourceKinds = []resourceKind{
	{[]string{"ps", "-a", "--format", "{{.ID}} {{.Names}}"}, []string{"rm", "-f", "-v"}},
	{[]string{"network", "ls", "--format", "{{.ID}} {{.Name}}"}, []string{"network", "rm"}},
	{[]string{"volume", "ls", "--format", "{{.Name}} {{.Name}}"}, []string{"volume", "rm", "-f"}},
}

// removeProject removes the containers, networks, volumes and images of
// project, and nothing else.
func removeProject(project string) []error {
	var errs []error
	for _, k := range resourceKinds {
		ids, err := projectResources(k, project)
		if err == nil && len(ids) > 0 {
			if k.rm[0] == "network" {
				// A script that failed before its down leaves devstack's
				// router (one for the engine) on its network of the
				// project. Off it first: Docker refuses to remove a network
				// in use, but Podman 4.3 removes one named by ID under a
				// running container, whose teardown then never runs (its
				// port rules and the network's stay in the host's firewall).
				for _, id := range ids {
					_, _ = dockerOut("network", "disconnect", "-f", id, "devstack-router")
				}
			}
			_, err = dockerOut(append(k.rm, ids...)...)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := removeSnapshots(project); err != nil {
		errs = append(errs, err)
	}
	refs, err := projectImages(project)
	if err == nil && len(refs) > 0 {
		_, err = dockerOut(append([]string{"rmi"}, refs...)...)
	}
	if err != nil {
		errs = append(errs, err)
	}
	return errs
}

// removeSnapshots removes the project's directory of snapshots from
// devstack's snapshot store (the volume devstack-snapshots on this machine's
// engine), if there is one.
func removeSnapshots(project string) error {
	mp, err := dockerOut("volume", "inspect", "-f", "{{.Mountpoint}}", "devstack-snapshots")
	if err != nil {
		return nil // no store
	}
	dir := filepath.Join(strings.TrimSpace(mp), project)
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	return os.RemoveAll(dir)
}

// projectResources lists the IDs of resources of kind k labelled with
// project or named after it (see ownedName).
func projectResources(k resourceKind, project string) ([]string, error) {
	labelled, err := dockerLines(append(k.list, "--filter", "label="+projectLabel+"="+project)...)
	if err != nil {
		return nil, err
	}
	named, err := dockerLines(append(k.list, "--filter", "name="+project)...)
	var ids []string
	for i, l := range append(labelled, named...) {
		id, name, _ := strings.Cut(l, " ")
		if (i < len(labelled) || ownedName(name, project)) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, err
}

// ownedName reports whether a resource or repository name belongs to the
// project: $PROJECT itself or $PROJECT followed by "-", "_" or "/". Project
// names are unique per script run, so nothing else can match.
func ownedName(name, project string) bool {
	rest, ok := strings.CutPrefix(name, project)
	return ok && (rest == "" || strings.ContainsAny(rest[:1], "-_/"))
}

// loopbackRegistry matches the registry part of references to the shared
// registry and to the scripts' private ones (127.0.0.1:PORT/).
var loopbackRegistry = regexp.MustCompile(`^127\.0\.0\.1:[0-9]+/`)

// projectImages lists image references owned by project (see ownedName; also
// under 127.0.0.1:PORT/, the test registries) or labelled with it. References, not IDs, so other
// tags of the same image survive.
func projectImages(project string) ([]string, error) {
	format := "{{.Repository}}:{{.Tag}} {{.ID}}"
	labelled, err := dockerLines("images", "--filter", "label="+projectLabel+"="+project, "--format", format)
	if err != nil {
		return nil, err
	}
	all, err := dockerLines("images", "--format", format)
	var refs []string
	for i, l := range append(labelled, all...) {
		ref, id, _ := strings.Cut(l, " ")
		repo := loopbackRegistry.ReplaceAllString(ref[:strings.LastIndex(ref, ":")], "")
		if i < len(labelled) && strings.Contains(ref, "<none>") {
			ref = id
		}
		if (i < len(labelled) || ownedName(repo, project)) && !slices.Contains(refs, ref) {
			refs = append(refs, ref)
		}
	}
	return refs, err
}
