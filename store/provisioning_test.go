package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/orchestrator"
)

func teamNamed(n string) orchestrator.Team { return orchestrator.Team{Name: n} }

func salesQueue() orchestrator.Queue {
	return orchestrator.Queue{Name: "sales", Priority: 5, RingTime: 20 * time.Second, WrapupTime: 30 * time.Second,
		Recording: true, PrivacyShield: 45 * time.Second, AllowEndWrapupEarly: true}
}

func agentUser(login string) orchestrator.User {
	return orchestrator.User{Login: login, Name: "Agent " + login, Roles: []orchestrator.Role{orchestrator.RoleAgent}}
}

// mobileUser is an agent with a mobile number, which a virtual extension
// they own rings (R3).
func mobileUser(login, mobile string) orchestrator.User {
	u := agentUser(login)
	u.Mobile = mobile
	return u
}

func TestTeamCRUD(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	a := must[orchestrator.Team](t)(db.AddTeam(ctx, teamNamed("Sales")))
	must[orchestrator.Team](t)(db.AddTeam(ctx, teamNamed("Billing")))
	if got := must[orchestrator.Team](t)(db.Team(ctx, a.ID)); got != a {
		t.Errorf("Team = %+v, want %+v", got, a)
	}
	if got := must[orchestrator.Team](t)(db.TeamByName(ctx, "sales")); got != a {
		t.Errorf("TeamByName ignoring case = %+v", got)
	}
	a.Name = "Sales EMEA"
	must[orchestrator.Team](t)(db.UpdateTeam(ctx, a))
	ts := must[[]orchestrator.Team](t)(db.Teams(ctx))
	if len(ts) != 2 || ts[0].Name != "Billing" || ts[1].Name != "Sales EMEA" {
		t.Errorf("Teams = %+v", ts)
	}
	_, err := db.AddTeam(ctx, teamNamed("BILLING"))
	wantCode(t, err, orchestrator.CodeConflict, `team "BILLING" already exists`)
	_, err = db.UpdateTeam(ctx, orchestrator.Team{ID: a.ID, Name: "billing"})
	wantCode(t, err, orchestrator.CodeConflict, "already exists")
	_, err = db.UpdateTeam(ctx, orchestrator.Team{ID: 999, Name: "x"})
	wantCode(t, err, orchestrator.CodeNotFound, "team 999 not found")
	if err := db.RemoveTeam(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.Team(ctx, a.ID)
	wantCode(t, err, orchestrator.CodeNotFound)
	wantCode(t, db.RemoveTeam(ctx, a.ID), orchestrator.CodeNotFound)
}

func TestQueueCRUD(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	q := must[orchestrator.Queue](t)(db.AddQueue(ctx, salesQueue()))
	if q.ID == 0 {
		t.Fatal("no id")
	}
	if got := must[orchestrator.Queue](t)(db.Queue(ctx, q.ID)); got != q {
		t.Errorf("Queue = %+v, want %+v", got, q)
	}
	if got := must[orchestrator.Queue](t)(db.QueueByName(ctx, "SALES")); got != q {
		t.Errorf("QueueByName = %+v", got)
	}
	q.RingTime, q.Recording, q.Priority = 15*time.Second, false, 0
	must[orchestrator.Queue](t)(db.UpdateQueue(ctx, q))
	qs := must[[]orchestrator.Queue](t)(db.Queues(ctx))
	if len(qs) != 1 || qs[0] != q {
		t.Errorf("Queues = %+v, want [%+v]", qs, q)
	}
	_, err := db.AddQueue(ctx, salesQueue())
	wantCode(t, err, orchestrator.CodeConflict, `queue "sales" already exists`)
	_, err = db.QueueByName(ctx, "nope")
	wantCode(t, err, orchestrator.CodeNotFound, `queue "nope" not found`)
	if err := db.RemoveQueue(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RemoveQueue(ctx, q.ID), orchestrator.CodeNotFound, "queue")
}

func TestQueueValidation(t *testing.T) {
	ok := salesQueue()
	for _, c := range []struct {
		name  string
		edit  func(*orchestrator.Queue)
		field string
	}{
		{"no name", func(q *orchestrator.Queue) { q.Name = "" }, "name: missing"},
		{"name with comma", func(q *orchestrator.Queue) { q.Name = "a,b" }, "name:"},
		{"long name", func(q *orchestrator.Queue) { q.Name = strings.Repeat("q", 65) }, "name:"},
		{"zero ring time", func(q *orchestrator.Queue) { q.RingTime = 0 }, "ring_time: must be at least 1s"},
		{"fractional ring time", func(q *orchestrator.Queue) { q.RingTime = 1500 * time.Millisecond }, "ring_time: 1.5s is not a whole number"},
		{"long ring time", func(q *orchestrator.Queue) { q.RingTime = time.Hour }, "ring_time:"},
		{"negative wrap-up", func(q *orchestrator.Queue) { q.WrapupTime = -time.Second }, "wrapup_time: must not be negative"},
		{"negative privacy shield", func(q *orchestrator.Queue) { q.PrivacyShield = -time.Second }, "privacy_shield:"},
		{"priority", func(q *orchestrator.Queue) { q.Priority = -1 }, "priority: -1 is outside"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := ok
			c.edit(&q)
			wantCode(t, ValidateQueue(q), orchestrator.CodeInvalid, c.field)
		})
	}
	if err := ValidateQueue(ok); err != nil {
		t.Errorf("valid queue: %v", err)
	}
	// Every problem is reported at once.
	err := ValidateQueue(orchestrator.Queue{Priority: 5000})
	wantCode(t, err, orchestrator.CodeInvalid, "name:", "priority:", "ring_time:")
}

