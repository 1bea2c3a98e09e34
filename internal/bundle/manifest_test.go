package bundle

import (
	"errors"
	"os"
	"path/filepath"
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
		{`{"format": 4, "devstack": "9.0.0", "project": "p", "members": [{"bogus": true}]}`, ErrNewerFormat, "format 4 (written by devstack 9.0.0)"},
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

// The manifest is untrusted: its project name, compose and env files and
// empty directories are refused before anything is loaded, each naming
// the field.
func TestDecodeManifestFields(t *testing.T) {
	const head = `{"format": 2, "devstack": "t", `
	for _, tc := range []struct {
		fields string
		err    error
		msg    string
	}{
		{`"project": "app_1-x", "compose_files": ["compose.yaml", "sub/c.yml"], "env_files": ["e.env"], "empty_dirs": ["data"]`, nil, ""},
		{`"project": "/etc/cron.d"`, ErrInvalidName, `field project: "/etc/cron.d" is not a project name`},
		{`"project": "../x"`, ErrInvalidName, `field project: "../x"`},
		{`"project": ".."`, ErrInvalidName, `field project: ".."`},
		{`"project": ""`, ErrInvalidName, `field project: ""`},
		{`"project": "App"`, ErrInvalidName, `field project: "App"`},
		{`"project": "-x"`, ErrInvalidName, `field project: "-x"`},
		{`"project": "p", "compose_files": ["../outside/compose.yaml"]`, ErrUnsafePath, `field compose_files: "../outside/compose.yaml" contains ..`},
		{`"project": "p", "compose_files": ["/etc/x.yaml"]`, ErrUnsafePath, `field compose_files: "/etc/x.yaml" is not a relative path`},
		{`"project": "p", "env_files": ["../secret.env"]`, ErrUnsafePath, `field env_files: "../secret.env" contains ..`},
		{`"project": "p", "empty_dirs": ["../../tmp/x"]`, ErrUnsafePath, `field empty_dirs: "../../tmp/x" contains ..`},
		{`"project": "p", "empty_dirs": ["a\\b"]`, ErrUnsafePath, `backslash`},
	} {
		_, err := DecodeManifest([]byte(head + tc.fields + `, "members": []}`))
		if tc.err == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.fields, err)
			}
			continue
		}
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), ManifestName) {
			t.Errorf("%s: got %v, want %v mentioning %s and %q", tc.fields, err, tc.err, ManifestName, tc.msg)
		}
	}
}

func TestTargetDir(t *testing.T) {
	wd, _ := os.Getwd()
	if got, err := TargetDir(Manifest{Project: "app"}, ""); err != nil || got != filepath.Join(wd, "app") {
		t.Errorf("TargetDir = %s, %v; want %s", got, err, filepath.Join(wd, "app"))
	}
	if got, err := TargetDir(Manifest{Project: "app"}, "/srv/x"); err != nil || got != "/srv/x" {
		t.Errorf("TargetDir with a directory = %s, %v", got, err)
	}
	if _, err := TargetDir(Manifest{Project: ".."}, ""); !errors.Is(err, ErrInvalidName) {
		t.Errorf("TargetDir(..) = %v, want ErrInvalidName", err)
	}
}
