package main

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/store"
)

// userView is a user as the CLI prints it: references by name, and never
// the password hash.
type userView struct {
	ID               int64    `json:"id"`
	Login            string   `json:"login"`
	Name             string   `json:"name"`
	Roles            []string `json:"roles"`
	Team             string   `json:"team"`
	Queues           []string `json:"queues"`
	AllowRemote      bool     `json:"allow_remote"`
	Mobile           string   `json:"mobile"`
	Extension        string   `json:"extension"`
	VirtualExtension string   `json:"virtual_extension"`
}

func userTable(n *names, us ...orchestrator.User) ([]userView, table) {
	views := []userView{}
	t := table{header: []string{"ID", "LOGIN", "NAME", "ROLES", "TEAM", "QUEUES", "REMOTE", "MOBILE", "EXTENSION", "VIRTUAL"}}
	for _, u := range us {
		roles := []string{}
		for _, r := range u.Roles {
			roles = append(roles, string(r))
		}
		v := userView{ID: u.ID, Login: u.Login, Name: u.Name, Roles: roles, Team: n.teams[u.TeamID],
			Queues: n.queueNames(u.Queues), AllowRemote: u.AllowRemote, Mobile: u.Mobile,
			Extension: n.extensions[u.PersonalExtensionID], VirtualExtension: u.VirtualExtension}
		views = append(views, v)
		t.rows = append(t.rows, []string{strconv.FormatInt(v.ID, 10), v.Login, v.Name, strings.Join(v.Roles, ","),
			v.Team, strings.Join(v.Queues, ","), yesNo(v.AllowRemote), v.Mobile, v.Extension, v.VirtualExtension})
	}
	return views, t
}

func (a *admin) showUser(ctx context.Context, db *store.DB, out io.Writer, u orchestrator.User) error {
	n, err := loadNames(ctx, db)
	if err != nil {
		return err
	}
	v, t := userTable(n, u)
	return output(out, a.json, v[0], t)
}

// userInput is what the user flags carry, by name.
type userInput struct {
	login, name, password string
	passwordStdin         bool
	roles, queues         []string
	team, mobile, ext     string
	virtualExt            string
	allowRemote           bool
}

