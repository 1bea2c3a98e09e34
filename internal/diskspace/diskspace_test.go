package diskspace

import (
	"errors"
	"testing"
)

func TestOf(t *testing.T) {
	free, total, err := Of(t.TempDir())
	if errors.Is(err, ErrUnknown) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || free > total {
		t.Fatalf("free %d of total %d", free, total)
	}
	if _, _, err := Of("/no/such/dir"); err == nil {
		t.Fatal("no error for a missing directory")
	}
}