func TestExtensionCRUDAndRules(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	owner := must[orchestrator.User](t)(db.AddUser(ctx, mobileUser("remote@example.com", "+15551234567"), "secret-pw"))
	other := must[orchestrator.User](t)(db.AddUser(ctx, mobileUser("other@example.com", "+15559876543"), "secret-pw"))

	phys := must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{
		Number: "2001", DialString: "PJSIP/2001", Kind: orchestrator.ExtensionPhysical}))
	must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{
		Number: "200", DialString: "PJSIP/200", Kind: orchestrator.ExtensionPhysical}))
	virt := must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{
		Number: "9001", Kind: orchestrator.ExtensionVirtual, OwnerID: owner.ID, Mobile: "+15551234567"}))

	if got := must[orchestrator.Extension](t)(db.ExtensionByNumber(ctx, "9001")); got != virt {
		t.Errorf("ExtensionByNumber = %+v, want %+v", got, virt)
	}
	var numbers []string
	for _, e := range must[[]orchestrator.Extension](t)(db.Extensions(ctx)) {
		numbers = append(numbers, e.Number)
	}
	if want := []string{"200", "2001", "9001"}; !reflect.DeepEqual(numbers, want) {
		t.Errorf("Extensions order %v, want %v", numbers, want)
	}

	_, err := db.AddExtension(ctx, orchestrator.Extension{Number: "2001", DialString: "PJSIP/x", Kind: "physical"})
	wantCode(t, err, orchestrator.CodeConflict, `extension "2001" already exists`)
	_, err = db.AddExtension(ctx, orchestrator.Extension{Number: "9002", Kind: "virtual", OwnerID: owner.ID})
	wantCode(t, err, orchestrator.CodeConflict, `user "remote@example.com" already has virtual extension "9001"`)
	// One source of truth for the mobile (R4): a virtual extension rings
	// its owner's, so another one is refused rather than dropped.
	_, err = db.AddExtension(ctx, orchestrator.Extension{Number: "9002", Kind: "virtual", OwnerID: other.ID, Mobile: "+15550000000"})
	wantCode(t, err, orchestrator.CodeInvalid, "mobile: a virtual extension rings its owner's mobile (+15559876543)")
	noMobile := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("nomobile@example.com"), "secret-pw"))
	_, err = db.AddExtension(ctx, orchestrator.Extension{Number: "9002", Kind: "virtual", OwnerID: noMobile.ID})
	wantCode(t, err, orchestrator.CodeInvalid, `owner: user "nomobile@example.com" has no mobile number`)
	_, err = db.AddExtension(ctx, orchestrator.Extension{Number: "9003", Kind: "virtual", OwnerID: 4242, Mobile: "+15550000000"})
	wantCode(t, err, orchestrator.CodeNotFound, "user 4242 not found")

	// Update: move the virtual extension to another owner; it now rings
	// the new owner's mobile (R3).
	virt.OwnerID = other.ID
	must[orchestrator.Extension](t)(db.UpdateExtension(ctx, virt))
	if got := must[orchestrator.Extension](t)(db.Extension(ctx, virt.ID)); got.OwnerID != other.ID || got.Mobile != "+15559876543" {
		t.Errorf("after moving to another owner = %+v", got)
	}

	// A personal extension cannot become virtual.
	u := owner
	u.PersonalExtensionID = phys.ID
	must[orchestrator.User](t)(db.UpdateUser(ctx, u, ""))
	_, err = db.UpdateExtension(ctx, orchestrator.Extension{ID: phys.ID, Number: "2001", Kind: "virtual", OwnerID: owner.ID, Mobile: "+15551112222"})
	wantCode(t, err, orchestrator.CodeConflict, "personal extension")

	// Removing it leaves the user without a personal extension.
	if err := db.RemoveExtension(ctx, phys.ID); err != nil {
		t.Fatal(err)
	}
	if got := must[orchestrator.User](t)(db.User(ctx, owner.ID)); got.PersonalExtensionID != 0 {
		t.Errorf("personal extension after removal = %d", got.PersonalExtensionID)
	}
	wantCode(t, db.RemoveExtension(ctx, phys.ID), orchestrator.CodeNotFound, "extension")
}

