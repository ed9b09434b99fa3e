package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// A setting is one leaf of Config: the file key path, the environment
// variable and the way a text value is parsed all derive from the yaml tags,
// so a new field is a new setting everywhere at once.
type setting struct {
	Path  string // "ari.url"
	Env   string // "RINGSIDE_ARI_URL"
	index []int  // reflect field index from Config
}

// settings lists every leaf of Config in declaration order.
func settings() []setting {
	var out []setting
	var walk func(t reflect.Type, prefix string, index []int)
	walk = func(t reflect.Type, prefix string, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key := yamlKey(f)
			if key == "" {
				continue
			}
			idx := append(append([]int(nil), index...), i)
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, prefix+key+".", idx)
				continue
			}
			path := prefix + key
			out = append(out, setting{
				Path:  path,
				Env:   "RINGSIDE_" + strings.ToUpper(strings.ReplaceAll(path, ".", "_")),
				index: idx,
			})
		}
	}
	walk(reflect.TypeOf(Config{}), "", nil)
	return out
}

// Keys returns every configuration key path (ari.url…), for documentation
// and tests.
func Keys() []string {
	var ks []string
	for _, s := range settings() {
		ks = append(ks, s.Path)
	}
	return ks
}

// EnvVar returns the environment variable of a key path, "" if unknown.
func EnvVar(path string) string {
	for _, s := range settings() {
		if s.Path == path {
			return s.Env
		}
	}
	return ""
}

func yamlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

func (s setting) field(c *Config) reflect.Value {
	return reflect.ValueOf(c).Elem().FieldByIndex(s.index)
}

// setText sets the setting from text, as environment variables and flags
// give it: booleans as strconv.ParseBool reads them, lists comma-separated.
func (s setting) setText(c *Config, text string) error {
	v := s.field(c)
	switch v.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return fmt.Errorf("%q is not true or false", text)
		}
		v.SetBool(b)
	case reflect.Slice:
		var items []string
		for _, it := range strings.Split(text, ",") {
			if it = strings.TrimSpace(it); it != "" {
				items = append(items, it)
			}
		}
		v.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported setting type %s", v.Type())
	}
	return nil
}
