package worker

import (
	"context"
	"strings"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/progress"
)

type recorded struct {
	mu sync.Mutex
	l  []string
}

func (e *recorded) Event(ev progress.Event) {
	if ev.Kind == progress.KindObject {
		e.mu.Lock()
		e.l = append(e.l, ev.Name+" "+ev.Status)
		e.mu.Unlock()
	}
}

func (e *recorded) String() string { return strings.Join(e.l, "\n") }

const oneLevel = `
services:
  web:
    image: nginx
    ports: ["30080:80"]
    configs: [site]
  extra:
    image: busybox
configs:
  site: {content: "v1"}
`

func mapOrFail(t *testing.T, yaml string) mapping.Result {
	t.Helper()
	r, err := mapping.Map(mapping.Input{Project: loadProject(t, yaml), Files: map[string][]byte{"config:site": []byte(configContent(yaml))}}, wire.MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func configContent(yaml string) string {
	if strings.Contains(yaml, `"v2"`) {
		return "v2"
	}
	return "v1"
}

func patches(c *fake.Clientset) int {
	n := 0
	for _, a := range c.Actions() {
		if a.GetVerb() == "patch" {
			n++
		}
	}
	return n
}

// A deploy applies every object; a second of the same project applies
// none; a changed config makes a new ConfigMap, drops the old one and
// updates the Deployment; --prune deletes a service's objects no longer
// in the project; rm removes everything.
func TestApplyUnchangedPruneRm(t *testing.T) {
	ctx := context.Background()
	cs := fake.NewClientset()
	c := &Cluster{Client: cs, Namespace: "demo"}
	r := mapOrFail(t, oneLevel)
	var ev recorded
	if err := c.Apply(ctx, "demo", r, wire.DeployOptions{Detach: true}, &ev); err != nil {
		t.Fatal(err)
	}
	if got := patches(cs); got != len(r.Objects) {
		t.Fatalf("first deploy: %d patches, want %d (one per object)\n%s", got, len(r.Objects), ev.String())
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, "demo", metav1.GetOptions{}); err != nil {
		t.Fatalf("namespace not made: %v", err)
	}
	dep, err := cs.AppsV1().Deployments("demo").Get(ctx, "web", metav1.GetOptions{})
	if err != nil || dep.Annotations[mapping.AnnotationHash] == "" || dep.Labels[mapping.LabelManagedBy] != "devstack" {
		t.Fatalf("deployment web: %v %v", err, dep)
	}

	cs.ClearActions()
	if err := c.Apply(ctx, "demo", mapOrFail(t, oneLevel), wire.DeployOptions{Detach: true}, &ev); err != nil {
		t.Fatal(err)
	}
	if got := patches(cs); got != 0 {
		t.Fatalf("unchanged deploy sent %d patches, want 0", got)
	}

	cs.ClearActions()
	ev.l = nil
	changed := strings.Replace(oneLevel, `"v1"`, `"v2"`, 1)
	changed = strings.Replace(changed, "  extra:\n    image: busybox\n", "", 1)
	if err := c.Apply(ctx, "demo", mapOrFail(t, changed), wire.DeployOptions{Detach: true, Prune: true}, &ev); err != nil {
		t.Fatal(err)
	}
	log := ev.String()
	for _, want := range []string{"Deployment/web Updated", "Service/web Unchanged", "Deployment/extra Removed", "Service/extra Removed"} {
		if !strings.Contains(log, want) {
			t.Errorf("changed deploy lacks %q:\n%s", want, log)
		}
	}
	cms, _ := cs.CoreV1().ConfigMaps("demo").List(ctx, metav1.ListOptions{})
	if len(cms.Items) != 1 || !strings.HasPrefix(cms.Items[0].Name, "site-") {
		t.Errorf("config maps after the change: %v, want only the new one", cms.Items)
	}

	if err := c.Rm(ctx, "demo", true, &ev); err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		names, err := k.list(ctx, cs, "demo", metav1.ListOptions{})
		if err != nil || len(names) > 0 {
			t.Errorf("after rm: %s %v %v", k.name, names, err)
		}
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, "demo", metav1.GetOptions{}); err == nil {
		t.Errorf("rm -v left the namespace devstack made")
	}
	if err := c.Rm(ctx, "demo", false, &ev); err == nil || !strings.Contains(err.Error(), "nothing of project demo") {
		t.Errorf("rm of nothing: %v", err)
	}
}

// A cluster that refuses a write is one clear error naming the namespace.
func TestApplyForbidden(t *testing.T) {
	cs := fake.NewClientset()
	cs.PrependReactor("patch", "*", func(a k8stesting.Action) (bool, runtimeObject, error) {
		return true, nil, forbidden(a)
	})
	c := &Cluster{Client: cs, Namespace: "locked"}
	err := c.Apply(context.Background(), "demo", mapOrFail(t, oneLevel), wire.DeployOptions{Detach: true}, progress.Discard)
	if err == nil || !strings.Contains(err.Error(), "in namespace locked") || !strings.Contains(err.Error(), "forbidden") {
		t.Fatalf("got %v", err)
	}
}

// deploy rm keeps the claims; rm -v afterwards removes them (they are all
// that is left of the project), and then there is nothing to remove.
func TestRmVolumesAfterRm(t *testing.T) {
	ctx := context.Background()
	cs := fake.NewClientset()
	c := &Cluster{Client: cs, Namespace: "demo"}
	r := mapOrFail(t, "services: {db: {image: pg, volumes: [data:/d]}}\nvolumes: {data: {}}")
	var ev recorded
	if err := c.Apply(ctx, "demo", r, wire.DeployOptions{Detach: true}, &ev); err != nil {
		t.Fatal(err)
	}
	if err := c.Rm(ctx, "demo", false, &ev); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().PersistentVolumeClaims("demo").Get(ctx, "data", metav1.GetOptions{}); err != nil {
		t.Fatalf("rm removed the claim: %v", err)
	}
	ev.l = nil
	if err := c.Rm(ctx, "demo", true, &ev); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ev.String(), "PersistentVolumeClaim/data Removed") {
		t.Errorf("rm -v after rm:\n%s", ev.String())
	}
	if err := c.Rm(ctx, "demo", true, &ev); err == nil || !strings.Contains(err.Error(), "nothing of project demo") {
		t.Errorf("rm -v of nothing: %v", err)
	}
}
