package deploy

import (
	"slices"
	"testing"

	"github.com/docker/docker/api/types/swarm"
)

func node(host string, role swarm.NodeRole, labels map[string]string, avail swarm.NodeAvailability) swarm.Node {
	return swarm.Node{
		ID:          "id-" + host,
		Spec:        swarm.NodeSpec{Role: role, Availability: avail, Annotations: swarm.Annotations{Labels: labels}},
		Description: swarm.NodeDescription{Hostname: host, Platform: swarm.Platform{OS: "linux", Architecture: "x86_64"}},
		Status:      swarm.NodeStatus{State: swarm.NodeStateReady},
	}
}

func TestPlaceable(t *testing.T) {
	nodes := []swarm.Node{
		node("node1", swarm.NodeRoleManager, nil, swarm.NodeAvailabilityActive),
		node("node2", swarm.NodeRoleWorker, map[string]string{"zone": "a"}, swarm.NodeAvailabilityActive),
		node("node3", swarm.NodeRoleWorker, map[string]string{"zone": "b"}, swarm.NodeAvailabilityDrain),
	}
	for _, tc := range []struct {
		constraints []string
		want        []string
	}{
		{nil, []string{"node1", "node2"}},
		{[]string{"node.role==worker"}, []string{"node2"}},
		{[]string{"node.role != manager"}, []string{"node2"}},
		{[]string{"node.labels.zone==A"}, []string{"node2"}},
		{[]string{"node.labels.zone==b"}, nil}, // drained
		{[]string{"node.labels.zone==mars"}, nil},
		{[]string{"node.labels.zone!=a"}, []string{"node1"}},
		{[]string{"node.hostname==node1", "node.role==worker"}, nil},
		{[]string{"node.platform.os==linux"}, []string{"node1", "node2"}},
		{[]string{"node.id==id-node2"}, []string{"node2"}},
		{[]string{"something.else==x"}, []string{"node1", "node2"}}, // left to the engine
	} {
		if got := placeable(tc.constraints, nodes); !slices.Equal(got, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.constraints, got, tc.want)
		}
	}
}
