package receiver

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

func frames(t *testing.T, fs ...any) *bufio.Reader {
	t.Helper()
	var b bytes.Buffer
	for i := 0; i < len(fs); i += 2 {
		if err := writeFrame(&b, fs[i].(byte), []byte(fs[i+1].(string))); err != nil {
			t.Fatal(err)
		}
	}
	return bufio.NewReader(&b)
}

func TestTarStream(t *testing.T) {
	r := frames(t, byte(frameTar), "abc", byte(frameTar), "", byte(frameTar), "def", byte(frameEnd), "", byte(frameOK), "")
	s := &tarStream{r: r}
	got, err := io.ReadAll(s)
	if err != nil || string(got) != "abcdef" {
		t.Fatalf("read %q, %v", got, err)
	}
	if err := s.finish(); err != nil {
		t.Errorf("finish after frameEnd: %v", err)
	}
	if kind, _, _ := readFrame(r); kind != frameOK {
		t.Errorf("the stream is not in step after the batch: next frame %q", kind)
	}
}

func TestTarStreamEnds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		r     *bufio.Reader
		want  error
		fatal bool
	}{
		{"abandoned", frames(t, byte(frameTar), "abc", byte(frameAbort), "disk on fire"), abortError{"disk on fire"}, false},
		{"foreign frame", frames(t, byte(frameTar), "abc", byte(frameOK), ""), ErrProtocol, true},
		{"cut in a frame", bufio.NewReader(strings.NewReader("T\x00\x00\x00\x09abc")), io.ErrUnexpectedEOF, true},
		{"cut between frames", frames(t, byte(frameTar), "abc"), io.ErrUnexpectedEOF, true},
		{"huge frame", bufio.NewReader(strings.NewReader("T\xff\xff\xff\xff")), ErrProtocol, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &tarStream{r: tc.r}
			err := s.finish()
			if !errors.Is(err, tc.want) && err != tc.want {
				t.Errorf("finish: %v, want %v", err, tc.want)
			}
			if fatal(err) != tc.fatal {
				t.Errorf("fatal(%v) = %v", err, fatal(err))
			}
		})
	}
}

func TestChunkWriter(t *testing.T) {
	var b bytes.Buffer
	cw := &chunkWriter{w: &b}
	data := bytes.Repeat([]byte("x"), 2*chunkBytes+100)
	if n, err := cw.Write(data); n != len(data) || err != nil {
		t.Fatalf("write %d, %v", n, err)
	}
	var sizes []int
	for b.Len() > 0 {
		kind, payload, err := readFrame(&b)
		if err != nil || kind != frameTar {
			t.Fatalf("frame %q, %v", kind, err)
		}
		sizes = append(sizes, len(payload))
	}
	if want := []int{chunkBytes, chunkBytes, 100}; !slices.Equal(sizes, want) {
		t.Errorf("frames of %v bytes, want %v", sizes, want)
	}
}

func TestPathsPayload(t *testing.T) {
	for _, paths := range [][]string{nil, {"/a"}, {"/a b", "/c\nd", "/e"}} {
		if got := splitPaths(joinPaths(paths)); !slices.Equal(got, paths) {
			t.Errorf("%q came back as %q", paths, got)
		}
	}
}

func TestReadAck(t *testing.T) {
	if err := ReadAck(frames(t, byte(frameOK), "")); err != nil {
		t.Errorf("ok: %v", err)
	}
	err := ReadAck(frames(t, byte(frameFail), "mkdir /x: read-only file system"))
	if err == nil || errors.Is(err, ErrBroken) || err.Error() != "mkdir /x: read-only file system" {
		t.Errorf("fail: %v", err)
	}
	if err := ReadAck(frames(t)); !errors.Is(err, ErrBroken) {
		t.Errorf("end of stream: %v, want ErrBroken", err)
	}
	if err := ReadAck(frames(t, byte(frameTar), "")); !errors.Is(err, ErrBroken) {
		t.Errorf("foreign frame: %v, want ErrBroken", err)
	}
}
