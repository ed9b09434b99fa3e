package orchestrator

import "time"

// Provisioning types: what an administrator sets up (P6). They live in the
// store and are read by the orchestrator when it needs them.

// Role is a user's role; a user may hold several.
type Role string

const (
	RoleAdmin      Role = "admin"
	RoleSupervisor Role = "supervisor"
	RoleAgent      Role = "agent"
)

// ValidRole reports whether r is one of the known roles.
func ValidRole(r Role) bool {
	return r == RoleAdmin || r == RoleSupervisor || r == RoleAgent
}

// User is a person who signs in. PasswordHash is a bcrypt hash and never
// leaves the server.
type User struct {
	ID           int64
	Login        string // e-mail address, unique, stored lower-case
	Name         string
	PasswordHash string
	Roles        []Role
	TeamID       int64 // 0: no team
	// Remote agents (R4): allowed to sign in on their virtual extension.
	AllowRemote bool
	// Mobile is the user's mobile number in E.164 form. It is the one place
	// the number is set: the user's virtual extension always rings it.
	Mobile string
	// VirtualExtension is the number of the user's own virtual extension
	// (R3, R4); "" none. The store derives it from the extension the user
	// owns, and saving a user with it creates, renumbers or removes that
	// extension.
	VirtualExtension string
	// Queues are the user's assigned skills (R1): the queues an agent is
	// signed into when they sign in.
	Queues []int64
	// PersonalExtension is the extension the user sits at, listed first (R6); 0: none.
	PersonalExtensionID int64
}

// Remote returns the user's remote-agent settings (R4).
func (u User) Remote() RemoteAccess {
	return RemoteAccess{AllowRemote: u.AllowRemote, Mobile: u.Mobile, VirtualExtension: u.VirtualExtension}
}

// RemoteAccess is what an admin sets per user for working remotely (R4):
// whether they may sign in on their virtual extension, the mobile it
// follows (R3), and its number. Saving it links the virtual extension to
// the user.
type RemoteAccess struct {
	AllowRemote      bool   `json:"allow_remote"`
	Mobile           string `json:"mobile"`
	VirtualExtension string `json:"virtual_extension"`
}

// HasRole reports whether the user holds r.
func (u User) HasRole(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Team groups agents under supervisors.
type Team struct {
	ID   int64
	Name string
}

// Queue is a skill / entry point that routes calls to the agents signed into it.
type Queue struct {
	ID                  int64
	Name                string // the name the dialplan uses: Stasis(ringside,queue=NAME)
	Priority            int    // higher is served first when an agent is in several queues
	RingTime            time.Duration
	WrapupTime          time.Duration // 0: wrap-up ends only with a code
	Recording           bool
	PrivacyShield       time.Duration // how long a recording pause lasts before it resumes by itself (A10.3)
	AllowEndWrapupEarly bool          // supervisors may end an agent's wrap-up (G1)
	// MusicClass is the music its waiting and held callers hear (the PBX's
	// name for it: an Asterisk musiconhold.conf class); empty means the
	// controller's configured default.
	MusicClass string
}

// ExtensionKind tells a real phone from a follow-me virtual extension (R3).
type ExtensionKind string

const (
	ExtensionPhysical ExtensionKind = "physical"
	ExtensionVirtual  ExtensionKind = "virtual"
)

// Extension is a PBX extension an agent can sign in on.
type Extension struct {
	ID         int64
	Number     string        // what the agent picks, e.g. 2001
	DialString string        // what the PBX dials, e.g. PJSIP/2001
	Kind       ExtensionKind // physical or virtual
	OwnerID    int64         // the user it belongs to; 0: shared
	Mobile     string        // virtual extensions: the owner's mobile, which it rings (the store keeps this copy in step)
}

// IdleCode is a reason an agent gives for being Idle.
type IdleCode struct {
	ID    int64
	Code  string
	Label string
}

// WrapupCode closes an interaction's after-call work.
type WrapupCode struct {
	ID    int64
	Code  string
	Label string
	// Auto marks the code recorded when the queue's wrap-up time runs out (A12).
	Auto bool
}

// VariableDef is the admin's definition of a call variable (A11.1).
type VariableDef struct {
	ID       int64
	Name     string // as set by the PBX: RINGSIDE_VAR_<Name>
	Label    string
	Order    int  // popover and panel order
	Editable bool // agents may change it during the call
	Secure   bool // masked, never logged, never in the popover
	Popover  bool // shown in the contact-request popover (at most 6)
	// Type is text or datetime; datetime values are ISO 8601 (A11.2).
	Type VariableType
}

// VariableType is how a variable's value is checked when an agent edits it.
type VariableType string

const (
	VariableText     VariableType = "text"
	VariableDateTime VariableType = "datetime"
)
