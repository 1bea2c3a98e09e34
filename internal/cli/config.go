package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v4"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/atomicfile"
	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/convert"
)

// configOptions are `config`'s flags, spelled as docker compose spells them.
type configOptions struct {
	format, output, hash                      string
	quiet, noInterpolate                      bool
	services, volumes, networks, profiles, im bool
}

func newConfigCmd(g *globals) *cobra.Command {
	var o configOptions
	cmd := &cobra.Command{
		Use:   "config [SERVICE...]",
		Short: "Print the resolved project (interpolated, merged, normalised) as YAML or JSON",
		Long: "Print the resolved project as a compose file that loads back to the same project:\n" +
			"every $ is written $$, as docker compose writes it (not with --no-interpolate).",
		RunE: func(cmd *cobra.Command, args []string) error {
			listing := o.services || o.volumes || o.networks || o.profiles || o.im || o.hash != ""
			if o.noInterpolate && !listing {
				return g.configModel(cmd, o)
			}
			full, p, err := g.load(cmd.Context(), args)
			if err != nil {
				return err
			}
			// As compose: the networks and volumes no service uses are left out.
			p = p.WithoutUnnecessaryResources()
			if o.quiet {
				return nil
			}
			if lines, ok, err := configList(full, p, o); ok || err != nil {
				if err != nil {
					return err
				}
				return g.writeConfig(o, []byte(lines))
			}
			var b []byte
			switch o.format {
			case "yaml", "":
				b, err = p.MarshalYAML()
			case "json":
				b, err = p.MarshalJSON()
			default:
				return fmt.Errorf("unknown --format %q: use yaml or json", o.format)
			}
			if err != nil {
				return err
			}
			return g.writeConfig(o, bytes.ReplaceAll(b, []byte("$"), []byte("$$")))
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "yaml", "output format: yaml or json")
	f.StringVarP(&o.output, "output", "o", "", "save to file (default: stdout)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "only validate; print nothing")
	f.BoolVar(&o.noInterpolate, "no-interpolate", false, "don't interpolate environment variables")
	f.BoolVar(&o.services, "services", false, "print the service names, one per line")
	f.BoolVar(&o.volumes, "volumes", false, "print the volume names, one per line")
	f.BoolVar(&o.networks, "networks", false, "print the network names, one per line")
	f.BoolVar(&o.profiles, "profiles", false, "print the profile names, one per line")
	f.BoolVar(&o.im, "images", false, "print the image names, one per line")
	f.StringVar(&o.hash, "hash", "", `print the config hash of the services ("*" or a comma-separated list), one "service hash" per line`)
	return cmd
}

// configList renders the one-per-line listings of the selected project
// (profiles: of the full one); ok is false when none was asked for.
func configList(full, p *types.Project, o configOptions) (string, bool, error) {
	var lines []string
	switch {
	case o.services:
		lines = p.ServiceNames()
	case o.volumes:
		for k := range p.Volumes {
			lines = append(lines, k)
		}
	case o.networks:
		for k := range p.Networks {
			lines = append(lines, k)
		}
	case o.profiles:
		seen := map[string]bool{}
		for _, s := range full.AllServices() {
			for _, pr := range s.Profiles {
				if !seen[pr] {
					seen[pr] = true
					lines = append(lines, pr)
				}
			}
		}
	case o.im:
		apply.DefaultImageNames(p)
		for _, s := range p.Services {
			lines = append(lines, s.Image)
		}
	case o.hash != "":
		var err error
		if lines, err = configHashes(p, o.hash); err != nil {
			return "", true, err
		}
	default:
		return "", false, nil
	}
	sort.Strings(lines)
	if len(lines) == 0 {
		return "", true, nil
	}
	return strings.Join(lines, "\n") + "\n", true, nil
}

// configHashes gives "service hash" for the named services ("*": all):
// the config hash devstack labels their containers with.
func configHashes(p *types.Project, which string) ([]string, error) {
	names := p.ServiceNames()
	if which != "*" {
		names = strings.Split(which, ",")
	}
	var out []string
	for _, n := range names {
		s, ok := p.Services[n]
		if !ok {
			return nil, compose.UnknownServiceError(p, []string{n})
		}
		files, err := apply.ServiceFiles(p, s)
		if err != nil {
			return nil, err
		}
		out = append(out, n+" "+convert.ConfigHash(s, files))
	}
	return out, nil
}

// configModel prints the merged model without interpolation, as docker
// compose does for --no-interpolate (no $ escaping: the ${VAR} stay).
func (g *globals) configModel(cmd *cobra.Command, o configOptions) error {
	m, err := compose.LoadModel(cmd.Context(), g.Options)
	if err != nil || o.quiet {
		return err
	}
	var b []byte
	switch o.format {
	case "yaml", "":
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err = enc.Encode(m); err == nil {
			err = enc.Close()
		}
		b = buf.Bytes()
	case "json":
		b, err = json.MarshalIndent(m, "", "  ")
	default:
		return fmt.Errorf("unknown --format %q: use yaml or json", o.format)
	}
	if err != nil {
		return err
	}
	return g.writeConfig(o, b)
}

func (g *globals) writeConfig(o configOptions, b []byte) error {
	if o.output != "" {
		return atomicfile.Write(o.output, b, 0o644)
	}
	_, err := g.stdout.Write(b)
	return err
}
