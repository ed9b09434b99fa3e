package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// applyFile reads the YAML file at path onto c. It is strict: an unknown
// key, a value of the wrong type, or a duplicate key is a problem reported
// with the file, line and key, and every such problem is collected.
func applyFile(c *Config, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return []string{fmt.Sprintf("config file: %v", err)}
	}
	return applyYAML(c, path, data)
}

func applyYAML(c *Config, name string, data []byte) []string {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file is an empty configuration
		}
		return []string{fmt.Sprintf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return []string{fmt.Sprintf("%s: more than one YAML document; put everything in one", name)}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil
	}
	d := decoder{file: name}
	d.mapping(root, reflect.ValueOf(c).Elem(), "")
	return d.problems
}

type decoder struct {
	file     string
	problems []string
}

func (d *decoder) problem(n *yaml.Node, path, format string, args ...any) {
	where := fmt.Sprintf("%s:%d", d.file, n.Line)
	if path != "" {
		where += ": " + path
	}
	d.problems = append(d.problems, where+": "+fmt.Sprintf(format, args...))
}

// mapping decodes a YAML mapping onto the struct v, key by key, so that each
// problem can name its key and line.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, prefix string) {
	if n.Kind != yaml.MappingNode {
		d.problem(n, strings.TrimSuffix(prefix, "."), "must be a mapping of keys to values")
		return
	}
	fields := map[string]int{}
	for i := 0; i < v.NumField(); i++ {
		if k := yamlKey(v.Type().Field(i)); k != "" {
			fields[k] = i
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		path := prefix + k.Value
		if first, dup := seen[k.Value]; dup {
			d.problem(k, "", "duplicate key %q (first at line %d)", path, first)
			continue
		}
		seen[k.Value] = k.Line
		fi, ok := fields[k.Value]
		if !ok {
			d.problem(k, "", "unknown key %q (known here: %s)", path, knownKeys(fields, prefix))
			continue
		}
		f := v.Field(fi)
		if val.Kind == yaml.AliasNode && val.Alias != nil {
			val = val.Alias
		}
		if f.Kind() == reflect.Struct {
			if val.Tag == "!!null" {
				continue
			}
			d.mapping(val, f, path+".")
			continue
		}
		d.leaf(val, f, path)
	}
}

// leaf decodes one value, checking its shape first so that the message
// says what was expected rather than how YAML failed.
func (d *decoder) leaf(n *yaml.Node, f reflect.Value, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return // "key:" with nothing keeps the default
	}
	switch f.Kind() {
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.problem(n, path, "%s is not true or false", describe(n))
			return
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.problem(n, path, "must be a single value, not %s", describe(n))
			return
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.problem(n, path, "must be a list, e.g. [%s]", "https://a.example.com")
			return
		}
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode {
				d.problem(it, path, "list items must be single values, not %s", describe(it))
				return
			}
		}
	}
	if err := n.Decode(f.Addr().Interface()); err != nil {
		d.problem(n, path, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	default:
		return fmt.Sprintf("%q", n.Value)
	}
}

func knownKeys(fields map[string]int, prefix string) string {
	ks := make([]string, 0, len(fields))
	for k := range fields {
		ks = append(ks, prefix+k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}