func TestExtensionValidation(t *testing.T) {
	phys := orchestrator.Extension{Number: "2001", DialString: "PJSIP/2001", Kind: orchestrator.ExtensionPhysical}
	virt := orchestrator.Extension{Number: "9001", Kind: orchestrator.ExtensionVirtual, OwnerID: 1, Mobile: "+15551234567"}
	for _, c := range []struct {
		name  string
		e     orchestrator.Extension
		field string
	}{
		{"no number", func() orchestrator.Extension { e := phys; e.Number = ""; return e }(), "number: missing"},
		{"number with space", func() orchestrator.Extension { e := phys; e.Number = "20 01"; return e }(), "number:"},
		{"bad kind", func() orchestrator.Extension { e := phys; e.Kind = "phone"; return e }(), `kind: "phone" must be physical or virtual`},
		{"no kind", func() orchestrator.Extension { e := phys; e.Kind = ""; return e }(), "kind: missing"},
		{"physical without dial string", func() orchestrator.Extension { e := phys; e.DialString = ""; return e }(), "dial_string: missing"},
		{"dial string without tech", func() orchestrator.Extension { e := phys; e.DialString = "2001"; return e }(), "dial_string:"},
		{"dial string with space", func() orchestrator.Extension { e := phys; e.DialString = "PJSIP/20 01"; return e }(), "dial_string:"},
		{"physical with mobile", func() orchestrator.Extension { e := phys; e.Mobile = "+15551234567"; return e }(), "mobile: only virtual"},
		{"virtual without owner", func() orchestrator.Extension { e := virt; e.OwnerID = 0; return e }(), "owner: missing"},
		{"virtual with bad mobile", func() orchestrator.Extension { e := virt; e.Mobile = "call me"; return e }(), "mobile:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, ValidateExtension(c.e), orchestrator.CodeInvalid, c.field)
		})
	}
	virtNoMobile := virt
	virtNoMobile.Mobile = "" // the store fills in the owner's
	for _, e := range []orchestrator.Extension{phys, virt, virtNoMobile} {
		if err := ValidateExtension(e); err != nil {
			t.Errorf("valid %s: %v", e.Kind, err)
		}
	}
}

