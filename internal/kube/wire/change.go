package wire

import "time"

// What kind of objects a Change is about: the dashboard's helper (OpDash)
// watches each kind once, label-selected by the project (Events: all of
// the namespace's, which carry no labels).
const (
	KindDeployment  = "Deployment"
	KindStatefulSet = "StatefulSet"
	KindDaemonSet   = "DaemonSet"
	KindJob         = "Job"
	KindService     = "Service"
	KindPod         = "Pod"
	KindEvent       = "Event"
)

// WorkloadKinds are the kinds whose objects a Change carries as Workloads.
var WorkloadKinds = []string{KindDeployment, KindStatefulSet, KindDaemonSet, KindJob}

// What a Change says of its objects.
const (
	ChangeList   = "list"   // the kind's whole set, after each (re)list: it replaces what was known of the kind
	ChangeSet    = "set"    // the objects were added or changed
	ChangeDelete = "delete" // the objects are gone
)

// Change is what a watch of one kind saw. The slice of its kind holds
// the objects (Workloads for the workload kinds).
type Change struct {
	Kind, Type string
	Workloads  []Workload     `json:",omitempty"`
	Services   []ServicePorts `json:",omitempty"`
	Pods       []Pod          `json:",omitempty"`
	Events     []Event        `json:",omitempty"`
}

// Workload is a Deployment, StatefulSet, DaemonSet or Job of the project.
type Workload struct {
	Kind, Name, Service string
	Image               string `json:",omitempty"` // its first container's
	// Desired are the replicas wanted (a DaemonSet's: the nodes it should
	// run on; a Job's: its completions), Ready those ready (a Job's: those
	// that succeeded).
	Desired, Ready int32
	// Rolling says a rollout is under way (pods of an older template
	// remain, or the controller has not seen the newest spec yet).
	Rolling bool   `json:",omitempty"`
	Failed  string `json:",omitempty"` // why it failed (a Job's failure, a rollout's deadline exceeded)
}

// ServicePorts is a Service of the project and the ports it publishes
// on the nodes (NodePort and LoadBalancer Services).
type ServicePorts struct {
	Name, Service, Type string
	Ports               []NodePort `json:",omitempty"`
}

// NodePort is a Service port published on every node.
type NodePort struct {
	NodePort, Port, Target int32
	Proto                  string // tcp, udp, sctp
}

// Event is an Event of the namespace: what happened to an object.
type Event struct {
	Name       string // the Event's own, to tell it apart
	Time       time.Time
	Type       string // Normal, Warning
	Reason     string // BackOff, Unhealthy, Killing, ...
	Message    string
	ObjectKind string // Pod, Deployment, ReplicaSet, ...
	ObjectName string
	Count      int32
}
