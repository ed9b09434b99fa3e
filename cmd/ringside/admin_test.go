package main

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/store"
)

// provision sets up the references a user can point at.
func provision(t *testing.T, db string) {
	t.Helper()
	ok(t, "admin", "--db", db, "teams", "add", "--name", "Sales")
	ok(t, "admin", "--db", db, "queues", "add", "--name", "sales", "--ring-time", "15", "--wrapup-time", "30s", "--recording")
	ok(t, "admin", "--db", db, "queues", "add", "--name", "support")
	ok(t, "admin", "--db", db, "extensions", "add", "--number", "2001", "--dial-string", "PJSIP/2001")
}

func usersJSON(t *testing.T, db string) []userView {
	t.Helper()
	return decode[[]userView](t, ok(t, "admin", "--db", db, "--json", "users", "list"))
}

func TestAdminUserLifecycle(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	var outputs []string
	run := func(stdin string, args ...string) string {
		t.Helper()
		r := ringside(t, stdin, append([]string{"admin", "--db", db}, args...)...)
		if r.err != nil {
			t.Fatalf("%v: %v", args, r.err)
		}
		outputs = append(outputs, r.out)
		return r.out
	}

	out := run("s3cret-pass\n", "users", "add", "--login", "Ann@Example.com", "--name", "Ann Agent", "--password-stdin",
		"--role", "agent", "--role", "supervisor", "--team", "Sales", "--queue", "sales", "--queue", "support",
		"--extension", "2001", "--allow-remote", "--mobile", "+15551234567")
	if !strings.Contains(out, "ann@example.com") || !strings.Contains(out, "LOGIN") {
		t.Errorf("add printed %q", out)
	}
	run("", "extensions", "add", "--number", "9001", "--kind", "virtual", "--owner", "ann@example.com", "--mobile", "+15551234567")

	got := decode[userView](t, run("", "--json", "users", "show", "ANN@example.com"))
	want := userView{ID: got.ID, Login: "ann@example.com", Name: "Ann Agent", Roles: []string{"supervisor", "agent"},
		Team: "Sales", Queues: []string{"sales", "support"}, AllowRemote: true, Mobile: "+15551234567",
		Extension: "2001", VirtualExtension: "9001"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("show =\n%+v\nwant\n%+v", got, want)
	}

	// Update changes only the flags given.
	got = decode[userView](t, run("", "--json", "users", "update", "ann@example.com", "--name", "Ann B.", "--team", ""))
	want.Name, want.Team = "Ann B.", ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after update =\n%+v\nwant\n%+v", got, want)
	}
	// Skills one by one.
	run("", "users", "remove-queue", "ann@example.com", "support")
	if u := usersJSON(t, db)[0]; !reflect.DeepEqual(u.Queues, []string{"sales"}) {
		t.Errorf("queues after remove-queue: %v", u.Queues)
	}
	fails(t, []string{"admin", "--db", db, "users", "remove-queue", "ann@example.com", "support"}, `does not have queue "support"`)
	run("", "users", "add-queue", "ann@example.com", "support")
	fails(t, []string{"admin", "--db", db, "users", "add-queue", "ann@example.com", "support"}, `already has queue "support"`)

	// A new password through stdin.
	run("n3w-password\n", "users", "update", "ann@example.com", "--password-stdin")
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByLogin(context.Background(), "ann@example.com")
	s.Close()
	if err != nil || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte("n3w-password")) != nil {
		t.Errorf("password not changed: %v", err)
	}

	run("", "users", "list")
	// The hash is never printed, in any format.
	for _, o := range outputs {
		if strings.Contains(o, "$2a$") || strings.Contains(o, u.PasswordHash) || strings.Contains(strings.ToLower(o), "password") {
			t.Errorf("output shows password material:\n%s", o)
		}
	}

	out = run("", "users", "remove", "ann@example.com")
	if !strings.Contains(out, `removed user "ann@example.com"`) {
		t.Errorf("remove printed %q", out)
	}
	if us := usersJSON(t, db); len(us) != 0 {
		t.Errorf("users after remove: %+v", us)
	}
	fails(t, []string{"admin", "--db", db, "extensions", "show", "9001"}, `extension "9001" not found`)
}

func TestDuplicateUserRejectedAndNothingChanged(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	ok(t, "admin", "--db", db, "users", "add", "--login", "ann@example.com", "--name", "Ann", "--password", "password1",
		"--queue", "sales")
	before := ok(t, "admin", "--db", db, "--json", "users", "list")

	fails(t, []string{"admin", "--db", db, "users", "add", "--login", "ANN@example.com", "--name", "Other Ann",
		"--password", "password2", "--role", "admin", "--queue", "support", "--team", "Sales"},
		`user "ann@example.com" already exists`)

	if after := ok(t, "admin", "--db", db, "--json", "users", "list"); after != before {
		t.Errorf("users changed by a rejected add:\nbefore %s\nafter  %s", before, after)
	}
}

