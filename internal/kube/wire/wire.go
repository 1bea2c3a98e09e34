// Package wire is the protocol between devstack and its Kubernetes helper,
// devstack-kube: one Request as JSON on the helper's stdin, Replies as
// JSON lines on its stdout. It imports no Kubernetes package, so devstack
// itself links it.
package wire

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/devstack/devstack/internal/progress"
)

// Version numbers the protocol; a helper from another devstack build
// refuses a request of another version instead of misreading it.
const Version = 1

// What a Request asks the helper to do.
const (
	OpConvert = "convert" // map the project and send the manifests and the report
	OpDeploy  = "deploy"  // map the project and apply it to the cluster
	OpPs      = "ps"      // list the project's pods
	OpLogs    = "logs"    // the logs of the project's pods
	OpRm      = "rm"      // remove the project's objects
	OpDash    = "dash"    // watch the project's objects, sending each Change until cancelled
	OpCheck   = "check"   // connect and fail unless the namespace holds objects of the project
)

// Request is one thing the helper does.
type Request struct {
	Version int
	Op      string
	// Project is the resolved compose project (types.Project as JSON), for
	// convert and deploy; ProjectName names it for the other ops.
	Project     json.RawMessage `json:",omitempty"`
	ProjectName string
	// Files are the contents of the files the project names (FileKey),
	// read by devstack; Unread says why one was not.
	Files  map[string][]byte `json:",omitempty"`
	Unread map[string]string `json:",omitempty"`
	Map    MapOptions
	// Images are what the engine knows of the images of the services that
	// build, by service: deploy rolls their pods when it changed (convert
	// sends none).
	Images map[string]Image `json:",omitempty"`
	// Cluster says which cluster and namespace (deploy, ps, logs, rm).
	Cluster Cluster
	Deploy  DeployOptions
	Logs    LogOptions
}

// FileKey is the key of a file's contents in Request.Files: kind is
// "config", "secret" (a top-level config or secret by name) or "bind" (a
// bind mount's source path).
func FileKey(kind, name string) string { return kind + ":" + name }

// MapOptions change how the project is mapped.
type MapOptions struct {
	// Namespace is set on every object; "" leaves it out (convert).
	Namespace string `json:",omitempty"`
	// LoadBalancer makes services with published ports type LoadBalancer
	// rather than NodePort.
	LoadBalancer bool `json:",omitempty"`
	// StorageClass is the PersistentVolumeClaims' class ("" = the cluster's default).
	StorageClass string `json:",omitempty"`
	// VolumeSize is what a PersistentVolumeClaim requests ("" = 1Gi).
	VolumeSize string `json:",omitempty"`
	// DependsOnInit gives each service with depends_on an init container
	// per dependency that waits until it is ready, so that its pods wait
	// whoever applies the manifests.
	DependsOnInit bool `json:",omitempty"`
	// InitImage runs those init containers ("" = the service's own image).
	InitImage string `json:",omitempty"`
}

// Image is a built image as the engine that built it knows it.
type Image struct {
	// ID is the image's ID (sha256:...): its content, whatever its tag.
	ID string `json:",omitempty"`
	// Digest is its manifest's digest in the registry its name names
	// (sha256:...), once pushed there; "" for an image only on the engine.
	Digest string `json:",omitempty"`
}

// Cluster names the kubeconfig context ("" = its current one) and the
// namespace ("" = the project's name).
type Cluster struct {
	Context   string `json:",omitempty"`
	Namespace string `json:",omitempty"`
}

// DeployOptions change what a deploy does.
type DeployOptions struct {
	Detach  bool          `json:",omitempty"` // return once applied, without waiting for the last level
	Prune   bool          `json:",omitempty"` // delete the project's objects that are no longer in it
	Partial bool          `json:",omitempty"` // only some services: nothing is pruned
	Volumes bool          `json:",omitempty"` // rm: the PersistentVolumeClaims (and devstack's namespace) too
	Timeout time.Duration `json:",omitempty"` // 0: wait as long as it takes
}

// LogOptions select the logs.
type LogOptions struct {
	Services []string `json:",omitempty"`
	Follow   bool     `json:",omitempty"`
	Tail     int64    `json:",omitempty"` // lines from the end of each pod's log; <0 all
}

// Note is a compose key the mapping did not map (or mapped differently
// than compose means it), and why. Service is "" for top-level keys.
type Note struct {
	Service, Key, Message string
}

func (n Note) String() string {
	if n.Service == "" {
		return n.Key + ": " + n.Message
	}
	return "service " + n.Service + ": " + n.Key + ": " + n.Message
}

// Manifest is one object as YAML: File is the file name convert -o gives it.
type Manifest struct {
	File, Kind, Name string
	YAML             string
}

// Pod is one pod of the project, as deploy ps and the dashboard show it.
type Pod struct {
	Name, Service, Node, Phase, Ready, Reason, IP string
	Restarts                                      int32
	Started                                       time.Time
	// LastEnd is why a container of the pod last ended ("Error (exit 3)"),
	// "" when none did.
	LastEnd string `json:",omitempty"`
}

// LogLine is one line of a pod's log.
type LogLine struct {
	Service, Pod, Text string
}

// Reply is one JSON line of the helper's stdout; the last one of a failed
// request carries the error and the sentinel it wraps.
type Reply struct {
	Event    *progress.Event `json:",omitempty"`
	Note     *Note           `json:",omitempty"`
	Manifest *Manifest       `json:",omitempty"`
	Pod      *Pod            `json:",omitempty"`
	Log      *LogLine        `json:",omitempty"`
	Change   *Change         `json:",omitempty"`
	Error    string          `json:",omitempty"`
	Kind     string          `json:",omitempty"`
}

var (
	// ErrHelperVersion means devstack-kube comes from another devstack build.
	ErrHelperVersion = errors.New("devstack-kube is from another devstack build")
	// ErrNoCluster means no cluster is configured or it does not answer.
	ErrNoCluster = errors.New("no Kubernetes cluster")
	// ErrForbidden means the cluster refused what devstack asked for.
	ErrForbidden = errors.New("forbidden by the cluster")
	// ErrImage means no node can get a service's image.
	ErrImage = errors.New("image cannot be pulled")
	// ErrFailed means a service's pods keep failing or its job failed.
	ErrFailed = errors.New("pods keep failing")
	// ErrInvalid means the project cannot be mapped.
	ErrInvalid = errors.New("cannot be mapped to Kubernetes")
	// ErrNoDeployment means the namespace holds nothing of the project.
	ErrNoDeployment = errors.New("no such deployment")
)

var kinds = map[string]error{
	"version": ErrHelperVersion, "cluster": ErrNoCluster, "forbidden": ErrForbidden,
	"image": ErrImage, "failed": ErrFailed, "invalid": ErrInvalid, "none": ErrNoDeployment,
}

// ErrorReply is err as the helper's last line.
func ErrorReply(err error) Reply {
	r := Reply{Error: err.Error()}
	for k, sentinel := range kinds {
		if errors.Is(err, sentinel) {
			r.Kind = k
		}
	}
	return r
}

// Err is the error an error reply stands for, wrapping the sentinel it named.
func (r Reply) Err() error { return &helperError{msg: r.Error, sentinel: kinds[r.Kind]} }

type helperError struct {
	msg      string
	sentinel error
}

func (e *helperError) Error() string { return e.msg }
func (e *helperError) Unwrap() error { return e.sentinel }