func userFlags(fs *pflag.FlagSet, in *userInput, defaultRoles []string) {
	fs.StringVar(&in.login, "login", "", "e-mail address used to sign in")
	fs.StringVar(&in.name, "name", "", "full name")
	fs.StringVar(&in.password, "password", "", "password, 8 to 72 characters (visible in the process list: prefer --password-stdin)")
	fs.BoolVar(&in.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	fs.StringSliceVar(&in.roles, "role", defaultRoles, "role: admin, supervisor or agent (repeatable)")
	fs.StringVar(&in.team, "team", "", "team name (\"\" for none)")
	fs.StringArrayVar(&in.queues, "queue", nil, "queue skill, by queue name (repeatable; --queue \"\" for none)")
	fs.BoolVar(&in.allowRemote, "allow-remote", false, "allow signing in on the virtual extension (R4; needs --mobile)")
	fs.StringVar(&in.mobile, "mobile", "", "mobile number: E.164 (+15551234567), IDD (011…) or a US number; the virtual extension rings it")
	fs.StringVar(&in.ext, "extension", "", "personal extension number (\"\" for none)")
	fs.StringVar(&in.virtualExt, "virtual-extension", "", "number of the user's virtual extension, created and linked to them (R3, R4; needs --mobile; \"\" removes it)")
}

// apply puts the given flags onto u, resolving names to ids; with all set
// (add) every field is taken, otherwise only the flags given (update).
func (in *userInput) apply(ctx context.Context, db *store.DB, fs *pflag.FlagSet, u *orchestrator.User, all bool) error {
	given := func(name string) bool { return all || fs.Changed(name) }
	if given("login") {
		u.Login = in.login
	}
	if given("name") {
		u.Name = in.name
	}
	if given("role") {
		u.Roles = nil
		for _, r := range in.roles {
			u.Roles = append(u.Roles, orchestrator.Role(strings.ToLower(strings.TrimSpace(r))))
		}
	}
	if given("allow-remote") {
		u.AllowRemote = in.allowRemote
	}
	if given("mobile") {
		u.Mobile = in.mobile
	}
	if given("virtual-extension") {
		u.VirtualExtension = in.virtualExt
	}
	var err error
	if given("team") {
		if u.TeamID, err = teamID(ctx, db, in.team); err != nil {
			return err
		}
	}
	if given("queue") {
		if u.Queues, err = queueIDs(ctx, db, in.queues); err != nil {
			return err
		}
	}
	if given("extension") {
		if u.PersonalExtensionID, err = extensionID(ctx, db, in.ext); err != nil {
			return err
		}
	}
	return nil
}

func newAdminUsersCmd(a *admin) *cobra.Command {
	cmd := &cobra.Command{Use: "users", Aliases: []string{"user"}, Short: "Manage users, their roles, team, queue skills and remote access",
		Long: `Manage users, their roles, team, queue skills and remote access.

Remote agents (R3, R4): --allow-remote lets the user sign in on their
virtual extension, which rings their --mobile; --virtual-extension N
creates that extension and links it to the user (or renumbers theirs), and
--virtual-extension "" removes it. The mobile is kept in one place, the
user: changing it changes what the virtual extension rings. All of a
command's flags are saved together or not at all.

  ringside admin users update rita@example.com --allow-remote \
      --mobile +15555550123 --virtual-extension 8101`}

	var addIn userInput
	var add *cobra.Command
	add = a.subcommand("add --login EMAIL --name NAME (--password PW | --password-stdin) [flags]", "Add a user", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			var u orchestrator.User
			if err := addIn.apply(ctx, db, add.Flags(), &u, true); err != nil {
				return err
			}
			pw, err := readPassword(addIn.password, addIn.passwordStdin, add.InOrStdin())
			if err != nil {
				return err
			}
			if u, err = db.AddUser(ctx, u, pw); err != nil {
				return err
			}
			return a.showUser(ctx, db, out, u)
		})
	userFlags(add.Flags(), &addIn, []string{"agent"})
	_ = add.MarkFlagRequired("login")
	_ = add.MarkFlagRequired("name")
	add.MarkFlagsOneRequired("password", "password-stdin")
	add.MarkFlagsMutuallyExclusive("password", "password-stdin")

	list := a.subcommand("list", "List users", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			us, err := db.Users(ctx)
			if err != nil {
				return err
			}
			n, err := loadNames(ctx, db)
			if err != nil {
				return err
			}
			v, t := userTable(n, us...)
			return output(out, a.json, v, t)
		})

	show := a.subcommand("show LOGIN", "Show a user", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			u, err := db.UserByLogin(ctx, args[0])
			if err != nil {
				return err
			}
			return a.showUser(ctx, db, out, u)
		})

	var updIn userInput
	var update *cobra.Command
	update = a.subcommand("update LOGIN [flags]", "Change a user (only the flags given; --role and --queue replace the lists)",
		cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			u, err := db.UserByLogin(ctx, args[0])
			if err != nil {
				return err
			}
			if err := updIn.apply(ctx, db, update.Flags(), &u, false); err != nil {
				return err
			}
			pw, err := readPassword(updIn.password, updIn.passwordStdin, update.InOrStdin())
			if err != nil {
				return err
			}
			if update.Flags().Changed("password") && pw == "" {
				return store.ValidatePassword("") // an explicit empty password is an error, not "keep"
			}
			if u, err = db.UpdateUser(ctx, u, pw); err != nil {
				return err
			}
			return a.showUser(ctx, db, out, u)
		})
	userFlags(update.Flags(), &updIn, nil)
	update.MarkFlagsMutuallyExclusive("password", "password-stdin")

	remove := a.subcommand("remove LOGIN", "Remove a user (their virtual extension goes too)", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			u, err := db.UserByLogin(ctx, args[0])
			if err != nil {
				return err
			}
			n, err := loadNames(ctx, db)
			if err != nil {
				return err
			}
			if err := db.RemoveUser(ctx, u.ID); err != nil {
				return err
			}
			v, _ := userTable(n, u)
			return removed(out, a.json, v[0], "user "+strconv.Quote(u.Login))
		})

	cmd.AddCommand(add, list, show, update, remove,
		skillCmd(a, "add-queue LOGIN QUEUE...", "Give a user queue skills", true),
		skillCmd(a, "remove-queue LOGIN QUEUE...", "Take queue skills from a user", false))
	return cmd
}

// skillCmd adds or removes queue skills (R1). Asking for a skill the user
// already has, or to remove one they do not have, is an error rather than a
// silent no-op, so a typo in a script is noticed.
func skillCmd(a *admin, use, short string, add bool) *cobra.Command {
	return a.subcommand(use, short, cobra.MinimumNArgs(2),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			u, err := db.UserByLogin(ctx, args[0])
			if err != nil {
				return err
			}
			for _, name := range args[1:] {
				q, err := db.QueueByName(ctx, name)
				if err != nil {
					return err
				}
				has := slices.Contains(u.Queues, q.ID)
				switch {
				case add && has:
					return orchestrator.Errorf(orchestrator.CodeConflict, "user %q already has queue %q", u.Login, q.Name)
				case !add && !has:
					return orchestrator.Errorf(orchestrator.CodeNotFound, "user %q does not have queue %q", u.Login, q.Name)
				case add:
					u.Queues = append(u.Queues, q.ID)
				default:
					u.Queues = slices.DeleteFunc(u.Queues, func(id int64) bool { return id == q.ID })
				}
			}
			if u, err = db.UpdateUser(ctx, u, ""); err != nil {
				return err
			}
			return a.showUser(ctx, db, out, u)
		})
}
