package app

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
	"github.com/ringside/ringside/orchestrator"
)

// openSupervisor signs the demo supervisor in as Supervisor on 3001.
func openSupervisor(t *testing.T, d *Demo) *desk {
	t.Helper()
	b := &desk{Browser: browsertest.New(t, d.URL, "supervisor"), ext: "3001"}
	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in", chromedp.SendKeys("#login", "supervisor@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"), chromedp.WaitVisible("#role-select"))
	b.Pick("#role-select", "supervisor")
	b.Pick("#station-select", "3001")
	b.Do("start", chromedp.Click("#start-session"), chromedp.WaitVisible("#supervisor-view"))
	return b
}

// row is the agents-table row of a user.
func row(id int64) string {
	return fmt.Sprintf(`#agents-table [data-testid=agent-row][data-user-id="%d"]`, id)
}

// M1–M5.6 in two browsers: a supervisor monitors an agent's live call,
// pauses, resumes, barges and ends; both desktops stay consistent.
func TestSupervisorMonitorsInBrowser_M(t *testing.T) {
	d := startDemo(t)
	agent := openDesk(t, d, "agent1@demo.local", "2001")
	sup := openSupervisor(t, d)
	uid := userID(t, d, "agent1@demo.local")
	connectedCall(t, d, agent, "+15550401")
	sup.WaitText(row(uid), "+15550401")

	sup.Do("monitor", chromedp.Click(row(uid)+" [data-testid=agent-actions]"), chromedp.Click(row(uid)+" [data-testid=act-monitor]"), chromedp.WaitVisible("#monitor-pane"))
	sup.answerOnHandset()
	sup.WaitText("#monitor-state", "active")
	sup.WaitText(row(uid), "Sam Supervisor") // monitored-by in the table
	sup.Do("pause", chromedp.Click("#mon-pause"))
	sup.Wait("paused shown", `!document.querySelector('#monitor-paused').hidden`)
	sup.Wait("no barge while paused (M5.2)", `document.querySelector('#mon-barge').disabled`)
	sup.Do("resume", chromedp.Click("#mon-resume"))
	sup.Wait("barge allowed", `!document.querySelector('#mon-barge').disabled`)
	sup.Do("barge", chromedp.Click("#mon-barge"))
	sup.WaitText("#monitor-mode", "barge")
	sup.Screenshot("barging")
	// The agent's desktop is still on the same call throughout.
	agent.WaitText("#call-caller", "+15550401")
	v, err := d.Orch.Agent(context.Background(), uid)
	if err != nil || v.MonitoredBy != "Sam Supervisor" || v.State != orchestrator.StateEngaged {
		t.Fatalf("agent during barge: %+v %v", v, err)
	}
	sup.Do("end", chromedp.Click("#mon-end"), chromedp.WaitNotVisible("#monitor-pane"))
	sup.Wait("monitored-by cleared", fmt.Sprintf(`!document.querySelector(%q).textContent.includes('Sam Supervisor')`, row(uid)))
	agent.WaitText("#call-caller", "+15550401")
}

// G1: a supervisor logs an agent out of a queue and sets them Idle; the
// agent's desktop shows it at once.
func TestSupervisorManagesAgentInBrowser_G1(t *testing.T) {
	d := startDemo(t)
	agent := openDesk(t, d, "agent1@demo.local", "2001")
	sup := openSupervisor(t, d)
	uid := userID(t, d, "agent1@demo.local")
	sup.Wait("agent listed", fmt.Sprintf(`document.querySelector(%q) !== null`, row(uid)))

	sup.Do("queue logout", chromedp.Click(row(uid)+" [data-testid=agent-actions]"), chromedp.Click(row(uid)+" [data-testid=act-queue-logout]"), chromedp.WaitVisible("#queue-picker"))
	sales := queueID(t, d, "sales")
	sup.Pick("#queue-picker-select", fmt.Sprint(sales))
	sup.Do("confirm", chromedp.Click("#queue-picker-ok"))
	waitAgent(t, d, uid, "out of sales", func(v *orchestrator.AgentView) bool { return len(v.Queues) == 1 && v.Queues[0] == "support" })
	// As a supervisor would: act on the row once it shows the change.
	sup.Wait("table shows the queue change", fmt.Sprintf(`document.querySelector(%q).textContent === 'support'`, row(uid)+" [data-testid=agent-queues]"))

	// A change to one agent redraws their row only: another agent's row is
	// the same node afterwards (a click on it is never lost to a redraw).
	openDesk(t, d, "agent2@demo.local", "2002")
	other := userID(t, d, "agent2@demo.local")
	sup.Wait("other agent listed", fmt.Sprintf(`(window.keptRow = document.querySelector(%q)) !== null`, row(other)))

	sup.Do("idle", chromedp.Click(row(uid)+" [data-testid=agent-actions]"), chromedp.Click(row(uid)+" [data-testid=act-idle]"), chromedp.WaitVisible("#idle-picker"))
	sup.Pick("#idle-picker-select", "meeting")
	sup.Do("confirm", chromedp.Click("#idle-picker-ok"))
	agent.Wait("agent desktop shows idle", `document.querySelector('#state-select').value === 'idle:meeting'`)
	sup.Wait("table shows the reason", fmt.Sprintf(`document.querySelector(%q).textContent.toLowerCase().includes("meeting")`, row(uid)))
	sup.Wait("other agent's row kept", fmt.Sprintf(`document.querySelector(%q) === window.keptRow`, row(other)))
}

// S3, S6: a Supervisor-and-Agent picks their team from a searchable list.
func TestTeamPickerInBrowser_S6(t *testing.T) {
	d := startDemo(t)
	teamB, err := d.DB.AddTeam(context.Background(), orchestrator.Team{Name: "Team B"})
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t, d.URL, "team")
	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in", chromedp.SendKeys("#login", "supervisor@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"), chromedp.WaitVisible("#role-select"))
	b.Wait("team picker for Supervisor and Agent", `!document.querySelector('#team-field').hidden && document.querySelector('#team-select').options.length === 2`)
	b.Pick("#role-select", "supervisor")
	b.Wait("no team picker for Supervisor", `document.querySelector('#team-field').hidden`)
	b.Pick("#role-select", "supervisor_agent")
	b.Do("search", chromedp.SendKeys("#team-search", "b"))
	b.Wait("filtered", `document.querySelector('#team-select').options.length === 1`)
	b.Pick("#station-select", "3001")
	b.Do("start", chromedp.Click("#start-session"), chromedp.WaitVisible("#supervisor-view"))
	v := waitAgent(t, d, userID(t, d, "supervisor@demo.local"), "signed in", func(v *orchestrator.AgentView) bool { return true })
	if v.TeamID != teamB.ID || v.Role != "supervisor_agent" {
		t.Fatalf("signed in as %s for team %d, want team %d", v.Role, v.TeamID, teamB.ID)
	}
}
