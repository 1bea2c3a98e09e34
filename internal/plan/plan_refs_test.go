package plan

import (
	"testing"

	"github.com/devstack/devstack/internal/convert"
)

func TestMakePlanReferences(t *testing.T) {
	p := load(t, `
services:
  db: {image: img, labels: {v: "2"}}
  side: {image: img, network_mode: "service:db"}
  reader: {image: img, volumes_from: ["db:ro"]}
  linker: {image: img, links: [db]}
`)
	// Each existing container carries the hash it was created with: its
	// references resolved to db's container then.
	oldDB := Container{ID: "db-old", Name: "demo-db-1", Service: "db", Number: 1, State: "running", ImageID: "sha256:img"}
	have := func(name string, db Container) Container {
		s := p.Services[name]
		return Container{ID: name + "id", Name: convert.ContainerName("demo", s, 1), Service: name, Number: 1, State: "running",
			ImageID: "sha256:img", Hash: convert.ConfigHash(convert.ResolvedService(s, map[string][]convert.Ref{"db": {db.Ref()}}), nil)}
	}
	images := map[string]string{"db": "sha256:img", "side": "sha256:img", "reader": "sha256:img", "linker": "sha256:img"}
	plan := func(db Container) string {
		cs := []Container{db, have("side", oldDB), have("reader", oldDB), have("linker", oldDB)}
		pl, err := MakePlan(Desired{Project: p, ImageIDs: images, Known: p.ServiceNames()},
			&Observed{Containers: cs, Networks: map[string]string{"demo_default": "n"}}, PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return pl.String()
	}

	// db's config changed: it is recreated, and so are the containers that
	// name it by ID; the linker (by name) restarts, as depends_on restart:
	// true, which compose-go gives links, says.
	oldDB.Hash = "stale"
	eq(t, plan(oldDB), `container:demo-db-1 RecreateContainer, config hash changed
container:demo-linker-1 Restart, dependency db updated
container:demo-reader-1 RecreateContainer, service db replaced
container:demo-side-1 RecreateContainer, service db replaced
`)

	// db was replaced by an earlier up: their hashes no longer match.
	newDB := oldDB
	newDB.ID, newDB.Hash = "db-new", convert.ServiceHash(p.Services["db"])
	eq(t, plan(newDB), `container:demo-db-1 Keep
container:demo-linker-1 Keep
container:demo-reader-1 RecreateContainer, config hash changed
container:demo-side-1 RecreateContainer, config hash changed
`)

	// Nothing changed: nothing to do.
	oldDB.Hash = convert.ServiceHash(p.Services["db"])
	eq(t, plan(oldDB), `container:demo-db-1 Keep
container:demo-linker-1 Keep
container:demo-reader-1 Keep
container:demo-side-1 Keep
`)
}