func TestUnknownReferencesRejectedAndNothingChanged(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	base := []string{"admin", "--db", db, "users", "add", "--login", "bob@example.com", "--name", "Bob", "--password", "password1"}
	fails(t, append(base, "--team", "Nope"), `team "Nope" not found`)
	fails(t, append(base, "--queue", "sales", "--queue", "nope"), `queue "nope" not found`)
	fails(t, append(base, "--extension", "7777"), `extension "7777" not found`)
	fails(t, []string{"admin", "--db", db, "extensions", "add", "--number", "9001", "--kind", "virtual",
		"--owner", "ghost@example.com", "--mobile", "+15551234567"}, `user "ghost@example.com" not found`)
	if us := usersJSON(t, db); len(us) != 0 {
		t.Errorf("users after rejected adds: %+v", us)
	}
	exts := decode[[]extensionView](t, ok(t, "admin", "--db", db, "--json", "extensions", "list"))
	if len(exts) != 1 {
		t.Errorf("extensions after rejected add: %+v", exts)
	}
	// An update with one bad reference keeps every other field too.
	ok(t, append(base[:len(base)-2], "--password", "password1")...)
	before := ok(t, "admin", "--db", db, "--json", "users", "show", "bob@example.com")
	fails(t, []string{"admin", "--db", db, "users", "update", "bob@example.com", "--name", "Robert", "--team", "Nope"}, `team "Nope" not found`)
	if after := ok(t, "admin", "--db", db, "--json", "users", "show", "bob@example.com"); after != before {
		t.Errorf("user changed by a rejected update:\n%s\n%s", before, after)
	}
}

func TestBadFlagValuesAreNamed(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	a := func(args ...string) []string { return append([]string{"admin", "--db", db}, args...) }
	for _, c := range []struct {
		args  []string
		parts []string
	}{
		{a("queues", "add", "--name", "q2", "--ring-time", "soon"), []string{"--ring-time", `"soon"`}},
		{a("queues", "add", "--name", "q2", "--ring-time", "0"), []string{"ring_time: must be at least 1s"}},
		{a("queues", "add", "--name", "q2", "--priority", "5000"), []string{"priority: 5000 is outside 0..1000"}},
		{a("queues", "add", "--name", "bad name"), []string{"name:", "bad name"}},
		{a("queues", "add", "--name", "SALES"), []string{`queue "SALES" already exists`}},
		{a("extensions", "add", "--number", "2002", "--kind", "phone"), []string{`kind: "phone" must be physical or virtual`}},
		{a("extensions", "add", "--number", "2002"), []string{"dial_string: missing"}},
		{a("extensions", "add", "--number", "9001", "--kind", "virtual"), []string{"owner: missing"}},
		{a("users", "add", "--login", "bob", "--name", "Bob", "--password", "short", "--role", "boss"),
			[]string{`login: "bob" is not an e-mail address`, `roles: "boss" is not a role`, "password: shorter than 8"}},
		{a("users", "add", "--name", "Bob", "--password", "password1"), []string{`"login"`}},
		{a("users", "add", "--login", "b@example.com", "--name", "Bob"), []string{"password", "password-stdin"}},
		{a("users", "add", "--login", "b@example.com", "--name", "Bob", "--password", "password1", "--password-stdin"),
			[]string{"password", "password-stdin"}},
		{a("users", "update", "nobody@example.com", "--name", "X"), []string{`user "nobody@example.com" not found`}},
		{a("variables", "add", "--name", "acct", "--label", "Account", "--order", "first"), []string{"--order"}},
		{a("variables", "add", "--name", "pin", "--label", "PIN", "--secure", "--popover"), []string{"popover: a secure variable"}},
		{a("idle-codes", "add", "--code", "lunch"), []string{`"label"`}},
		{a("teams", "add", "--name", "Sales", "--colour", "red"), []string{"unknown flag: --colour"}},
		{a("teams", "remove"), []string{"accepts 1 arg"}},
	} {
		t.Run(strings.Join(c.args[3:], " "), func(t *testing.T) {
			fails(t, c.args, c.parts...)
		})
	}
}