func TestCodesCRUD(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	lunch := must[orchestrator.IdleCode](t)(db.AddIdleCode(ctx, orchestrator.IdleCode{Code: "lunch", Label: "Lunch"}))
	must[orchestrator.IdleCode](t)(db.AddIdleCode(ctx, orchestrator.IdleCode{Code: "break", Label: "Break"}))
	lunch.Label = "Lunch break"
	must[orchestrator.IdleCode](t)(db.UpdateIdleCode(ctx, lunch))
	if got := must[orchestrator.IdleCode](t)(db.IdleCodeByCode(ctx, "LUNCH")); got != lunch {
		t.Errorf("IdleCodeByCode = %+v", got)
	}
	if got := must[orchestrator.IdleCode](t)(db.IdleCode(ctx, lunch.ID)); got != lunch {
		t.Errorf("IdleCode = %+v", got)
	}
	ics := must[[]orchestrator.IdleCode](t)(db.IdleCodes(ctx))
	if len(ics) != 2 || ics[0].Code != "break" {
		t.Errorf("IdleCodes = %+v", ics)
	}
	_, err := db.AddIdleCode(ctx, orchestrator.IdleCode{Code: "Lunch", Label: "x"})
	wantCode(t, err, orchestrator.CodeConflict, `idle code "Lunch" already exists`)
	_, err = db.AddIdleCode(ctx, orchestrator.IdleCode{Code: "has space", Label: ""})
	wantCode(t, err, orchestrator.CodeInvalid, "code:", "label: missing")
	if err := db.RemoveIdleCode(ctx, lunch.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RemoveIdleCode(ctx, lunch.ID), orchestrator.CodeNotFound)

	auto := must[orchestrator.WrapupCode](t)(db.AddWrapupCode(ctx, orchestrator.WrapupCode{Code: "auto", Label: "Timed out", Auto: true}))
	sale := must[orchestrator.WrapupCode](t)(db.AddWrapupCode(ctx, orchestrator.WrapupCode{Code: "sale", Label: "Sale"}))
	_, err = db.AddWrapupCode(ctx, orchestrator.WrapupCode{Code: "auto2", Label: "Also auto", Auto: true})
	wantCode(t, err, orchestrator.CodeConflict, `wrap-up code "auto" is already the automatic one`)
	sale.Auto = true
	_, err = db.UpdateWrapupCode(ctx, sale)
	wantCode(t, err, orchestrator.CodeConflict, "automatic")
	// Moving "auto" takes two steps, and then works.
	auto.Auto = false
	must[orchestrator.WrapupCode](t)(db.UpdateWrapupCode(ctx, auto))
	must[orchestrator.WrapupCode](t)(db.UpdateWrapupCode(ctx, sale))
	if got := must[orchestrator.WrapupCode](t)(db.WrapupCodeByCode(ctx, "sale")); got != sale {
		t.Errorf("WrapupCodeByCode = %+v, want %+v", got, sale)
	}
	if got := must[orchestrator.WrapupCode](t)(db.WrapupCode(ctx, auto.ID)); got != auto {
		t.Errorf("WrapupCode = %+v, want %+v", got, auto)
	}
	if ws := must[[]orchestrator.WrapupCode](t)(db.WrapupCodes(ctx)); len(ws) != 2 {
		t.Errorf("WrapupCodes = %+v", ws)
	}
	if err := db.RemoveWrapupCode(ctx, auto.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.WrapupCodeByCode(ctx, "auto")
	wantCode(t, err, orchestrator.CodeNotFound, `wrap-up code "auto" not found`)
}

func TestVariableDefsCRUDAndRules(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	for i, name := range []string{"f", "e", "d", "c", "b", "a"} {
		must[orchestrator.VariableDef](t)(db.AddVariableDef(ctx, orchestrator.VariableDef{
			Name: name, Label: strings.ToUpper(name), Order: i, Popover: true}))
	}
	defs := must[[]orchestrator.VariableDef](t)(db.VariableDefs(ctx))
	if len(defs) != 6 || defs[0].Name != "f" || defs[5].Name != "a" {
		t.Errorf("VariableDefs not in order: %+v", defs)
	}
	_, err := db.AddVariableDef(ctx, orchestrator.VariableDef{Name: "g", Label: "G", Popover: true})
	wantCode(t, err, orchestrator.CodeInvalid, "popover: already 6")
	// A seventh without the popover is fine, and re-saving a popover one too.
	must[orchestrator.VariableDef](t)(db.AddVariableDef(ctx, orchestrator.VariableDef{Name: "card", Label: "Card", Order: 9, Secure: true}))
	a := must[orchestrator.VariableDef](t)(db.VariableDefByName(ctx, "A"))
	a.Label, a.Editable = "Account", true
	must[orchestrator.VariableDef](t)(db.UpdateVariableDef(ctx, a))
	if got := must[orchestrator.VariableDef](t)(db.VariableDef(ctx, a.ID)); got != a {
		t.Errorf("VariableDef = %+v, want %+v", got, a)
	}
	_, err = db.AddVariableDef(ctx, orchestrator.VariableDef{Name: "card", Label: "again"})
	wantCode(t, err, orchestrator.CodeConflict, `variable "card" already exists`)
	_, err = db.AddVariableDef(ctx, orchestrator.VariableDef{Name: "pin", Label: "PIN", Secure: true, Popover: true})
	wantCode(t, err, orchestrator.CodeInvalid, "popover: a secure variable")
	_, err = db.AddVariableDef(ctx, orchestrator.VariableDef{Name: "1bad", Label: "x", Order: -1})
	wantCode(t, err, orchestrator.CodeInvalid, "name:", "order: -1")
	if err := db.RemoveVariableDef(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RemoveVariableDef(ctx, a.ID), orchestrator.CodeNotFound)
}

func TestUserCRUD(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	team := must[orchestrator.Team](t)(db.AddTeam(ctx, teamNamed("Sales")))
	q1 := must[orchestrator.Queue](t)(db.AddQueue(ctx, salesQueue()))
	q2q := salesQueue()
	q2q.Name = "support"
	q2 := must[orchestrator.Queue](t)(db.AddQueue(ctx, q2q))
	ext := must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{
		Number: "2001", DialString: "PJSIP/2001", Kind: "physical"}))

	in := orchestrator.User{
		Login: "  Ann@Example.COM ", Name: "Ann", TeamID: team.ID, AllowRemote: true, Mobile: "+15551234567",
		Roles:  []orchestrator.Role{orchestrator.RoleAgent, orchestrator.RoleSupervisor, orchestrator.RoleAgent},
		Queues: []int64{q2.ID, q1.ID, q2.ID}, PersonalExtensionID: ext.ID,
	}
	ann := must[orchestrator.User](t)(db.AddUser(ctx, in, "correct horse"))
	want := orchestrator.User{
		ID: ann.ID, Login: "ann@example.com", Name: "Ann", PasswordHash: ann.PasswordHash, TeamID: team.ID,
		AllowRemote: true, Mobile: "+15551234567",
		Roles:  []orchestrator.Role{orchestrator.RoleSupervisor, orchestrator.RoleAgent},
		Queues: []int64{q1.ID, q2.ID}, PersonalExtensionID: ext.ID,
	}
	if !reflect.DeepEqual(ann, want) {
		t.Errorf("AddUser = %+v\nwant %+v", ann, want)
	}
	if bcrypt.CompareHashAndPassword([]byte(ann.PasswordHash), []byte("correct horse")) != nil {
		t.Error("password hash does not match the password")
	}
	for name, get := range map[string]func() (orchestrator.User, error){
		"User":        func() (orchestrator.User, error) { return db.User(ctx, ann.ID) },
		"UserByLogin": func() (orchestrator.User, error) { return db.UserByLogin(ctx, "ANN@example.com") },
	} {
		if got := must[orchestrator.User](t)(get()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v\nwant %+v", name, got, want)
		}
	}
	_, err := db.UserByLogin(ctx, "nobody@example.com")
	wantCode(t, err, orchestrator.CodeNotFound, `user "nobody@example.com" not found`)

	// Update: new roles, one queue, no team; the password stays.
	upd := ann
	upd.Name, upd.TeamID, upd.Queues = "Ann B.", 0, []int64{q2.ID}
	upd.Roles = []orchestrator.Role{orchestrator.RoleAdmin}
	got := must[orchestrator.User](t)(db.UpdateUser(ctx, upd, ""))
	if got.Name != "Ann B." || got.TeamID != 0 || !reflect.DeepEqual(got.Queues, []int64{q2.ID}) ||
		!reflect.DeepEqual(got.Roles, []orchestrator.Role{orchestrator.RoleAdmin}) || got.PasswordHash != ann.PasswordHash {
		t.Errorf("UpdateUser = %+v", got)
	}
	// A new password replaces the hash.
	got = must[orchestrator.User](t)(db.UpdateUser(ctx, got, "battery staple"))
	if bcrypt.CompareHashAndPassword([]byte(got.PasswordHash), []byte("battery staple")) != nil {
		t.Error("new password not stored")
	}

	bob := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("bob@example.com"), "password1"))
	users := must[[]orchestrator.User](t)(db.Users(ctx))
	if len(users) != 2 || users[0].Login != "ann@example.com" || users[1].Login != "bob@example.com" ||
		!reflect.DeepEqual(users[0].Queues, []int64{q2.ID}) || !reflect.DeepEqual(users[1].Roles, []orchestrator.Role{"agent"}) {
		t.Errorf("Users = %+v", users)
	}
	// Renaming bob onto ann's login is a conflict.
	bob.Login = "ANN@example.com"
	_, err = db.UpdateUser(ctx, bob, "")
	wantCode(t, err, orchestrator.CodeConflict, `user "ann@example.com" already exists`)

	// Removing a queue removes the skill.
	if err := db.RemoveQueue(ctx, q2.ID); err != nil {
		t.Fatal(err)
	}
	if got := must[orchestrator.User](t)(db.User(ctx, ann.ID)); len(got.Queues) != 0 {
		t.Errorf("skills after queue removal: %v", got.Queues)
	}
}

