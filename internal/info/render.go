// Package info renders what a developer needs to use a running service:
// its URLs and host:port, credentials and ready-to-paste app settings, from
// the x-devstack templates presets carry and the ports actually published.
package info

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/presets"
)

// Service is what `devstack info` shows for one service.
type Service struct {
	Name        string
	Description string
	Addresses   []string // host:port (or URL) per published port
	Lines       []string // rendered info lines: URLs, credentials
	Env         []string // KEY=value app settings, sorted
}

// Render fills the service's templates. ports maps "target/proto" to the
// host port actually published (from the engine); missing ones fall back to
// the configured port.
func Render(project string, s types.ServiceConfig, ports map[string]int) (Service, error) {
	out := Service{Name: s.Name}
	m, err := presets.MetaOf(s.Extensions)
	if err != nil {
		return out, fmt.Errorf("service %s: %w", s.Name, err)
	}
	out.Description = m.Description
	port := func(target int) (string, error) {
		if p, ok := ports[portKey(int(target), "tcp")]; ok {
			return strconv.Itoa(p), nil
		}
		for _, pc := range s.Ports {
			if int(pc.Target) == target && pc.Published != "" {
				return pc.Published, nil
			}
		}
		return "", fmt.Errorf("container port %d is not published", target)
	}
	funcs := template.FuncMap{
		"port":    port,
		"project": func() string { return project },
		"service": func() string { return s.Name },
		"env": func(k string) string {
			if v := s.Environment[k]; v != nil {
				return *v
			}
			return ""
		},
	}
	render := func(text string) (string, error) {
		t, err := template.New(s.Name).Funcs(funcs).Parse(text)
		if err != nil {
			return "", fmt.Errorf("service %s: %s template %q: %w", s.Name, presets.Extension, text, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, nil); err != nil {
			return "", fmt.Errorf("service %s: %w", s.Name, err)
		}
		return b.String(), nil
	}
	for _, l := range m.Info {
		r, err := render(l)
		if err != nil {
			return out, err
		}
		out.Lines = append(out.Lines, r)
	}
	for k, v := range m.Env {
		r, err := render(v)
		if err != nil {
			return out, err
		}
		out.Env = append(out.Env, k+"="+r)
	}
	sort.Strings(out.Env)
	if len(out.Lines) == 0 { // a preset's info lines already say where it is
		out.Addresses = addresses(s, ports)
	}
	return out, nil
}

// portKey is how ports are keyed: "target/proto", as the engine writes them.
func portKey(port int, proto string) string { return strconv.Itoa(port) + "/" + proto }

// addresses lists host:port per published port, as http URLs for the usual web ports.
func addresses(s types.ServiceConfig, ports map[string]int) []string {
	var out []string
	for _, pc := range s.Ports {
		proto := pc.Protocol
		if proto == "" {
			proto = "tcp"
		}
		host := pc.Published
		if p, ok := ports[portKey(int(pc.Target), proto)]; ok {
			host = strconv.Itoa(p)
		}
		if host == "" {
			continue
		}
		ip := pc.HostIP
		if ip == "" || ip == "0.0.0.0" {
			ip = "127.0.0.1"
		}
		addr := ip + ":" + host
		if isWeb(pc.Target) && proto == "tcp" {
			addr = "http://" + addr
		} else if proto != "tcp" {
			addr += "/" + proto
		}
		out = append(out, addr)
	}
	return out
}

func isWeb(target uint32) bool {
	switch target {
	case 80, 8080, 3000, 8000, 8025, 9001, 15672, 5000, 4000, 8888:
		return true
	}
	return false
}

// EnvLines joins every service's app settings, for `info --format env`.
func EnvLines(services []Service) string {
	var b strings.Builder
	for _, s := range services {
		for _, e := range s.Env {
			b.WriteString(e + "\n")
		}
	}
	return b.String()
}
