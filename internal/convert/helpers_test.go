package convert

import (
	"testing"

	"github.com/devstack/devstack/internal/composetest"
)

// The compose literals and loader the tests share (package composetest).
var (
	svc     = composetest.Service
	project = composetest.Project
	load    = composetest.Load
)

func eq[T any](t *testing.T, got, want T) { t.Helper(); composetest.Equal(t, got, want) }
