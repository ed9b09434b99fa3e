package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
)

// table is what a command prints: rows under a header in text mode, or v
// as JSON.
type table struct {
	header []string
	rows   [][]string
}

// output writes v as indented JSON when asJSON, else t as aligned columns.
func output(out io.Writer, asJSON bool, v any, t table) error {
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	for _, r := range t.rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = cell(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// cell keeps one value on one line of its column; "-" marks empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// removed reports a removal: the entity as JSON, or a sentence.
func removed(out io.Writer, asJSON bool, v any, what string) error {
	if asJSON {
		return output(out, true, v, table{})
	}
	_, err := fmt.Fprintf(out, "removed %s\n", what)
	return err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func secs(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) + "s" }

// secondsValue is a duration flag that also takes a bare number of seconds
// ("20" or "20s"), since queue times are whole seconds.
type secondsValue struct{ d *time.Duration }

func (v secondsValue) String() string {
	if v.d == nil {
		return "0s"
	}
	return v.d.String()
}

func (v secondsValue) Set(s string) error {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*v.d = time.Duration(n) * time.Second
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a number of seconds or a duration like 20s", s)
	}
	*v.d = d
	return nil
}

func (v secondsValue) Type() string { return "seconds" }
