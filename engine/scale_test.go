package engine

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseScale(t *testing.T) {
	services := []string{"web", "db"}
	for _, tc := range []struct {
		args []string
		want map[string]int
		err  string
	}{
		{[]string{"web=3"}, map[string]int{"web": 3}, ""},
		{[]string{"web=0", "db=2"}, map[string]int{"web": 0, "db": 2}, ""},
		{nil, nil, "at least one SERVICE=N"},
		{[]string{"web"}, nil, `"web" is not SERVICE=N`},
		{[]string{"=3"}, nil, `"=3" is not SERVICE=N`},
		{[]string{"web=-1"}, nil, "whole number"},
		{[]string{"web=two"}, nil, "whole number"},
		{[]string{"web=2", "cache=1"}, nil, "no service cache (services: web, db)"},
		{[]string{"web=2", "web=3"}, nil, "named twice"},
	} {
		got, err := ParseScale(tc.args, services)
		if tc.err != "" {
			if !errors.Is(err, ErrBadScale) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseScale(%q) error = %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseScale(%q) = %v, %v; want %v", tc.args, got, err, tc.want)
		}
	}
}

func TestParseSignal(t *testing.T) {
	for in, want := range map[string]string{"HUP": "SIGHUP", "sigterm": "SIGTERM", "SIGUSR1": "SIGUSR1", "9": "9", "kill": "SIGKILL"} {
		if got, err := ParseSignal(in); err != nil || got != want {
			t.Errorf("ParseSignal(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"NOPE", "SIG", "0", "65", "-1", ""} {
		if _, err := ParseSignal(in); !errors.Is(err, ErrBadSignal) {
			t.Errorf("ParseSignal(%q) error = %v, want ErrBadSignal", in, err)
		}
	}
}
