//go:build !windows

package receiver

import (
	"archive/tar"
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostSide drives a Serve running in a goroutine the way the watch does
// through an exec: WriteBatch on its stdin, ReadAck on its stdout.
type hostSide struct {
	in   *io.PipeWriter
	w    *bufio.Writer
	acks *bufio.Reader
	done chan error
}

func startReceive(t *testing.T, root string) *hostSide {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h := &hostSide{in: inW, w: bufio.NewWriter(inW), acks: bufio.NewReader(outR), done: make(chan error, 1)}
	go func() {
		err := Serve(inR, outW, root)
		outW.CloseWithError(io.EOF)
		inR.Close()
		h.done <- err
	}()
	t.Cleanup(func() { inW.Close(); outR.Close(); <-h.done })
	kind, payload, err := readFrame(h.acks)
	if err != nil || kind != frameHello || string(payload) != receiveProtocol {
		t.Fatalf("hello: %q %q %v", kind, payload, err)
	}
	return h
}

// batch sends copies (host files under src, targets below /app) and deletes.
func (h *hostSide) batch(t *testing.T, src string, parents []string, rels []string, deletes ...string) error {
	t.Helper()
	err := WriteBatch(h.w, deletes, hostTar(src, parents, rels, 1234, 5678))
	if err != nil {
		t.Fatalf("WriteBatch: %v", err)
	}
	return ReadAck(h.acks)
}

// hostTar writes a batch's tar stream as the watch does: the parents as
// directories, then the host files under src named by rels as /app/REL, all
// owned by uid:gid.
func hostTar(src string, parents, rels []string, uid, gid int) func(io.Writer) error {
	return func(w io.Writer) error {
		tw := tar.NewWriter(w)
		for _, dir := range parents {
			hdr := &tar.Header{Name: strings.TrimPrefix(dir, "/") + "/", Typeflag: tar.TypeDir, Mode: 0o755, Uid: uid, Gid: gid}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
		}
		for _, rel := range rels {
			if err := tarFile(tw, filepath.Join(src, rel), "app/"+rel, uid, gid); err != nil {
				return err
			}
		}
		return tw.Close()
	}
}

func tarFile(tw *tar.Writer, host, name string, uid, gid int) error {
	fi, err := os.Lstat(host)
	if err != nil {
		return err
	}
	link := ""
	if fi.Mode()&os.ModeSymlink != 0 {
		link, _ = os.Readlink(host)
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return err
	}
	hdr.Name, hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = name, uid, gid, "", ""
	if fi.IsDir() {
		hdr.Name += "/"
	}
	if err := tw.WriteHeader(hdr); err != nil || !fi.Mode().IsRegular() {
		return err
	}
	f, err := os.Open(host)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

func writeFile(t *testing.T, name, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

// checkFile checks a file's content ("" for a directory), owner and mode.
func checkFile(t *testing.T, name, content string, mode os.FileMode) {
	t.Helper()
	fi, err := os.Lstat(name)
	if err != nil {
		t.Error(err)
		return
	}
	if content != "" {
		if data, _ := os.ReadFile(name); string(data) != content {
			t.Errorf("%s holds %q, want %q", name, data, content)
		}
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 1234 || st.Gid != 5678 || fi.Mode() != mode {
		t.Errorf("%s: %d:%d %v, want 1234:5678 %v", name, st.Uid, st.Gid, fi.Mode(), mode)
	}
}

func TestServe(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown needs root")
	}
	src, dst := t.TempDir(), t.TempDir()
	h := startReceive(t, dst)
	app := filepath.Join(dst, "app")

	// New files in new nested directories, a symlink, a directory with a
	// file; /app itself a missing parent.
	writeFile(t, filepath.Join(src, "new/deep/a.txt"), "deep", 0o640)
	writeFile(t, filepath.Join(src, "x.txt"), "one", 0o644)
	writeFile(t, filepath.Join(src, "d/child"), "child", 0o644)
	if err := os.Symlink("new/deep/a.txt", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(src, "x.txt"), old, old); err != nil {
		t.Fatal(err)
	}
	err := h.batch(t, src, []string{"/app"}, []string{"d", "d/child", "link", "new", "new/deep", "new/deep/a.txt", "x.txt"})
	if err != nil {
		t.Fatalf("batch 1: %v", err)
	}
	checkFile(t, app, "", os.ModeDir|0o755)
	checkFile(t, filepath.Join(app, "new/deep"), "", os.ModeDir|0o755)
	checkFile(t, filepath.Join(app, "new/deep/a.txt"), "deep", 0o640)
	checkFile(t, filepath.Join(app, "x.txt"), "one", 0o644)
	checkFile(t, filepath.Join(app, "link"), "deep", os.ModeSymlink|0o777)
	if fi, err := os.Stat(filepath.Join(app, "x.txt")); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("x.txt's time: %v, want %v", fi.ModTime(), old)
	}

	// A changed file, a deleted directory, a directory that became a file.
	writeFile(t, filepath.Join(src, "x.txt"), "two", 0o600)
	os.RemoveAll(filepath.Join(src, "d"))
	writeFile(t, filepath.Join(src, "d"), "now a file", 0o644)
	if err := h.batch(t, src, nil, []string{"d", "x.txt"}, "/app/new"); err != nil {
		t.Fatalf("batch 2: %v", err)
	}
	checkFile(t, filepath.Join(app, "x.txt"), "two", 0o600)
	checkFile(t, filepath.Join(app, "d"), "now a file", 0o644)
	if _, err := os.Lstat(filepath.Join(app, "new")); !os.IsNotExist(err) {
		t.Errorf("/app/new not deleted: %v", err)
	}
	checkNoTemp(t, dst)
	testServeFailures(t, h, src, app)
}

// testServeFailures: a batch that fails, and one the host abandons, are
// answered with their error; the receiver goes on with the next batch.
func testServeFailures(t *testing.T, h *hostSide, src, app string) {
	// x.txt is a file in the container: nothing can go below it.
	os.RemoveAll(filepath.Join(src, "x.txt"))
	writeFile(t, filepath.Join(src, "x.txt/under"), "u", 0o644)
	writeFile(t, filepath.Join(src, "later.txt"), "later", 0o644)
	err := h.batch(t, src, nil, []string{"x.txt/under", "later.txt"})
	if err == nil || errors.Is(err, ErrBroken) || !strings.Contains(err.Error(), "x.txt/under") {
		t.Fatalf("bad batch: %v, want the error of x.txt/under", err)
	}

	err = WriteBatch(h.w, nil, func(w io.Writer) error {
		w.Write(make([]byte, 700)) // half a tar header
		return errors.New("host file unreadable")
	})
	if err == nil || err.Error() != "host file unreadable" {
		t.Fatalf("abandoned batch: WriteBatch says %v", err)
	}
	if err := ReadAck(h.acks); err == nil || !strings.Contains(err.Error(), "host file unreadable") {
		t.Fatalf("abandoned batch: acknowledged with %v", err)
	}

	if err := h.batch(t, src, nil, []string{"later.txt"}); err != nil {
		t.Fatalf("batch after the failures: %v", err)
	}
	checkFile(t, filepath.Join(app, "later.txt"), "later", 0o644)

	h.in.Close() // the end of stdin ends the receiver
	if err := <-h.done; err != nil {
		t.Errorf("Serve at the end of its input: %v", err)
	}
	h.done <- nil // for the cleanup
}

func checkNoTemp(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), TmpPrefix) {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

func TestServeProtocolError(t *testing.T) {
	inR, inW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(inR, io.Discard, t.TempDir()) }()
	go func() { writeFrame(inW, frameTar, []byte("no batch began")); inW.Close() }()
	if err := <-done; !errors.Is(err, ErrProtocol) {
		t.Errorf("Serve: %v, want a protocol error", err)
	}
}