func TestUserValidation(t *testing.T) {
	ok := agentUser("a@example.com")
	for _, c := range []struct {
		name  string
		edit  func(*orchestrator.User)
		field string
	}{
		{"no login", func(u *orchestrator.User) { u.Login = "" }, "login: missing"},
		{"login not e-mail", func(u *orchestrator.User) { u.Login = "ann" }, `login: "ann" is not an e-mail address`},
		{"login with display name", func(u *orchestrator.User) { u.Login = "Ann <a@example.com>" }, "login:"},
		{"no name", func(u *orchestrator.User) { u.Name = " " }, "name: missing"},
		{"long name", func(u *orchestrator.User) { u.Name = strings.Repeat("n", 129) }, "name: longer than 128"},
		{"no roles", func(u *orchestrator.User) { u.Roles = nil }, "roles: at least one"},
		{"unknown role", func(u *orchestrator.User) { u.Roles = []orchestrator.Role{"boss"} }, `roles: "boss" is not a role`},
		{"bad mobile", func(u *orchestrator.User) { u.Mobile = "12" }, "mobile: 12: too short"},
		{"remote without mobile", func(u *orchestrator.User) { u.AllowRemote = true }, "mobile: required when remote sign-in is allowed"},
		{"virtual extension without mobile", func(u *orchestrator.User) { u.VirtualExtension = "8101" }, "mobile: required for a virtual extension"},
		{"bad virtual extension", func(u *orchestrator.User) { u.Mobile, u.VirtualExtension = "+15551234567", "81 01" }, "virtual_extension:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := ok
			c.edit(&u)
			wantCode(t, ValidateUser(canonicalUser(u)), orchestrator.CodeInvalid, c.field)
		})
	}
	wantCode(t, ValidatePassword("short"), orchestrator.CodeInvalid, "password: shorter than 8")
	wantCode(t, ValidatePassword(strings.Repeat("p", 73)), orchestrator.CodeInvalid, "password: longer than 72")
}

