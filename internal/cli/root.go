// Package cli is devstack's command line: one file per command, all of
// them thin over the compose and engine packages.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/deploy"
	"github.com/devstack/devstack/internal/registryauth"
)

// ExitError carries a process exit code (e.g. from `exec`) without a message.
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// globals are the flags every command shares.
type globals struct {
	compose.Options
	auth      *registryauth.Store // docker's credentials, read on first use
	waitLock  time.Duration       // how long a changing command waits for another on the project
	context   string              // --context: the docker context whose engine to use
	host      string              // -H/--host: the engine's address, as DOCKER_HOST
	tlsVerify bool                // --tlsverify: as DOCKER_TLS_VERIFY=1
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer
}

// Main runs the command line and returns the process exit code. It is the
// one place where errors become a message and a code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logrus.SetOutput(stderr)
	logrus.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true})

	g := &globals{auth: registryauth.New(""), stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var exit ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Code
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		if intr := (*apply.Interrupted)(nil); errors.As(err, &intr) {
			fmt.Fprintf(stderr, "devstack: %v\n", intr) // the step, and what is left
		} else if st := (*deploy.Stopped)(nil); errors.As(err, &st) {
			fmt.Fprintf(stderr, "devstack: deploy %v\n", st) // what had not converged, what is kept
		} else {
			fmt.Fprintln(stderr, "devstack: interrupted")
		}
		return 130
	}
	fmt.Fprintf(stderr, "devstack: %v\n", err)
	return 1
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "devstack",
		Short: "Local multi-container development stacks on the Docker engine",
		Long: `devstack brings up a local development stack from the project's compose file
(compose.yaml, docker-compose.yml, ... or -f FILE) and from built-in presets
("devstack up nginx mysql redis" needs no compose file; see devstack
presets), driving the Docker Engine API directly. Containers, networks and
volumes carry docker compose's labels, so docker compose and lazydocker see
devstack's stacks too.`,
		SilenceUsage:               true,
		SilenceErrors:              true,
		Args:                       cobra.ArbitraryArgs,
		RunE:                       runRoot,
		SuggestionsMinimumDistance: 2,
	}
	f := root.Flags() // global flags go before the command, as in docker compose: devstack -f x.yml logs -f
	root.TraverseChildren = true
	f.StringArrayVarP(&g.Files, "file", "f", nil, "compose file (repeatable; later files override earlier ones)")
	f.StringVarP(&g.ProjectName, "project-name", "p", "", "project name (default: COMPOSE_PROJECT_NAME, the file's name:, or the directory name)")
	f.StringArrayVar(&g.EnvFiles, "env-file", nil, "environment file for interpolation (repeatable; default: .env in the project directory)")
	f.StringArrayVar(&g.Profiles, "profile", nil, "enable services of this profile (repeatable)")
	f.StringVar(&g.WorkingDir, "project-directory", "", "project directory (default: the first compose file's directory)")
	f.DurationVar(&g.waitLock, "wait-lock", 15*time.Minute, "how long a command that changes the project waits for another devstack changing it (0: fail at once)")
	f.StringVarP(&g.context, "context", "c", "", "docker context whose engine to use (default: DOCKER_HOST, DOCKER_CONTEXT, docker context use, as the docker CLI)")
	f.StringVarP(&g.host, "host", "H", "", "engine address (unix://, tcp://, ssh://), as DOCKER_HOST")
	f.BoolVar(&g.tlsVerify, "tlsverify", false, "use TLS and verify the engine's certificate, as DOCKER_TLS_VERIFY=1 (the files: DOCKER_CERT_PATH or docker's config directory)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return g.engineFlags() }
	root.AddCommand(
		newUpCmd(g), newDownCmd(g), newPsCmd(g), newLogsCmd(g), newExecCmd(g),
		newStartCmd(g), newStopCmd(g), newRestartCmd(g), newConfigCmd(g), newVersionCmd(g),
		newPresetsCmd(g), newInfoCmd(g), newInitCmd(g), newDashCmd(g),
		newWatchCmd(g), newReceiveCmd(g), newSaveCmd(g), newLoadCmd(g),
		newRunCmd(g), newEventsCmd(g), newWaitCmd(g), newCpCmd(g), newAttachCmd(g),
	)
	root.AddCommand( // issue 11: the rest of docker compose's commands
		newBuildCmd(g), newPullCmd(g), newPushCmd(g), newCreateCmd(g), newKillCmd(g), newRmCmd(g),
		newPauseCmd(g), newUnpauseCmd(g), newPortCmd(g), newTopCmd(g), newImagesCmd(g),
		newLsCmd(g), newStatsCmd(g), newScaleCmd(g),
		newDeployCmd(g),   // issue 12: swarm
		newRouterCmd(g),   // issue 22: local HTTPS domains
		newDoctorCmd(g),   // issue 25
		newSnapshotCmd(g), // issue 24: snapshots of named volumes
		newConvertCmd(g),  // issue 26: Kubernetes
	)
	return root
}

// runRoot prints the help for a bare `devstack` and refuses anything else:
// without it cobra shows the help for a typo such as `devstack pul` and
// exits 0 (TraverseChildren skips its own unknown-command check).
func runRoot(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += " (did you mean " + strings.Join(s, " or ") + "?)"
	}
	return fmt.Errorf("%s; run devstack --help for the commands", msg)
}

// engineFlags makes -H and --tlsverify what DOCKER_HOST and
// DOCKER_TLS_VERIFY are, for every part of devstack that finds the engine
// (the lock, the BuildKit helper); -H with --context conflict, as in the
// docker CLI.
func (g *globals) engineFlags() error {
	if g.host != "" && g.context != "" {
		return errors.New("conflicting options: -H/--host and --context name the engine twice; give one")
	}
	if g.host != "" {
		if err := os.Setenv("DOCKER_HOST", g.host); err != nil {
			return err
		}
	}
	if g.tlsVerify {
		return os.Setenv("DOCKER_TLS_VERIFY", "1")
	}
	return nil
}
