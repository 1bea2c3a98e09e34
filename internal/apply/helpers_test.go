package apply

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
)

func running(s types.ServiceConfig, n int) plan.Container {
	return plan.Container{ID: s.Name + "id", Name: convert.ContainerName("demo", s, n), Service: s.Name, Number: n, State: "running", Hash: convert.ServiceHash(s), ImageID: "sha256:img"}
}

// The compose literals and loader the tests share (package composetest).
var (
	svc     = composetest.Service
	project = composetest.Project
	load    = composetest.Load
)

func eq[T any](t *testing.T, got, want T) { t.Helper(); composetest.Equal(t, got, want) }