func TestListJSONParsesForEveryEntity(t *testing.T) {
	db := newDB(t)
	for _, entity := range []string{"users", "teams", "queues", "extensions", "idle-codes", "wrapup-codes", "variables"} {
		if out := ok(t, "admin", "--db", db, "--json", entity, "list"); strings.TrimSpace(out) != "[]" {
			t.Errorf("empty %s list = %q, want []", entity, out)
		}
	}
	provision(t, db)
	ok(t, "admin", "--db", db, "idle-codes", "add", "--code", "lunch", "--label", "Lunch")
	ok(t, "admin", "--db", db, "wrapup-codes", "add", "--code", "sale", "--label", "Sale", "--auto")
	ok(t, "admin", "--db", db, "variables", "add", "--name", "account", "--label", "Account", "--order", "2", "--popover", "--editable")

	if qs := decode[[]queueView](t, ok(t, "admin", "--db", db, "--json", "queues", "list")); len(qs) != 2 ||
		qs[0] != (queueView{ID: qs[0].ID, Name: "sales", RingTimeS: 15, WrapupTimeS: 30, Recording: true}) ||
		qs[1].RingTimeS != 20 {
		t.Errorf("queues = %+v", qs)
	}
	if ts := decode[[]teamView](t, ok(t, "admin", "--db", db, "--json", "teams", "list")); len(ts) != 1 || ts[0].Name != "Sales" {
		t.Errorf("teams = %+v", ts)
	}
	if es := decode[[]extensionView](t, ok(t, "admin", "--db", db, "--json", "extensions", "list")); len(es) != 1 ||
		es[0].Kind != "physical" || es[0].DialString != "PJSIP/2001" {
		t.Errorf("extensions = %+v", es)
	}
	if cs := decode[[]codeView](t, ok(t, "admin", "--db", db, "--json", "idle-codes", "list")); len(cs) != 1 || cs[0].Auto != nil {
		t.Errorf("idle codes = %+v", cs)
	}
	if cs := decode[[]codeView](t, ok(t, "admin", "--db", db, "--json", "wrapup-codes", "list")); len(cs) != 1 || cs[0].Auto == nil || !*cs[0].Auto {
		t.Errorf("wrap-up codes = %+v", cs)
	}
	if vs := decode[[]variableView](t, ok(t, "admin", "--db", db, "--json", "variables", "list")); len(vs) != 1 ||
		vs[0] != (variableView{ID: vs[0].ID, Name: "account", Label: "Account", Order: 2, Editable: true, Popover: true, Type: "text"}) {
		t.Errorf("variables = %+v", vs)
	}
}

// Update and remove for the entities besides users, through the CLI.
func TestAdminUpdateAndRemoveOtherEntities(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	a := func(args ...string) []string { return append([]string{"admin", "--db", db, "--json"}, args...) }

	q := decode[queueView](t, ok(t, a("queues", "update", "sales", "--priority", "7", "--recording=false")...))
	if q.Priority != 7 || q.Recording || q.RingTimeS != 15 || q.WrapupTimeS != 30 {
		t.Errorf("queue after update = %+v", q)
	}
	if tm := decode[teamView](t, ok(t, a("teams", "update", "sales", "--name", "Sales EMEA")...)); tm.Name != "Sales EMEA" {
		t.Errorf("team after rename = %+v", tm)
	}
	e := decode[extensionView](t, ok(t, a("extensions", "update", "2001", "--dial-string", "PJSIP/2001-desk")...))
	if e.DialString != "PJSIP/2001-desk" || e.Kind != "physical" {
		t.Errorf("extension after update = %+v", e)
	}
	ok(t, a("idle-codes", "add", "--code", "lunch", "--label", "Lunch")...)
	if c := decode[codeView](t, ok(t, a("idle-codes", "update", "lunch", "--label", "Lunch break")...)); c.Label != "Lunch break" {
		t.Errorf("idle code after update = %+v", c)
	}
	ok(t, a("wrapup-codes", "add", "--code", "sale", "--label", "Sale")...)
	if c := decode[codeView](t, ok(t, a("wrapup-codes", "update", "sale", "--auto")...)); !*c.Auto {
		t.Errorf("wrap-up code after update = %+v", c)
	}
	ok(t, a("variables", "add", "--name", "account", "--label", "Account")...)
	if v := decode[variableView](t, ok(t, a("variables", "update", "account", "--order", "3", "--secure")...)); v.Order != 3 || !v.Secure || v.Label != "Account" {
		t.Errorf("variable after update = %+v", v)
	}

	for _, rm := range [][]string{
		{"queues", "remove", "sales"}, {"teams", "remove", "Sales EMEA"}, {"extensions", "remove", "2001"},
		{"idle-codes", "remove", "lunch"}, {"wrapup-codes", "remove", "sale"}, {"variables", "remove", "account"},
	} {
		ok(t, append([]string{"admin", "--db", db}, rm...)...)
		fails(t, append([]string{"admin", "--db", db}, rm[0], "show", rm[2]), "not found")
	}
}

// A11.2: a variable's type is set from the CLI; a bad one is named.
func TestAdminVariableType_A11_2(t *testing.T) {
	db := newDB(t)
	ok(t, "admin", "--db", db, "variables", "add", "--name", "callback", "--label", "Call back at", "--editable", "--type", "datetime")
	vs := decode[[]variableView](t, ok(t, "admin", "--db", db, "--json", "variables", "list"))
	if len(vs) != 1 || vs[0].Type != "datetime" {
		t.Fatalf("variables = %+v", vs)
	}
	fails(t, []string{"admin", "--db", db, "variables", "add", "--name", "x", "--label", "X", "--type", "colour"}, "type", "colour")
}
