package main

import (
	"reflect"
	"strings"
	"testing"
)

// R4 from the CLI: allow remote sign-in, mobile and virtual extension are
// set per user; saving links the virtual extension to that user, and it
// rings the user's mobile.
func TestAdminUserRemoteAccess_R4(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	a := func(args ...string) []string { return append([]string{"admin", "--db", db, "--json"}, args...) }

	got := decode[userView](t, ok(t, a("users", "add", "--login", "rita@example.com", "--name", "Rita Remote",
		"--password", "password1", "--allow-remote", "--mobile", "+1 555 555 0123", "--virtual-extension", "8101")...))
	if !got.AllowRemote || got.Mobile != "+15555550123" || got.VirtualExtension != "8101" {
		t.Fatalf("add = %+v", got)
	}
	ext := decode[extensionView](t, ok(t, a("extensions", "show", "8101")...))
	if ext.Kind != "virtual" || ext.Owner != "rita@example.com" || ext.Mobile != "+15555550123" {
		t.Fatalf("virtual extension = %+v", ext)
	}

	// A new mobile: the virtual extension follows it; renumber in the same save.
	got = decode[userView](t, ok(t, a("users", "update", "rita@example.com", "--mobile", "011442079460958", "--virtual-extension", "8102")...))
	if got.Mobile != "+442079460958" || got.VirtualExtension != "8102" || !got.AllowRemote {
		t.Fatalf("update = %+v", got)
	}
	if ext := decode[extensionView](t, ok(t, a("extensions", "show", "8102")...)); ext.Mobile != "+442079460958" || ext.Owner != "rita@example.com" {
		t.Errorf("renumbered virtual extension = %+v", ext)
	}
	fails(t, []string{"admin", "--db", db, "extensions", "show", "8101"}, `extension "8101" not found`)

	// The table shows the three settings.
	out := ok(t, "admin", "--db", db, "users", "show", "rita@example.com")
	for _, want := range []string{"REMOTE", "MOBILE", "VIRTUAL", "yes", "+442079460958", "8102"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}

	// --virtual-extension "" removes it; the user keeps the mobile.
	got = decode[userView](t, ok(t, a("users", "update", "rita@example.com", "--virtual-extension", "", "--allow-remote=false")...))
	if got.AllowRemote || got.VirtualExtension != "" || got.Mobile != "+442079460958" {
		t.Errorf("after removing = %+v", got)
	}
	fails(t, []string{"admin", "--db", db, "extensions", "show", "8102"}, `extension "8102" not found`)
}

// R4: bad remote settings are named and nothing is saved, not even the
// other flags of the same command.
func TestAdminUserRemoteAccessRefused_R4(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	ok(t, "admin", "--db", db, "users", "add", "--login", "bob@example.com", "--name", "Bob", "--password", "password1",
		"--mobile", "+15559876543", "--virtual-extension", "8200")
	ok(t, "admin", "--db", db, "users", "add", "--login", "rita@example.com", "--name", "Rita", "--password", "password1")
	snapshot := func() string {
		return ok(t, "admin", "--db", db, "--json", "users", "list") + ok(t, "admin", "--db", db, "--json", "extensions", "list")
	}
	before := snapshot()
	upd := func(args ...string) []string {
		return append([]string{"admin", "--db", db, "users", "update", "rita@example.com", "--name", "Rita Renamed"}, args...)
	}
	for _, c := range []struct {
		args  []string
		parts []string
	}{
		{upd("--allow-remote"), []string{"mobile: required when remote sign-in is allowed"}},
		{upd("--virtual-extension", "8101"), []string{"mobile: required for a virtual extension"}},
		{upd("--allow-remote", "--mobile", "call me", "--virtual-extension", "8101"), []string{"mobile:", "call me"}},
		{upd("--mobile", "+15551234567", "--virtual-extension", "2001"), []string{"virtual_extension: 2001 is a physical extension"}},
		{upd("--mobile", "+15551234567", "--virtual-extension", "8200"), []string{`virtual_extension: 8200 is the virtual extension of "bob@example.com"`}},
		{[]string{"admin", "--db", db, "users", "update", "bob@example.com", "--mobile", ""}, []string{"mobile: required for a virtual extension"}},
		{[]string{"admin", "--db", db, "users", "add", "--login", "new@example.com", "--name", "New", "--password", "password1",
			"--mobile", "+15551234567", "--virtual-extension", "8200"}, []string{"virtual_extension: 8200"}},
		// One mobile per remote agent: a virtual extension cannot ring another.
		{[]string{"admin", "--db", db, "extensions", "update", "8200", "--mobile", "+15550000000"}, []string{"mobile: a virtual extension rings its owner's mobile (+15559876543)"}},
		{[]string{"admin", "--db", db, "extensions", "add", "--number", "8300", "--kind", "virtual", "--owner", "rita@example.com"},
			[]string{`owner: user "rita@example.com" has no mobile number`}},
	} {
		t.Run(strings.Join(c.args[3:], " "), func(t *testing.T) {
			fails(t, c.args, c.parts...)
			if after := snapshot(); after != before {
				t.Errorf("changed by a refused command:\nbefore %s\nafter  %s", before, after)
			}
		})
	}

	// A virtual extension added directly rings its owner's mobile.
	ok(t, "admin", "--db", db, "users", "update", "rita@example.com", "--mobile", "+15551234567")
	ext := decode[extensionView](t, ok(t, "admin", "--db", db, "--json", "extensions", "add", "--number", "8300", "--kind", "virtual", "--owner", "rita@example.com"))
	if ext.Mobile != "+15551234567" {
		t.Errorf("extension mobile = %q", ext.Mobile)
	}
	u := decode[userView](t, ok(t, "admin", "--db", db, "--json", "users", "show", "rita@example.com"))
	if !reflect.DeepEqual([]string{u.Mobile, u.VirtualExtension}, []string{"+15551234567", "8300"}) {
		t.Errorf("user after adding their extension = %+v", u)
	}
}
