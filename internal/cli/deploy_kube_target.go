package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/kube/wire"
)

// kubeTarget is deploy's --kubernetes, --kube-context (--context after the
// command) and --namespace, which its ps, logs and rm, and dash, share.
//
// --context means two things in devstack: before the command it is the
// docker context (the engine), as for every command; deploy took it after
// the command as the kubeconfig context. --kube-context (helm's and
// skaffold's name) names the kubeconfig context anywhere after the
// command and implies --kubernetes; --context there stays its kubectl
// spelling. A docker context given to a command that talks only to the
// cluster is refused, naming --kube-context: it was surely meant for it.
type kubeTarget struct {
	on          bool
	kubeContext string
	wire.Cluster
	cmd *cobra.Command // whose root holds the docker --context
}

func (k *kubeTarget) add(cmd *cobra.Command) {
	k.cmd = cmd
	fl := cmd.PersistentFlags()
	fl.BoolVar(&k.on, "kubernetes", false, "deploy to the Kubernetes cluster of the kubeconfig (KUBECONFIG or ~/.kube/config) instead of a swarm")
	fl.StringVar(&k.kubeContext, "kube-context", "", "the kubeconfig context (default: its current context); implies --kubernetes")
	fl.StringVar(&k.Context, "context", "", "with --kubernetes: the same as --kube-context (the docker context goes before the command: devstack --context NAME deploy)")
	fl.StringVarP(&k.Namespace, "namespace", "n", "", "with --kubernetes: the namespace (default: the project's name; made when missing)")
}

// check is checkFor a command that talks only to the cluster.
func (k *kubeTarget) check() error { return k.checkFor(false) }

// checkFor refuses the Kubernetes-only flags without --kubernetes, two
// Kubernetes contexts, and a docker context before a command that uses no
// engine on Kubernetes (usesEngine: deploy, which builds there); it makes
// Cluster.Context the one context given.
func (k *kubeTarget) checkFor(usesEngine bool) error {
	if k.kubeContext != "" && k.Context != "" && k.kubeContext != k.Context {
		return fmt.Errorf("--kube-context %s and --context %s name two Kubernetes contexts: give one", k.kubeContext, k.Context)
	}
	if k.kubeContext != "" {
		k.on, k.Context = true, k.kubeContext
	}
	if !k.on && (k.Context != "" || k.Namespace != "") {
		return errors.New("--context and --namespace name a Kubernetes context and namespace: add --kubernetes, or name the context with --kube-context (the docker context goes before the command: devstack --context NAME deploy)")
	}
	if d := k.dockerContext(); k.on && !usesEngine && d != "" {
		return fmt.Errorf("--context %s before the command names a docker context, which this command does not use on Kubernetes: name the Kubernetes context with --kube-context %s", d, d)
	}
	return nil
}

// dockerContext is the docker context given before the command
// (devstack --context NAME deploy ...), "" when none was.
func (k *kubeTarget) dockerContext() string {
	if k.cmd == nil {
		return ""
	}
	if f := k.cmd.Root().Flags().Lookup("context"); f != nil && f.Changed {
		return f.Value.String()
	}
	return ""
}