// The brief's central guarantee: a rejected change leaves nothing behind.
func TestRejectedUserChangesNothing(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	q := must[orchestrator.Queue](t)(db.AddQueue(ctx, salesQueue()))
	ann := agentUser("ann@example.com")
	ann.Queues = []int64{q.ID}
	must[orchestrator.User](t)(db.AddUser(ctx, ann, "password1"))

	snapshot := func() map[string]int {
		m := map[string]int{}
		for _, tb := range []string{"users", "user_roles", "user_queues", "teams"} {
			m[tb] = count(t, db, tb)
		}
		return m
	}
	before := snapshot()

	dup := agentUser("ANN@example.com")
	dup.Roles = []orchestrator.Role{orchestrator.RoleAdmin, orchestrator.RoleAgent}
	_, err := db.AddUser(ctx, dup, "password2")
	wantCode(t, err, orchestrator.CodeConflict, `user "ann@example.com" already exists`)

	noTeam := agentUser("bob@example.com")
	noTeam.TeamID = 77
	_, err = db.AddUser(ctx, noTeam, "password2")
	wantCode(t, err, orchestrator.CodeNotFound, "team 77 not found")

	noQueue := agentUser("carl@example.com")
	noQueue.Queues = []int64{q.ID, 88}
	_, err = db.AddUser(ctx, noQueue, "password2")
	wantCode(t, err, orchestrator.CodeNotFound, "queue 88 not found")

	// An update that fails half-way keeps the old roles and skills.
	cur := must[orchestrator.User](t)(db.UserByLogin(ctx, "ann@example.com"))
	bad := cur
	bad.Roles, bad.Queues = []orchestrator.Role{orchestrator.RoleSupervisor}, []int64{99}
	_, err = db.UpdateUser(ctx, bad, "new-password")
	wantCode(t, err, orchestrator.CodeNotFound, "queue 99 not found")

	if after := snapshot(); !reflect.DeepEqual(before, after) {
		t.Errorf("row counts changed: before %v after %v", before, after)
	}
	if got := must[orchestrator.User](t)(db.User(ctx, cur.ID)); !reflect.DeepEqual(got, cur) {
		t.Errorf("user changed by a failed update:\n%+v\nwas %+v", got, cur)
	}
}

