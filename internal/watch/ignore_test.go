package watch

import "testing"

func TestEditorTemp(t *testing.T) {
	for name, want := range map[string]bool{
		"4913": true, "5036": true, "4914": false, "123": false,
		".index.html.swp": true, ".index.html.swo": true, ".x.swx": true, "index.html~": true,
		"index.html___jb_tmp___": true, "index.html___jb_old___": true,
		"#index.html#": true, ".#index.html": true, "#": false,
		"index.html": false, "swp": false, "notes.txt": false, "a#b": false,
	} {
		if got := EditorTemp(name); got != want {
			t.Errorf("EditorTemp(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestMatcher(t *testing.T) {
	m, err := NewMatcher("/p/web", []string{"node_modules/", "*.log", "tmp/**", "!tmp/keep.txt"}, nil, "/p/web", []string{"secret.txt", "build"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		dir  bool
		want bool
	}{
		{"/p/web/index.html", false, false},
		{"/p/web/src/app.js", false, false},
		{"/p/web", true, false},
		{"/p/other/x.html", false, true},  // outside the trigger's path
		{"/p/webx/x.html", false, true},   // a sibling that shares the prefix
		{"/p/web/.git/HEAD", false, true}, // .git always
		{"/p/web/.git", true, true},       //
		{"/p/web/sub/.git/config", false, true},
		{"/p/web/node_modules", true, true}, // trigger ignore
		{"/p/web/node_modules/x/y.js", false, true},
		{"/p/web/app.log", false, true},
		{"/p/web/src/app.log", false, false}, // dockerignore semantics: *.log is top level
		{"/p/web/secret.txt", false, true},   // .dockerignore
		{"/p/web/build/out.js", false, true},
		{"/p/web/.index.html.swp", false, true}, // editor
		{"/p/web/4913", false, true},
	} {
		if got := m.Ignored(c.path, c.dir); got != c.want {
			t.Errorf("Ignored(%s) = %v, want %v", c.path, got, c.want)
		}
	}
	if !m.SkipDir("/p/web/.git") {
		t.Error(".git is not skipped")
	}
	if m.SkipDir("/p/web/node_modules") {
		t.Error("node_modules skipped although an exclusion (!tmp/keep.txt) could bring files back")
	}
}

func TestMatcherSkipDirWithoutExclusions(t *testing.T) {
	m, err := NewMatcher("/p", []string{"node_modules"}, nil, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !m.SkipDir("/p/node_modules") {
		t.Error("ignored node_modules is watched")
	}
	if m.SkipDir("/p/src") {
		t.Error("src is skipped")
	}
}

func TestMatcherInclude(t *testing.T) {
	m, err := NewMatcher("/p/src", nil, []string{"*.js", "static/**"}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"/p/src/a.js":         false,
		"/p/src/deep/er/b.js": false, // no slash: the name at any depth
		"/p/src/a.css":        true,
		"/p/src/static/x.png": false,
		"/p/src/static/d/y":   false,
	} {
		if got := m.Ignored(path, false); got != want {
			t.Errorf("Ignored(%s) = %v, want %v", path, got, want)
		}
	}
	if m.Ignored("/p/src/deep", true) {
		t.Error("a directory is ignored by include patterns; files below it could match")
	}
}

func TestMatcherBadPattern(t *testing.T) {
	if _, err := NewMatcher("/p", nil, []string{"[x"}, "", nil); err == nil {
		t.Error("a malformed include pattern is accepted")
	}
}
