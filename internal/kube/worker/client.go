// Package worker applies mapped projects to a Kubernetes cluster with
// client-go, and lists, follows and removes what it applied: server-side
// apply with field manager devstack, in depends_on order, waiting for each
// level's readiness through watches. Only the devstack-kube helper links
// it.
package worker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
)

// FieldManager is the field manager of devstack's server-side applies.
const FieldManager = "devstack"

// Cluster is a client and the namespace it works in.
type Cluster struct {
	Client    kubernetes.Interface
	Namespace string
	Host      string
}

// Connect makes a client for the kubeconfig's cluster (KUBECONFIG or
// ~/.kube/config, as kubectl finds it; c.Context or its current context)
// and checks that the cluster answers. The namespace is c.Namespace, else
// the project's name.
func Connect(ctx context.Context, c wire.Cluster, project string) (*Cluster, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	cfg := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: c.Context})
	rc, err := cfg.ClientConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, fmt.Errorf("%w configured: KUBECONFIG or ~/.kube/config names none (kubectl config view)", wire.ErrNoCluster)
		}
		return nil, fmt.Errorf("%w: kubeconfig: %v", wire.ErrNoCluster, err)
	}
	rc.UserAgent = "devstack"
	rc.QPS, rc.Burst = 50, 100
	client, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", wire.ErrNoCluster, err)
	}
	ns := c.Namespace
	if ns == "" {
		ns = project
	}
	cl := &Cluster{Client: client, Namespace: ns, Host: rc.Host}
	if _, err := client.Discovery().ServerVersion(); err != nil {
		return nil, cl.classify(err, "reaching the cluster")
	}
	return cl, nil
}

// classify turns a client error into one clear sentence wrapping the
// sentinel it stands for.
func (c *Cluster) classify(err error, doing string) error {
	var nerr net.Error
	var uerr *url.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case apierrors.IsForbidden(err):
		return fmt.Errorf("%w: %s in namespace %s: %v", wire.ErrForbidden, doing, c.Namespace, apiMessage(err))
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("%w: %s: the cluster at %s does not accept the kubeconfig's credentials", wire.ErrForbidden, doing, c.Host)
	case errors.As(err, &uerr), errors.As(err, &nerr):
		return fmt.Errorf("%w answers at %s (%s): %v", wire.ErrNoCluster, c.Host, doing, err)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

func apiMessage(err error) string {
	var st apierrors.APIStatus
	if errors.As(err, &st) {
		return st.Status().Message
	}
	return err.Error()
}

// projectSelector selects the objects devstack made for project.
func projectSelector(project string) string {
	return mapping.LabelProject + "=" + project + "," + mapping.LabelManagedBy + "=" + mapping.ManagedBy
}

// ensureNamespace creates the namespace when it is missing, labelled as
// devstack's (deploy rm -v removes such a namespace again).
func (c *Cluster) ensureNamespace(ctx context.Context, project string) (bool, error) {
	_, err := c.Client.CoreV1().Namespaces().Get(ctx, c.Namespace, metav1.GetOptions{})
	if err == nil {
		return false, nil
	}
	if apierrors.IsForbidden(err) {
		return false, nil // may not read namespaces: the writes into it will say whether it exists
	}
	if !apierrors.IsNotFound(err) {
		return false, c.classify(err, "reading the namespace")
	}
	ns := nsObject(c.Namespace, project)
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{FieldManager: FieldManager}); err != nil && !apierrors.IsAlreadyExists(err) {
		return false, c.classify(err, "creating namespace "+c.Namespace)
	}
	return true, nil
}
