package app

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// The demo's remote agent (app/seed.go): virtual extension 8001 follows this
// mobile, which the demo's trunk template "PJSIP/{number}@trunk" dials.
const (
	remoteLogin  = "remote1@demo.local"
	remoteMobile = "+15555550123"
	mobileDial   = "PJSIP/" + remoteMobile + "@trunk"
)

// R3, R5–R7 end to end over ARI and pbxsim: a remote agent signs in on their
// virtual extension and is Virtual; calls ring their mobile through the
// trunk; answer, talk, hang-up and wrap-up work as on a desk phone; a call
// the mobile never answers puts them in RONA. S7: nobody else can sign in
// on that mobile as a dial number meanwhile.
func TestRemoteAgentOnMobile_R3_R7(t *testing.T) {
	d := startDemo(t)
	uid := userID(t, d, remoteLogin)

	// R5, R6: the agent's own virtual extension is listed as their mobile.
	rita := loginOnly(t, d, remoteLogin)
	list := rita.must("GET", "/api/v1/stations", nil, http.StatusOK)["stations"].([]any)
	first := list[0].(map[string]any)
	if first["number"] != "8001" || first["label"] != "mobile "+remoteMobile || first["virtual"] != true {
		t.Fatalf("first station %v; want the virtual extension as mobile %s", first, remoteMobile)
	}

	// R7: signing in on the virtual extension sets Virtual; the desktop is
	// told which mobile it rings.
	v := rita.must("POST", "/api/v1/session", map[string]any{"role": "agent", "station": map[string]any{"type": "extension", "number": "8001"}}, http.StatusCreated)
	if st := v["station"].(map[string]any); st["virtual"] != true || st["mobile"] != remoteMobile || v["state"] != string(orchestrator.StateVirtual) {
		t.Fatalf("signed in as %v; want Virtual on 8001 with mobile %s", v, remoteMobile)
	}

	// S7: the same phone as a dial number is refused, naming its user.
	alice := loginOnly(t, d, "agent1@demo.local")
	msg := alice.conflict("POST", "/api/v1/session", map[string]any{"role": "agent",
		"station": map[string]any{"type": "dial_number", "number": "(555) 555-0123", "country": "US"}})
	if !strings.Contains(msg, "Rita Remote") || !strings.Contains(msg, "virtual extension 8001") {
		t.Fatalf("S7 conflict message %q does not name Rita and her virtual extension", msg)
	}

	// R3: a customer call rings the mobile through the trunk template.
	cust := placeCall(t, d, "support", "+15550201", nil)
	mobile := ringingLeg(t, d, mobileDial)
	ix := waitAgent(t, d, uid, "told the mobile is ringing", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateRinging && v.Interaction != nil && v.Interaction.State == orchestrator.InteractionRinging
	}).Interaction.ID

	// A4: the mobile answers; customer and mobile hear each other.
	must(t, d.Sim.Answer(mobile))
	waitAgent(t, d, uid, "engaged", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateEngaged && v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	})
	hears(t, d, cust, mobile, true, "the mobile hears the customer")
	hears(t, d, mobile, cust, true, "the customer hears the mobile")

	// The agent hangs up on the mobile: the call ends, wrap-up follows.
	must(t, d.Sim.Hangup(mobile))
	waitAgent(t, d, uid, "in wrap-up", func(v *orchestrator.AgentView) bool { return v.State == orchestrator.StateWrapup })
	waitFor(t, "the customer is hung up", func() bool {
		l, ok := d.Sim.Leg(cust)
		return ok && l.State == pbxsim.LegDown
	})
	rita.must("POST", "/api/v1/interactions/"+ix+"/wrapup", map[string]any{"code": "resolved"}, http.StatusNoContent)
	waitAgent(t, d, uid, "back to Virtual after wrap-up", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateVirtual && v.Interaction == nil
	})

	// A3: the mobile never answers the next call: RONA.
	setRingTime(t, d, "support", time.Second)
	d.Sim.SetBehavior(mobileDial, pbxsim.Behavior{Outcome: pbxsim.NoAnswer})
	placeCall(t, d, "support", "+15550202", nil)
	ringingLeg(t, d, mobileDial)
	waitAgent(t, d, uid, "RONA", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateRONA && v.Interaction == nil
	})
	waitFor(t, "the unanswered mobile leg is hung up", func() bool {
		for _, l := range d.Sim.Legs() {
			if l.Endpoint == mobileDial && l.State != pbxsim.LegDown {
				return false
			}
		}
		return true
	})
}

// loginOnly signs login in to the REST API without starting a session.
func loginOnly(t *testing.T, d *Demo, login string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: d.URL, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	c.must("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": DemoPassword}, http.StatusOK)
	return c
}
