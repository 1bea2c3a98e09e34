package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/kube"
	"github.com/devstack/devstack/internal/kube/wire"
)

func newConvertCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "convert",
		Short: "Convert the project for another platform (kubernetes)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newConvertKubernetesCmd(g))
	return cmd
}

type kubeMapFlags struct{ wire.MapOptions }

func (f *kubeMapFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.LoadBalancer, "load-balancer", false, "make services with published ports type LoadBalancer (default NodePort)")
	fl.StringVar(&f.StorageClass, "storage-class", "", "storage class of the named volumes' PersistentVolumeClaims (default: the cluster's)")
	fl.StringVar(&f.VolumeSize, "volume-size", "1Gi", "size each named volume's PersistentVolumeClaim requests")
	fl.BoolVar(&f.DependsOnInit, "depends-on-init", false, "give each service's pods an init container per depends_on service that waits until it is ready (also when the manifests are applied by another tool)")
	fl.StringVar(&f.InitImage, "depends-on-init-image", "", "run those init containers in this image, which must have sh and nc (or bash), getent or nslookup (default: the service's own image; implies --depends-on-init)")
}

// options are the mapping options the flags give.
func (f *kubeMapFlags) options() wire.MapOptions {
	o := f.MapOptions
	o.DependsOnInit = o.DependsOnInit || o.InitImage != ""
	return o
}

func newConvertKubernetesCmd(g *globals) *cobra.Command {
	var f kubeMapFlags
	var dir string
	cmd := &cobra.Command{
		Use:     "kubernetes [SERVICE...]",
		Aliases: []string{"k8s"},
		Short:   "Write the project (or the named services and what they depend on) as Kubernetes manifests",
		Long: `Write the project as Kubernetes manifests, as devstack deploy --kubernetes
applies them: a Deployment per service (a StatefulSet for one replica that
mounts a named volume, a DaemonSet for deploy.mode: global, a Job for
replicated-job), a Service per service (NodePort for published ports),
ConfigMaps and Secrets named by their content, PersistentVolumeClaims and
NetworkPolicies for the compose networks. docs/kubernetes.md has the whole
mapping.

The manifests go to stdout as one YAML stream, or with -o DIR one file per
object, numbered in apply order (kubectl apply -f DIR). Every compose key
that is not mapped, or mapped otherwise than compose means it, is reported
on stderr with the reason. The files the project names (configs, secrets,
bind-mounted project files) are read here. Runs the devstack-kube helper;
talks to no cluster.

kubectl apply starts every pod at once, where deploy --kubernetes applies
level by level in depends_on order: --depends-on-init gives each service's
pods an init container per dependency (wait-DEPENDENCY) that waits until
a pod of it is ready, so that its pods wait in Init whoever applies them.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConvertKubernetes(cmd.Context(), g, f, dir, args)
		},
	}
	cmd.Flags().StringVarP(&dir, "output", "o", "", "write one file per object into this directory (default: one stream on stdout)")
	cmd.Flags().StringVarP(&f.Namespace, "namespace", "n", "", "set this namespace on every object (default: none, kubectl's)")
	f.add(cmd)
	return cmd
}

func runConvertKubernetes(ctx context.Context, g *globals, f kubeMapFlags, dir string, services []string) error {
	_, p, err := g.load(ctx, services)
	if err != nil {
		return err
	}
	req, err := kube.ProjectRequest(wire.OpConvert, p)
	if err != nil {
		return err
	}
	req.Map = f.options()
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	first := true
	return kube.Run(ctx, req, kube.Handlers{
		Note: func(n wire.Note) { fmt.Fprintln(g.stderr, "note: "+n.String()) },
		Manifest: func(m wire.Manifest) error {
			if dir != "" {
				return os.WriteFile(filepath.Join(dir, m.File), []byte(m.YAML), 0o644)
			}
			if !first {
				fmt.Fprintln(g.stdout, "---")
			}
			first = false
			_, err := fmt.Fprint(g.stdout, m.YAML)
			return err
		},
	})
}
