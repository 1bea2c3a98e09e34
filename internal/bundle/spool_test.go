package bundle

import (
	"io"
	"os"
	"strings"
	"testing"
)

// Files past the memory limit wait in a temporary file, removed at close.
func TestSpool(t *testing.T) {
	s := spool{limit: 10}
	files := []struct {
		m      Member
		body   string
		inFile bool
	}{
		{Member{Name: "project/a", Type: TypeFile, Size: 4}, "aaaa", false},
		{Member{Name: "project/b", Type: TypeFile, Size: 8}, "bbbbbbbb", true},
		{Member{Name: "project/d", Type: TypeDir}, "", false},
		{Member{Name: "project/c", Type: TypeFile, Size: 6}, "cccccc", false},
		{Member{Name: "project/e", Type: TypeFile, Size: 3}, "eee", true},
	}
	for _, f := range files {
		sum, err := s.add(f.m, strings.NewReader(f.body))
		if err != nil || (f.m.Type == TypeFile) != (sum != "") {
			t.Fatalf("%s: %q, %v", f.m.Name, sum, err)
		}
	}
	if s.file == nil {
		t.Fatal("nothing went to a file")
	}
	name := s.file.Name()
	for i, it := range s.items {
		if it.inFile != files[i].inFile {
			t.Errorf("%s: in the file %v, want %v", it.m.Name, it.inFile, files[i].inFile)
		}
		if it.m.Type != TypeFile {
			continue
		}
		b, err := io.ReadAll(s.content(it))
		if err != nil || string(b) != files[i].body {
			t.Errorf("%s: %q, %v", it.m.Name, b, err)
		}
	}
	s.close()
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the temporary file is still there: %v", err)
	}
}

// A project file that does not fit in $TMPDIR's free space is refused
// before anything of it is written there.
func TestSpoolFreeSpace(t *testing.T) {
	s := spool{limit: 1, free: func() (int64, error) { return 10, nil }}
	defer s.close()
	_, err := s.add(Member{Name: "project/big", Type: TypeFile, Size: 100}, strings.NewReader(strings.Repeat("x", 100)))
	if err == nil || !strings.Contains(err.Error(), "project/big") || !strings.Contains(err.Error(), "free") || s.file != nil {
		t.Errorf("got %v, temporary file %v", err, s.file)
	}
}
