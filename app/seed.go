package app

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/store"
)

// DemoPassword is every demo user's password.
const DemoPassword = "demo"

// DemoLogins are the users the demo creates, in the order they are printed.
var DemoLogins = []string{
	"admin@demo.local", "supervisor@demo.local",
	"agent1@demo.local", "agent2@demo.local", "agent3@demo.local", "remote1@demo.local",
}

// Seed fills a new database with the demo's team, queues, users,
// extensions, codes and variables. It does nothing when users exist, so a
// demo database keeps whatever was changed in it.
func Seed(ctx context.Context, db *store.DB) (bool, error) {
	users, err := db.Users(ctx)
	if err != nil {
		return false, err
	}
	if len(users) > 0 {
		return false, nil
	}
	// The demo's password is short on purpose; it is hashed here because the
	// length rule for passwords set by administrators would refuse it.
	hash, err := bcrypt.GenerateFromPassword([]byte(DemoPassword), store.BcryptCost)
	if err != nil {
		return false, err
	}
	s := seeder{ctx: ctx, db: db, hash: string(hash)}
	s.run()
	return s.err == nil, s.err
}

// seeder keeps the first error so the seed reads as a list of facts.
type seeder struct {
	ctx  context.Context
	db   *store.DB
	hash string
	err  error
}

func (s *seeder) do(what string, f func() error) {
	if s.err != nil {
		return
	}
	if err := f(); err != nil {
		s.err = fmt.Errorf("seeding %s: %w", what, err)
	}
}

func (s *seeder) run() {
	ctx, db := s.ctx, s.db
	var team orchestrator.Team
	var support, sales orchestrator.Queue
	s.do("team", func() (err error) { team, err = db.AddTeam(ctx, orchestrator.Team{Name: "Team A"}); return })
	s.do("queue support", func() (err error) {
		support, err = db.AddQueue(ctx, orchestrator.Queue{Name: "support", RingTime: 15 * time.Second,
			WrapupTime: 30 * time.Second, Recording: true, PrivacyShield: 30 * time.Second, AllowEndWrapupEarly: true})
		return
	})
	s.do("queue sales", func() (err error) {
		sales, err = db.AddQueue(ctx, orchestrator.Queue{Name: "sales", RingTime: 15 * time.Second,
			WrapupTime: 30 * time.Second, PrivacyShield: 30 * time.Second})
		return
	})
	ext := func(number string) orchestrator.Extension {
		var e orchestrator.Extension
		s.do("extension "+number, func() (err error) {
			e, err = db.AddExtension(ctx, orchestrator.Extension{Number: number, DialString: "PJSIP/" + number, Kind: orchestrator.ExtensionPhysical})
			return
		})
		return e
	}
	user := func(login, name string, roles []orchestrator.Role, personal orchestrator.Extension, queues ...orchestrator.Queue) orchestrator.User {
		u := orchestrator.User{Login: login, Name: name, Roles: roles, TeamID: team.ID, PersonalExtensionID: personal.ID}
		for _, q := range queues {
			u.Queues = append(u.Queues, q.ID)
		}
		s.do("user "+login, func() (err error) { u, err = db.AddUserWithHash(ctx, u, s.hash); return })
		return u
	}
	agent := []orchestrator.Role{orchestrator.RoleAgent}
	user("admin@demo.local", "Ada Admin", []orchestrator.Role{orchestrator.RoleAdmin}, orchestrator.Extension{})
	user("supervisor@demo.local", "Sam Supervisor", []orchestrator.Role{orchestrator.RoleSupervisor, orchestrator.RoleAgent}, ext("3001"), support, sales)
	user("agent1@demo.local", "Alice Agent", agent, ext("2001"), support, sales)
	user("agent2@demo.local", "Bob Agent", agent, ext("2002"), support, sales)
	user("agent3@demo.local", "Carol Agent", agent, ext("2003"), support)
	for _, n := range []string{"2004", "2005", "3002"} {
		ext(n)
	}
	remote := user("remote1@demo.local", "Rita Remote", agent, orchestrator.Extension{}, support, sales)
	const mobile = "+15555550123"
	s.do("remote1 mobile", func() error {
		remote.AllowRemote, remote.Mobile = true, mobile
		_, err := db.UpdateUser(ctx, remote, "")
		return err
	})
	s.do("virtual extension 8001", func() error {
		_, err := db.AddExtension(ctx, orchestrator.Extension{Number: "8001", DialString: "", Kind: orchestrator.ExtensionVirtual, OwnerID: remote.ID, Mobile: mobile})
		return err
	})
	for _, c := range []orchestrator.IdleCode{{Code: "break", Label: "Break"}, {Code: "lunch", Label: "Lunch"}, {Code: "meeting", Label: "Meeting"}, {Code: "training", Label: "Training"}} {
		s.do("idle code "+c.Code, func() error { _, err := db.AddIdleCode(ctx, c); return err })
	}
	for _, c := range []orchestrator.WrapupCode{
		{Code: "resolved", Label: "Resolved"}, {Code: "follow_up", Label: "Needs follow-up"},
		{Code: "escalated", Label: "Escalated"}, {Code: "auto", Label: "Wrap-up time ran out", Auto: true},
	} {
		s.do("wrap-up code "+c.Code, func() error { _, err := db.AddWrapupCode(ctx, c); return err })
	}
	for _, v := range []orchestrator.VariableDef{
		{Name: "customer_name", Label: "Customer", Order: 1, Popover: true},
		{Name: "account", Label: "Account", Order: 2, Popover: true},
		{Name: "reason", Label: "Reason for calling", Order: 3, Popover: true, Editable: true},
		{Name: "card_last4", Label: "Card (last 4)", Order: 4, Secure: true},
	} {
		s.do("variable "+v.Name, func() error { _, err := db.AddVariableDef(ctx, v); return err })
	}
}
