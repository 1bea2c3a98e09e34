package manifest

import (
	"errors"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"2026-12-06T13-40-00-main", true},
		{"before_migration+v2", true},
		{"a.b", true},
		{"", false},
		{"a/b", false},
		{"..", false},
		{"a..b", false},
		{".hidden", false},
		{"-flag", false},
		{`a\b`, false},
		{"a b", false},
		{"ünï", false},
		{string(make([]byte, 129)), false},
	} {
		err := CheckName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("CheckName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadName) {
			t.Errorf("CheckName(%q) = %v, not ErrBadName", tc.name, err)
		}
	}
}
