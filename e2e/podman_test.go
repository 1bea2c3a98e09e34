//go:build linux

package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"time"
)

// baseFromDocker copies baseImage, made from recipe spec, from the
// machine's Docker engine (its default socket, where make test made it)
// into Podman's store under test: `docker save | docker load`, well under a
// minute where debootstrap takes minutes. An error (no Docker engine there,
// no such image, another recipe) leaves the making to debootstrap.
func baseFromDocker(spec string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var local []string // the environment without DOCKER_HOST: the default engine
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOCKER_HOST=") && !strings.HasPrefix(kv, "DOCKER_CONTEXT=") {
			local = append(local, kv)
		}
	}
	inspect := exec.CommandContext(ctx, "docker", "image", "inspect", "-f", `{{index .Config.Labels "`+specLabel+`"}}`, baseImage)
	inspect.Env = local
	have, err := inspect.Output()
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(have)) != spec {
		return errors.New("the Docker engine's " + baseImage + " is of another recipe")
	}
	save := exec.CommandContext(ctx, "docker", "save", baseImage)
	save.Env = local
	load := exec.CommandContext(ctx, "docker", "load", "-q")
	return pipeCommands("docker save", save, "docker load", load)
}
