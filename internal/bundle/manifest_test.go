package bundle

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeManifestFormat(t *testing.T) {
	for _, tc := range []struct {
		json string
		err  error
		msg  string
	}{
		{`{"format": 1, "devstack": "0.1.0", "project": "p", "members": []}`, nil, ""},
		{`{"format": 3, "devstack": "9.0.0", "project": "p", "members": [{"bogus": true}]}`, ErrNewerFormat, "format 3 (written by devstack 9.0.0)"},
		{`{"devstack": "0.1.0"}`, ErrCorrupt, "no format version"},
		{`{"format": 1`, ErrCorrupt, ManifestName},
		{`{"format": 1, "members": [{"name": "project/a", "type": "file"}, {"name": "project/a", "type": "file"}]}`, ErrCorrupt, "twice"},
		{`{"format": 1, "members": [{"name": "project/../a", "type": "file"}]}`, ErrUnsafePath, ".."},
	} {
		_, err := DecodeManifest([]byte(tc.json))
		if tc.err == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.json, err)
			}
			continue
		}
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want %v mentioning %q", tc.json, err, tc.err, tc.msg)
		}
	}
}

func TestManifestProjectFiles(t *testing.T) {
	m := Manifest{Members: []Member{
		{Name: "images/a/layer.tar", Type: TypeFile, Size: 10},
		{Name: "images/b", Type: TypeDir},
		{Name: "project/compose.yaml", Type: TypeFile, Size: 3},
		{Name: "project/conf/x", Type: TypeFile, Size: 4},
	}}
	var names []string
	for _, f := range m.ProjectFiles() {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, ","); got != "compose.yaml,conf/x" {
		t.Errorf("ProjectFiles = %s", got)
	}
	if m.ImageBytes() != 10 {
		t.Errorf("ImageBytes = %d", m.ImageBytes())
	}
}
