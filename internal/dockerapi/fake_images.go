package dockerapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// normalize is an image reference as the engine stores it
// ("nginx" is "docker.io/library/nginx:latest"); an ID stays as it is.
func normalize(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ref
	}
	return reference.TagNameOnly(named).String()
}

// image finds an image by reference, ID or unique ID prefix. The caller
// holds f.mu.
func (f *FakeClient) image(ref string) *image.InspectResponse {
	if id, ok := f.tags[normalize(ref)]; ok {
		return f.images[id]
	}
	hex := strings.TrimPrefix(ref, "sha256:")
	if hex == "" || strings.Trim(hex, "0123456789abcdef") != "" {
		return nil
	}
	var found *image.InspectResponse
	for id, img := range f.images {
		if strings.HasPrefix(strings.TrimPrefix(id, "sha256:"), hex) {
			if found != nil {
				return nil // ambiguous
			}
			found = img
		}
	}
	return found
}

func (f *FakeClient) newImage(cfg *dockerspec.DockerOCIImageConfig) *image.InspectResponse {
	if cfg == nil {
		cfg = &dockerspec.DockerOCIImageConfig{}
	}
	return &image.InspectResponse{ID: "sha256:" + f.newID("image"), Config: clone(cfg), Os: "linux", Architecture: "amd64"}
}

// tag puts ref on img, taking it off the image that had it.
func (f *FakeClient) tag(ref string, img *image.InspectResponse) {
	ref = normalize(ref)
	if old := f.images[f.tags[ref]]; old != nil {
		old.RepoTags = slices.DeleteFunc(old.RepoTags, func(t string) bool { return normalize(t) == ref })
	}
	f.tags[ref] = img.ID
	if f.images[img.ID] == nil {
		f.images[img.ID] = clone(img)
	}
	f.images[img.ID].RepoTags = append(f.images[img.ID].RepoTags, reference.FamiliarString(mustParse(ref)))
}

func mustParse(ref string) reference.Named {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		panic(err)
	}
	return named
}

// AddImage puts a new image (cfg may be nil) in the engine's store under
// ref, as a build or load does, and returns its ID.
func (f *FakeClient) AddImage(ref string, cfg *dockerspec.DockerOCIImageConfig) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	img := f.newImage(cfg)
	f.tag(ref, img)
	return img.ID
}

// AddPullable publishes a new image (cfg may be nil) under ref in its
// registry, for ImagePull, and returns its ID; publishing again replaces it.
func (f *FakeClient) AddPullable(ref string, cfg *dockerspec.DockerOCIImageConfig) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	img := f.newImage(cfg)
	f.registry[normalize(ref)] = img
	return img.ID
}

// ImageInspect shows an image by reference or ID.
func (f *FakeClient) ImageInspect(_ context.Context, ref string, _ ...client.ImageInspectOption) (image.InspectResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ImageInspect", ref); err != nil {
		return image.InspectResponse{}, err
	}
	img := f.image(ref)
	if img == nil {
		return image.InspectResponse{}, notFound("No such image: %s", ref)
	}
	return clone(*img), nil
}

// DistributionInspect answers what the registry has under ref
// (AddPullable, ImagePush): its digest (the fake's registry knows an image
// by its ID) and platform. A reference the registry does not have fails as
// the engine answers then.
func (f *FakeClient) DistributionInspect(_ context.Context, ref, _ string) (registry.DistributionInspect, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("DistributionInspect", ref); err != nil {
		return registry.DistributionInspect{}, err
	}
	img := f.registry[normalize(ref)]
	if img == nil {
		return registry.DistributionInspect{}, daemonError(errdefs.ErrUnauthenticated, "pull access denied for %s, repository does not exist or may require 'docker login'", reference.FamiliarName(mustParse(ref)))
	}
	return registry.DistributionInspect{
		Descriptor: ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: digest.Digest(img.ID), Size: 1024},
		Platforms:  []ocispec.Platform{{OS: img.Os, Architecture: img.Architecture}},
	}, nil
}

