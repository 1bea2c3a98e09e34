//go:build !windows

package receiver

import (
	"archive/tar"
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFrames: whatever bytes arrive, reading frames and a batch's tar
// stream ends (with an error or at the end) without a panic, and a frame
// written reads back the same; so do the host's readings of what a
// container answers (listings, sums, batches sent back). Seeds in testdata/fuzz/FuzzFrames.
func FuzzFrames(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind byte, payload, stream []byte) {
		var b bytes.Buffer
		if err := writeFrame(&b, kind, payload); err != nil {
			t.Fatal(err)
		}
		k, p, err := readFrame(&b)
		if err != nil || k != kind || !bytes.Equal(p, payload) {
			t.Fatalf("frame %q %q read back as %q %q %v", kind, payload, k, p, err)
		}
		if got := splitPaths(joinPaths(splitPaths(payload))); len(payload) > 0 && !bytes.Equal(joinPaths(got), payload) {
			t.Fatalf("paths %q do not round-trip: %q", payload, got)
		}
		r := bufio.NewReader(bytes.NewReader(stream))
		for i := 0; ; i++ {
			if _, _, err := readFrame(r); err != nil {
				break
			}
			if i > len(stream) {
				t.Fatal("more frames than bytes")
			}
		}
		s := &tarStream{r: bufio.NewReader(bytes.NewReader(stream))}
		if n, err := io.Copy(io.Discard, s); n > int64(len(stream)) {
			t.Fatalf("a tar stream of %d bytes read %d (%v)", len(stream), n, err)
		}
		// What a container sends the host: listings, sums, batches back.
		if stats, err := decodeStats(payload); err == nil {
			if again, err := decodeStats(appendStats(nil, stats)); err != nil || len(again) != len(stats) {
				t.Fatalf("listing %q does not round-trip: %v", payload, err)
			}
		}
		_, _ = decodeSums(payload, len(stream)%5)
		_ = ReadBack(bufio.NewReader(bytes.NewReader(stream)), func(tr *tar.Reader) error {
			for {
				if _, err := tr.Next(); err != nil {
					return nil
				}
			}
		})
	})
}

// answerKinds are the frames a receiver may write after its hello:
// answers, and the batches a follow sends back.
var answerKinds = string([]byte{frameOK, frameFail, frameFull, frameData, frameBatch, frameTar, frameEnd, frameAbort})

// FuzzServe: the receiver, fed any byte stream (raw, or a batch whose
// deletes and tar stream are arbitrary; raw streams may ask for listings,
// hashes and a follow), answers in well-formed frames, returns, and never
// writes or deletes outside its root. Seeds in
// testdata/fuzz/FuzzServe.
func FuzzServe(f *testing.F) {
	f.Fuzz(func(t *testing.T, framed bool, deletes string, stream []byte) {
		dir := t.TempDir()
		root := filepath.Join(dir, "root")
		canary := filepath.Join(dir, "canary")
		for _, d := range []string{root, filepath.Join(root, "app")} {
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(canary, []byte("outside"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(dir, filepath.Join(root, "up")); err != nil {
			t.Fatal(err)
		}
		in := stream
		if framed {
			var b bytes.Buffer
			w := bufio.NewWriter(&b)
			_ = WriteBatch(w, []string{deletes}, func(tw io.Writer) error { _, err := tw.Write(stream); return err })
			in = b.Bytes()
		}
		var out bytes.Buffer
		_ = Serve(bytes.NewReader(in), &out, root)
		kind, _, err := readFrame(&out)
		if err != nil || kind != frameHello {
			t.Fatalf("no hello: %q %v", kind, err)
		}
		for {
			kind, _, err := readFrame(&out)
			if err == io.EOF {
				break
			}
			if err != nil || !strings.ContainsRune(answerKinds, rune(kind)) {
				t.Fatalf("answer %q %v", kind, err)
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(canary); err != nil || string(b) != "outside" || len(entries) != 2 {
			t.Fatalf("the receiver changed what is outside its root: %v %q, %d entries", err, b, len(entries))
		}
	})
}
