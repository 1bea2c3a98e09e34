package tui

import (
	"hash/fnv"
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// styles are the dashboard's looks. Without colour (NO_COLOR, not a
// terminal) every style renders plain text and the layout carries meaning
// on its own: markers, words, column positions.
type styles struct {
	color    bool
	r        *lipgloss.Renderer
	title    lipgloss.Style
	header   lipgloss.Style
	selected lipgloss.Style
	dim      lipgloss.Style
	good     lipgloss.Style
	warn     lipgloss.Style
	bad      lipgloss.Style
	key      lipgloss.Style
	match    lipgloss.Style
	current  lipgloss.Style
	palette  []lipgloss.Style
}

func newStyles(color bool) styles {
	r := lipgloss.NewRenderer(io.Discard)
	if color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := styles{color: color, r: r}
	s.title = r.NewStyle().Bold(true)
	s.header = r.NewStyle().Bold(true).Underline(color)
	s.selected = r.NewStyle().Reverse(color)
	s.dim = r.NewStyle().Faint(color)
	s.good = r.NewStyle().Foreground(lipgloss.Color("2"))
	s.warn = r.NewStyle().Foreground(lipgloss.Color("3"))
	s.bad = r.NewStyle().Foreground(lipgloss.Color("1")).Bold(color)
	s.key = r.NewStyle().Bold(color)
	s.match = r.NewStyle().Reverse(color)
	s.current = r.NewStyle().Background(lipgloss.Color("3")).Foreground(lipgloss.Color("0"))
	for _, c := range []string{"6", "3", "2", "5", "4", "14", "11", "10", "13", "12"} {
		s.palette = append(s.palette, r.NewStyle().Foreground(lipgloss.Color(c)))
	}
	return s
}

// service gives each service a stable colour.
func (s styles) service(name string) lipgloss.Style {
	h := fnv.New32a()
	h.Write([]byte(name))
	return s.palette[h.Sum32()%uint32(len(s.palette))]
}

// state colours a container state.
func (s styles) state(state string) lipgloss.Style {
	switch state {
	case "running":
		return s.good
	case "restarting", "created", "paused", "removing":
		return s.warn
	}
	return s.bad
}

func (s styles) health(h string) lipgloss.Style {
	switch h {
	case "healthy":
		return s.good
	case "starting":
		return s.warn
	case "unhealthy":
		return s.bad
	}
	return s.dim
}
