package deploy

import (
	"context"
	"fmt"
)

// checkImage makes sure some node can get image: it is on this engine (a
// one-node swarm, or an image loaded on every node), or the engine finds
// it in its registry. Otherwise every task would be rejected. withAuth
// says credentials were given (--with-registry-auth); without, the error
// says that a private registry needs them.
func checkImage(ctx context.Context, api API, service, image, auth string, withAuth bool) error {
	if _, err := api.ImageInspect(ctx, image); err == nil {
		return nil
	}
	if _, err := api.DistributionInspect(ctx, image, auth); err != nil {
		hint := ""
		if !withAuth {
			hint = " (a registry that needs a login: deploy --with-registry-auth)"
		}
		return fmt.Errorf("service %s: %w: %s is not on this engine and its registry does not give it%s: %v", service, ErrImage, image, hint, err)
	}
	return nil
}
