package store

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-sqlite3"

	"github.com/ringside/ringside/orchestrator"
)

// notFound is the port's "missing row" error.
func notFound(format string, args ...any) error {
	return orchestrator.Errorf(orchestrator.CodeNotFound, format, args...)
}

func conflict(format string, args ...any) error {
	return orchestrator.Errorf(orchestrator.CodeConflict, format, args...)
}

// isUnique reports whether err is SQLite refusing a duplicate in the unique
// column or index named by target ("users.login", "index 'x'").
func isUnique(err error, target string) bool {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	if se.ExtendedCode != sqlite3.ErrConstraintUnique && se.ExtendedCode != sqlite3.ErrConstraintPrimaryKey {
		return false
	}
	return strings.Contains(se.Error(), target)
}

// isForeignKey reports whether err is SQLite refusing a reference to a row
// that does not exist.
func isForeignKey(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

// problems collects validation failures of one value so that the caller
// hears about every bad field at once, each named.
type problems []string

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, field+": "+fmt.Sprintf(format, args...))
}

// err is nil when nothing was wrong, else a CodeInvalid *Error.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return orchestrator.Errorf(orchestrator.CodeInvalid, "%s", strings.Join(p, "; "))
}

// joinInvalid merges validation errors into one CodeInvalid error, so that
// separately checked parts (a user and their password) are reported
// together.
func joinInvalid(errs ...error) error {
	var msgs []string
	for _, err := range errs {
		if err != nil {
			msgs = append(msgs, orchestrator.ErrorMessage(err))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return orchestrator.Errorf(orchestrator.CodeInvalid, "%s", strings.Join(msgs, "; "))
}

// text checks a required, single-line, length-bounded string.
func (p *problems) text(field, v string, max int) {
	switch {
	case strings.TrimSpace(v) == "":
		p.add(field, "missing")
	case utf8.RuneCountInString(v) > max:
		p.add(field, "longer than %d characters", max)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		p.add(field, "must not contain control characters")
	case strings.TrimSpace(v) != v:
		p.add(field, "must not start or end with spaces")
	}
}

// ident checks a required identifier that PBX dialplans and URLs carry:
// letters, digits, '_', '.', '-'.
var identRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func (p *problems) ident(field, v string, max int) {
	switch {
	case v == "":
		p.add(field, "missing")
	case len(v) > max:
		p.add(field, "longer than %d characters", max)
	case !identRE.MatchString(v):
		p.add(field, "%q may contain only letters, digits, '_', '.' and '-'", v)
	}
}

// email checks a login: a bare address, no display name.
func (p *problems) email(field, v string) {
	if v == "" {
		p.add(field, "missing")
		return
	}
	if len(v) > 254 {
		p.add(field, "longer than 254 characters")
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" {
		p.add(field, "%q is not an e-mail address", v)
		return
	}
	if _, domain, _ := strings.Cut(v, "@"); domain == "" || strings.ContainsAny(domain, "[]") {
		p.add(field, "%q is not an e-mail address", v)
	}
}
