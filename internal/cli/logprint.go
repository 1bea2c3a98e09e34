package cli

import (
	"fmt"
	"hash/fnv"
	"io"
	"sync"

	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
)

// logPrinter renders followed logs as lines with coloured `service |`
// prefixes, and a container's exit as a line of its own, as compose does.
type logPrinter struct {
	color, timestamps bool

	mu  sync.Mutex
	w   io.Writer
	pad int // width of the name column
}

// RFC3339NanoFixed is the engine's own timestamp layout (nine digits).
const rfc3339NanoFixed = "2006-01-02T15:04:05.000000000Z07:00"

func (p *logPrinter) Begin(cs []plan.Container) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		p.pad = max(p.pad, len(logs.Line{Service: c.Service, Number: c.Number}.Source()))
	}
}

func (p *logPrinter) Line(l logs.Line) {
	ts := ""
	if p.timestamps && !l.Time.IsZero() {
		ts = l.Time.Format(rfc3339NanoFixed) + " "
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s%s%s\n", p.prefix(l.Service, l.Source()), ts, l.Text)
}

func (p *logPrinter) Exited(ev logs.ContainerEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	name := logs.Line{Service: ev.Service, Number: ev.Number}.Source()
	fmt.Fprintf(p.w, "%s exited with code %s\n", name, ev.ExitCode)
}

func (p *logPrinter) prefix(service, name string) string {
	s := fmt.Sprintf("%-*s |", p.pad, name)
	if !p.color {
		return s + " "
	}
	return colorFor(service) + s + "\x1b[0m "
}

var palette = []string{"\x1b[36m", "\x1b[33m", "\x1b[32m", "\x1b[35m", "\x1b[34m", "\x1b[96m", "\x1b[93m", "\x1b[92m", "\x1b[95m", "\x1b[94m"}

// colorFor gives each service a stable colour.
func colorFor(service string) string {
	h := fnv.New32a()
	h.Write([]byte(service))
	return palette[h.Sum32()%uint32(len(palette))]
}
