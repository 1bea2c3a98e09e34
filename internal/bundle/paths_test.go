package bundle

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"project/compose.yaml", true},
		{"project/conf/nginx.conf", true},
		{"images/abc/layer.tar", true},
		{"images/blobs/sha256/abc", true},
		{ManifestName, true},
		{"project/dir/", true},
		{"", false},
		{"/etc/passwd", false},
		{"project/../../etc/passwd", false},
		{"..", false},
		{"project/..", false},
		{"project/./x", false},
		{"project//x", false},
		{"project\\..\\x", false},
		{"compose.yaml", false},
		{"other/x", false},
	} {
		err := CheckName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("CheckName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrUnsafePath) {
			t.Errorf("CheckName(%q) = %v, want ErrUnsafePath", tc.name, err)
		}
	}
}

func TestCheckMemberLinks(t *testing.T) {
	for _, tc := range []struct {
		m  Member
		ok bool
	}{
		{Member{Name: "images/a/layer.tar", Type: TypeSymlink, Link: "../b/layer.tar"}, true},
		{Member{Name: "images/a/layer.tar", Type: TypeSymlink, Link: "../../project/x"}, false},
		{Member{Name: "images/a/layer.tar", Type: TypeSymlink, Link: "../../../etc/passwd"}, false},
		{Member{Name: "images/a/layer.tar", Type: TypeSymlink, Link: "/etc/passwd"}, false},
		{Member{Name: "project/x", Type: TypeSymlink, Link: "y"}, false},
		{Member{Name: "project/x", Type: "fifo"}, false},
		{Member{Name: "project/x", Type: TypeFile}, true},
	} {
		if err := CheckMember(tc.m); (err == nil) != tc.ok {
			t.Errorf("CheckMember(%+v) = %v, want ok=%v", tc.m, err, tc.ok)
		}
	}
}

func TestProjectRel(t *testing.T) {
	dir := filepath.FromSlash("/work/app")
	for _, tc := range []struct {
		abs, want string
		outside   bool
	}{
		{"/work/app/compose.yaml", "compose.yaml", false},
		{"/work/app/conf/a.conf", "conf/a.conf", false},
		{"/work/app..x/a", "", true},
		{"/work/other/a", "", true},
		{"/etc/passwd", "", true},
		{"/work/app", ".", false},
	} {
		got, err := ProjectRel(dir, filepath.FromSlash(tc.abs), "config x")
		if tc.outside {
			if !errors.Is(err, ErrOutsideProject) {
				t.Errorf("ProjectRel(%s) = %q, %v; want ErrOutsideProject", tc.abs, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ProjectRel(%s) = %q, %v; want %q", tc.abs, got, err, tc.want)
		}
	}
}

func TestCheckNameSaysWhy(t *testing.T) {
	for name, want := range map[string]string{
		`project\x`:    "backslash",
		"/etc/passwd":  "not a relative path",
		"project/../x": "contains ..",
	} {
		if err := CheckName(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckName(%q) = %v, want it to say %q", name, err, want)
		}
	}
}
