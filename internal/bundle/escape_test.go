package bundle

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
)

// Names from an archive are untrusted: control characters in them are
// escaped in every message, never sent to the terminal.
func TestNamesEscaped(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "project/a\x1b]0;pwned\x07", Typeflag: tar.TypeChar})
	tw.Close()
	_, err := Verify(bytes.NewReader(buf.Bytes()))
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07") || !strings.Contains(err.Error(), `\x1b]0;pwned\a`) {
		t.Errorf("unsupported type: %q", err)
	}
	archive := writeArchive(t, None, FormatVersion)
	m := Member{Name: "project/x\x1b[2J", Type: TypeFile, Size: 1}
	for _, err := range []error{
		sameMembers(nil, []Member{m}),
		sameMember(Member{Name: m.Name, Type: TypeDir}, m),
		(&guard{size: int64(len(archive)), in: &countingReader{}}).checkDeclared(m.Name, 1<<40),
	} {
		if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07") || !strings.Contains(err.Error(), `\x1b[2J`) {
			t.Errorf("got %q", err)
		}
	}
}
