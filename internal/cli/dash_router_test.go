package cli

import (
	"context"
	"testing"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
)

// Each dashboard action on services is followed by the router's refresh,
// failed or not.
func TestRoutedActionsRefreshAfterEach(t *testing.T) {
	n := 0
	a := routedActions{apply.ServiceActions{API: dockerapi.NewFakeClient(), Project: "p"}, func(context.Context) { n++ }}
	ctx := context.Background()
	_ = a.Restart(ctx, "web")
	_ = a.Stop(ctx, "web")
	_ = a.RestartAll(ctx)
	if n != 3 {
		t.Errorf("%d refreshes after 3 actions", n)
	}
}
