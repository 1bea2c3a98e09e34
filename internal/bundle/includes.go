package bundle

import (
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v4"
)

// composeRefs lists the files a compose file names besides itself: the
// paths and env_files of its include: entries and the file: of services'
// extends:, resolved against the file's directory. A file that does not
// parse names nothing (the loader has accepted it already).
func composeRefs(file string) []string {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var doc struct {
		Include  []yaml.Node `yaml:"include"`
		Services map[string]struct {
			Extends yaml.Node `yaml:"extends"`
		} `yaml:"services"`
	}
	if yaml.Unmarshal(b, &doc) != nil {
		return nil
	}
	dir := filepath.Dir(file)
	var refs []string
	add := func(paths ...string) {
		for _, p := range paths {
			if p == "" {
				continue
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			refs = append(refs, p)
		}
	}
	for _, inc := range doc.Include {
		if inc.Kind == yaml.ScalarNode {
			add(inc.Value)
			continue
		}
		var long struct {
			Path    stringOrList `yaml:"path"`
			EnvFile stringOrList `yaml:"env_file"`
		}
		if inc.Decode(&long) == nil {
			add(long.Path...)
			add(long.EnvFile...)
		}
	}
	for _, s := range doc.Services {
		var ext struct {
			File string `yaml:"file"`
		}
		if s.Extends.Kind == yaml.MappingNode && s.Extends.Decode(&ext) == nil {
			add(ext.File)
		}
	}
	return refs
}

// stringOrList is a YAML string or list of strings.
type stringOrList []string

func (s *stringOrList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = []string{n.Value}
		return nil
	}
	var list []string
	err := n.Decode(&list)
	*s = list
	return err
}