// ImagePull gets what the registry has under ref (AddPullable): the
// stream tells the progress as the engine's does. An image the registry
// does not have fails as the engine answers then.
func (f *FakeClient) ImagePull(_ context.Context, ref string, _ image.PullOptions) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ImagePull", ref); err != nil {
		return nil, err
	}
	img := f.registry[normalize(ref)]
	if img == nil {
		repo, _, _ := strings.Cut(ref, ":")
		return nil, notFound("pull access denied for %s, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", repo)
	}
	status := "Image is up to date for "
	if f.tags[normalize(ref)] != img.ID {
		status = "Downloaded newer image for "
		f.tag(ref, img)
	}
	f.emit(events.ImageEventType, events.ActionPull, ref, map[string]string{"name": ref})
	layer := strings.TrimPrefix(img.ID, "sha256:")[:12]
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, m := range []jsonmessage.JSONMessage{
		{Status: "Pulling from " + reference.FamiliarName(mustParse(ref)), ID: "latest"},
		{Status: "Downloading", ID: layer, Progress: &jsonmessage.JSONProgress{Current: 512, Total: 1024}},
		{Status: "Pull complete", ID: layer},
		{Status: "Digest: " + img.ID},
		{Status: "Status: " + status + ref},
	} {
		_ = enc.Encode(m)
	}
	return io.NopCloser(&buf), nil
}

// ImageRemove untags a reference (every tag, given an ID: with Force
// when there are several), and deletes the image once it has no tag
// left, which an image a container uses needs Force for.
func (f *FakeClient) ImageRemove(_ context.Context, ref string, o image.RemoveOptions) ([]image.DeleteResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ImageRemove", ref); err != nil {
		return nil, err
	}
	img := f.image(ref)
	if img == nil {
		return nil, notFound("No such image: %s", ref)
	}
	untag := []string{normalize(ref)}
	if f.tags[untag[0]] != img.ID {
		untag = nil
		for name, id := range f.tags {
			if id == img.ID {
				untag = append(untag, name)
			}
		}
		if len(untag) > 1 && !o.Force {
			return nil, conflict("conflict: unable to delete %s (must be forced) - image is referenced in multiple repositories", img.ID[7:19])
		}
	}
	if len(untag) == len(img.RepoTags) && !o.Force {
		for _, c := range f.containers {
			if c.Image == img.ID {
				return nil, conflict("conflict: unable to remove repository reference %q (must force) - container %s is using its referenced image %s", ref, c.ID[:12], img.ID[7:19])
			}
		}
	}
	var out []image.DeleteResponse
	for _, name := range untag {
		delete(f.tags, name)
		img.RepoTags = slices.DeleteFunc(img.RepoTags, func(t string) bool { return normalize(t) == name })
		out = append(out, image.DeleteResponse{Untagged: reference.FamiliarString(mustParse(name))})
		f.emit(events.ImageEventType, events.ActionUnTag, img.ID, map[string]string{"name": name})
	}
	if len(img.RepoTags) == 0 {
		delete(f.images, img.ID)
		out = append(out, image.DeleteResponse{Deleted: img.ID})
		f.emit(events.ImageEventType, events.ActionDelete, img.ID, map[string]string{"name": ref})
	}
	return out, nil
}

// ImageList lists the images, those with the labels o's label filters
// name ("KEY" or "KEY=VALUE") when there are any.
func (f *FakeClient) ImageList(_ context.Context, o image.ListOptions) ([]image.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ImageList", ""); err != nil {
		return nil, err
	}
	var out []image.Summary
	for id, img := range f.images {
		var labels map[string]string
		if img.Config != nil {
			labels = img.Config.Labels
		}
		ok := true
		for _, l := range o.Filters.Get("label") {
			k, v, hasValue := strings.Cut(l, "=")
			got, has := labels[k]
			ok = ok && has && (!hasValue || got == v)
		}
		if ok {
			out = append(out, image.Summary{ID: id, Labels: labels, RepoTags: f.tagsOf(id)})
		}
	}
	slices.SortFunc(out, func(a, b image.Summary) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (f *FakeClient) tagsOf(id string) []string {
	var out []string
	for ref, i := range f.tags {
		if i == id {
			out = append(out, ref)
		}
	}
	slices.Sort(out)
	return out
}