func TestRemoveUser(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	admin := orchestrator.User{Login: "root@example.com", Name: "Root", Roles: []orchestrator.Role{"admin"}}
	admin = must[orchestrator.User](t)(db.AddUser(ctx, admin, "password1"))
	remote := must[orchestrator.User](t)(db.AddUser(ctx, mobileUser("remote@example.com", "+15551234567"), "password1"))
	phys := must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{
		Number: "2001", DialString: "PJSIP/2001", Kind: "physical", OwnerID: remote.ID}))
	must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{
		Number: "9001", Kind: "virtual", OwnerID: remote.ID, Mobile: "+15551234567"}))
	if err := db.CreateWebSession(ctx, "tok", remote.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.RememberStation(ctx, remote.ID, orchestrator.StationRequest{Type: "extension", Number: "2001"}); err != nil {
		t.Fatal(err)
	}

	if err := db.RemoveUser(ctx, remote.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExtensionByNumber(ctx, "9001"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Errorf("virtual extension survived its owner: %v", err)
	}
	if got := must[orchestrator.Extension](t)(db.Extension(ctx, phys.ID)); got.OwnerID != 0 {
		t.Errorf("physical extension still owned by %d", got.OwnerID)
	}
	if _, _, err := db.WebSession(ctx, "tok"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Errorf("web session survived its user: %v", err)
	}
	if n := count(t, db, "remembered_stations"); n != 0 {
		t.Errorf("%d remembered stations left", n)
	}
	wantCode(t, db.RemoveUser(ctx, remote.ID), orchestrator.CodeNotFound, "user")

	// The last admin stays: neither removed nor demoted.
	wantCode(t, db.RemoveUser(ctx, admin.ID), orchestrator.CodeConflict, `"root@example.com" is the last admin`)
	demoted := admin
	demoted.Roles = []orchestrator.Role{"agent"}
	_, err := db.UpdateUser(ctx, demoted, "")
	wantCode(t, err, orchestrator.CodeConflict, "last admin")
}

func TestRemoveTeamWithMembersRefused(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	team := must[orchestrator.Team](t)(db.AddTeam(ctx, teamNamed("Sales")))
	u := agentUser("a@example.com")
	u.TeamID = team.ID
	must[orchestrator.User](t)(db.AddUser(ctx, u, "password1"))
	wantCode(t, db.RemoveTeam(ctx, team.ID), orchestrator.CodeConflict, `team "Sales" still has 1 member`)
	if _, err := db.Team(ctx, team.ID); err != nil {
		t.Errorf("team gone after refused removal: %v", err)
	}
}

func TestPersonalExtensionMustBePhysical(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	owner := must[orchestrator.User](t)(db.AddUser(ctx, mobileUser("o@example.com", "+15551234567"), "password1"))
	v := must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{
		Number: "9001", Kind: "virtual", OwnerID: owner.ID, Mobile: "+15551234567"}))
	u := agentUser("p@example.com")
	u.PersonalExtensionID = v.ID
	_, err := db.AddUser(ctx, u, "password1")
	wantCode(t, err, orchestrator.CodeInvalid, "personal_extension: 9001 is a virtual extension")
	u.PersonalExtensionID = 555
	_, err = db.AddUser(ctx, u, "password1")
	wantCode(t, err, orchestrator.CodeNotFound, "extension 555 not found")
}
