package deploy

import (
	"context"
	"fmt"
)

// checkImage makes sure some node can get image: it is on this engine (a
// one-node swarm, or an image loaded on every node), or the engine finds
// it in its registry. Otherwise every task would be rejected.
func checkImage(ctx context.Context, api API, service, image, auth string) error {
	if _, err := api.ImageInspect(ctx, image); err == nil {
		return nil
	}
	if _, err := api.DistributionInspect(ctx, image, auth); err != nil {
		return fmt.Errorf("service %s: %w: %s is not on this engine and its registry does not give it: %v", service, ErrImage, image, err)
	}
	return nil
}
