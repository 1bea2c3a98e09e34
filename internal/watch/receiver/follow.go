package receiver

import (
	"archive/tar"
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// FollowRequest is frameFollow's payload: send back the regular files
// below Dir (a container directory) whose paths relative to it match one
// of Globs, each time they are written, and the paths of Send at once.
type FollowRequest struct {
	Dir   string   `json:"dir"`
	Globs []string `json:"globs"`
	Send  []string `json:"send,omitempty"`
}

// maxBack is the largest file sent back; larger ones are left alone.
const maxBack = 64 << 20

// MatchGlob reports whether rel (a slash path) or one of its parent
// directories matches glob: path.Match per path element, and "**" for any
// number of elements. "gen", "gen/**" and "**/*.lock" are globs.
func MatchGlob(glob, rel string) bool {
	parts := strings.Split(rel, "/")
	g := strings.Split(strings.Trim(glob, "/"), "/")
	for n := len(parts); n > 0; n-- {
		if matchParts(g, parts[:n]) {
			return true
		}
	}
	return false
}

func matchParts(g, p []string) bool {
	if len(g) == 0 {
		return len(p) == 0
	}
	if g[0] == "**" {
		for i := 0; i <= len(p); i++ {
			if matchParts(g[1:], p[i:]) {
				return true
			}
		}
		return false
	}
	if len(p) == 0 {
		return false
	}
	ok, err := path.Match(g[0], p[0])
	return err == nil && ok && matchParts(g[1:], p[1:])
}

// matchAny: one of the globs matches rel.
func matchAny(globs []string, rel string) bool {
	for _, g := range globs {
		if MatchGlob(g, rel) {
			return true
		}
	}
	return false
}

// serveFollow runs frameFollow: it answers frameOK once the container
// directory is watched (frameFail, and returns, when it cannot be), sends
// the request's Send paths, then every batch of written files that match,
// as batches of the host's own kind (no deletes, a tar stream of the files
// named relative to Dir, frameEnd), until the host's side of the stream
// ends. Symlinks are never sent nor followed.
func serveFollow(r *os.Root, root string, br *bufio.Reader, bw *bufio.Writer, payload []byte) error {
	var req FollowRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		return answer(bw, frameFail, "follow request: "+err.Error())
	}
	dir := RelPath(req.Dir)
	n, err := newNotifier(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return answer(bw, frameFail, fmt.Sprintf("follow %s: %v", req.Dir, err))
	}
	defer n.close()
	if err := answer(bw, frameOK, ""); err != nil {
		return err
	}
	stop := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, br); close(stop) }()
	first := map[string]bool{}
	for _, p := range req.Send {
		first[strings.Trim(path.Clean("/"+p), "/")] = true
	}
	for changed := first; ; {
		if err := sendBack(r, bw, dir, req.Globs, changed); err != nil {
			return err
		}
		if changed = n.wait(stop); changed == nil {
			return nil
		}
	}
}

// sendBack sends the files of changed (relative to dir) that match globs
// as one batch; nothing when none does.
func sendBack(r *os.Root, bw *bufio.Writer, dir string, globs []string, changed map[string]bool) error {
	var rels []string
	for rel := range changed {
		if rel != "" && !strings.HasPrefix(path.Base(rel), TmpPrefix) && matchAny(globs, rel) {
			rels = append(rels, rel)
		}
	}
	if len(rels) == 0 {
		return nil
	}
	sort.Strings(rels)
	err := WriteBatch(bw, nil, func(w io.Writer) error {
		tw := tar.NewWriter(w)
		for _, rel := range rels {
			if err := tarBack(tw, r, path.Join(dir, rel), rel); err != nil {
				return err
			}
		}
		return tw.Close()
	})
	if errors.Is(err, ErrBroken) {
		return err
	}
	return nil // a batch abandoned: the host goes on
}

// tarBack writes one regular file to the stream; a file that is not one
// (any more), or is too large, is left out.
func tarBack(tw *tar.Writer, r *os.Root, full, rel string) error {
	f, err := openRegular(r, full)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() > maxBack {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(f, maxBack))
	if err != nil {
		return nil
	}
	hdr := &tar.Header{Name: rel, Typeflag: tar.TypeReg, Mode: int64(fi.Mode().Perm()), Size: int64(len(data)),
		ModTime: fi.ModTime(), Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = tw.Write(data)
	return err
}

// MatchBelow reports whether glob may match paths below the directory dir
// (slash path): its leading elements match dir's.
func MatchBelow(glob, dir string) bool {
	return matchPrefix(strings.Split(strings.Trim(glob, "/"), "/"), strings.Split(dir, "/"))
}

func matchPrefix(g, p []string) bool {
	switch {
	case len(p) == 0:
		return len(g) > 0
	case len(g) == 0:
		return false
	case g[0] == "**":
		return true
	}
	ok, err := path.Match(g[0], p[0])
	return err == nil && ok && matchPrefix(g[1:], p[1:])
}
