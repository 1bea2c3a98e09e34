package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/distribution/reference"
)

// The export's files that name the tags the engine gives its images:
// docker's manifest.json (RepoTags) and repositories, and the OCI
// index.json: io.containerd.image.name (Docker with containerd's image
// store) and org.opencontainers.image.ref.name (Podman, which tries an
// export as an OCI archive first, names its images by it; Docker's
// exports put the tag of io.containerd.image.name's name there).
const (
	exportManifest      = ImagesPrefix + "manifest.json"
	exportRepos         = ImagesPrefix + "repositories"
	exportIndex         = ImagesPrefix + "index.json"
	maxExportMeta       = 16 << 20
	annotationImageName = "io.containerd.image.name"
	annotationRefName   = "org.opencontainers.image.ref.name"
)

// metaSink is where a member's content goes besides its checksum: the
// export's tag files are kept (up to maxExportMeta) for exportTags.
func (c *checker) metaSink(m Member) io.Writer {
	if m.Type != TypeFile || (m.Name != exportManifest && m.Name != exportRepos && m.Name != exportIndex) {
		return io.Discard
	}
	if c.meta == nil {
		c.meta = map[string]*bytes.Buffer{}
	}
	c.meta[m.Name] = &bytes.Buffer{}
	return cappedWriter{c.meta[m.Name], m.Name}
}

type cappedWriter struct {
	b    *bytes.Buffer
	name string
}

func (w cappedWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > maxExportMeta {
		return 0, fmt.Errorf("%w: %s is over %d MiB", ErrCorrupt, w.name, maxExportMeta>>20)
	}
	return w.b.Write(p)
}

// exportTags lists the tags the export's files give its images, each
// with the file that names it.
func exportTags(meta map[string]*bytes.Buffer) (tags, files []string, err error) {
	add := func(tag, file string) { tags, files = append(tags, tag), append(files, file) }
	if b := meta[exportManifest]; b != nil {
		var entries []struct{ RepoTags []string }
		if err := json.Unmarshal(b.Bytes(), &entries); err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, exportManifest, err)
		}
		for _, e := range entries {
			for _, t := range e.RepoTags {
				add(t, exportManifest)
			}
		}
	}
	if b := meta[exportRepos]; b != nil {
		var repos map[string]map[string]string
		if err := json.Unmarshal(b.Bytes(), &repos); err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, exportRepos, err)
		}
		for repo, byTag := range repos {
			for tag := range byTag {
				add(repo+":"+tag, exportRepos)
			}
		}
	}
	if b := meta[exportIndex]; b != nil {
		var index struct {
			Manifests []struct{ Annotations map[string]string }
		}
		if err := json.Unmarshal(b.Bytes(), &index); err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, exportIndex, err)
		}
		for _, m := range index.Manifests {
			name, ref := m.Annotations[annotationImageName], m.Annotations[annotationRefName]
			if name != "" {
				add(name, exportIndex)
			}
			if ref != "" && !tagOf(name, ref) {
				add(ref, exportIndex)
			}
		}
	}
	return tags, files, nil
}

// checkExportTags refuses an export that tags images with names the
// manifest does not declare (an image's ref and its tags): loading it
// would replace the local images of those names. It returns the tags the
// load gives, as docker load names them.
func checkExportTags(m Manifest, meta map[string]*bytes.Buffer) ([]string, error) {
	tags, files, err := exportTags(meta)
	if err != nil {
		return nil, err
	}
	declared := map[string]bool{}
	for _, im := range m.Images {
		for _, t := range append([]string{im.Ref}, im.Tags...) {
			if n, ok := normalTag(t); ok {
				declared[n] = true
			}
		}
	}
	var loaded, foreign []string
	for i, t := range tags {
		n, ok := normalTag(t)
		switch {
		case !ok || !declared[n]:
			foreign = append(foreign, fmt.Sprintf("%q (%s)", t, files[i]))
		case files[i] == exportManifest:
			loaded = append(loaded, familiarTag(n))
		}
	}
	if foreign != nil {
		slices.Sort(foreign)
		return nil, fmt.Errorf("%w: %s; %s declares only the images' refs and tags: refused, loading it would retag local images", ErrUndeclaredTag, strings.Join(slices.Compact(foreign), ", "), ManifestName)
	}
	slices.Sort(loaded)
	return slices.Compact(loaded), nil
}

// tagOf says whether ref is the tag of the image name name (Docker's
// exports: io.containerd.image.name docker.io/library/app:1 with
// org.opencontainers.image.ref.name 1), which names nothing name does not.
func tagOf(name, ref string) bool {
	named, err := reference.ParseNormalizedNamed(name)
	if err != nil {
		return false
	}
	tagged, ok := named.(reference.Tagged)
	return ok && tagged.Tag() == ref
}

// familiarTag is a full tag as docker names it to users (NAME:latest for
// docker.io/library/NAME:latest): Podman's exports carry the full form.
func familiarTag(full string) string {
	named, err := reference.ParseNormalizedNamed(full)
	if err != nil {
		return full
	}
	return reference.FamiliarString(named)
}

// normalTag is a tag in full (docker.io/library/NAME:latest for NAME).
func normalTag(s string) (string, bool) {
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return "", false
	}
	if _, digested := named.(reference.Digested); digested {
		return "", false
	}
	return reference.TagNameOnly(named).String(), true
}
