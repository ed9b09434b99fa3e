package mediatest

import (
	"fmt"

	"github.com/ringside/ringside/orchestrator"
)

// monitored is a customer talking with an agent and an answered
// supervisor's leg in no room.
func monitored(s *session) (cust, agent, sup orchestrator.LegID, id orchestrator.MonitorID) {
	s.t.Helper()
	cust, agent, _ = s.talking()
	sup = s.station("supervisor")
	s.n++
	return cust, agent, sup, orchestrator.MonitorID(fmt.Sprintf("mon-lab-%s-%d", s.tag, s.n))
}

// M2, M7, M4, M3: listen (the supervisor hears both, nobody hears them),
// whisper (the agent alone hears them), barge (all hear each other), pause
// (out both ways, whatever the mode) and resume (the mode back), stop (the
// call goes on, the supervisor hears nothing).
func monitorModes(s *session) {
	cust, agent, sup, id := monitored(s)
	legs := group(cust, agent, sup)
	talk := group(cust, agent)
	listen := sound{talk: [][]orchestrator.LegID{talk}, oneWay: [][2]orchestrator.LegID{{cust, sup}, {agent, sup}}}
	s.must(s.m.Monitor(s.ctx(), id, sup, agent, orchestrator.MonitorListen), "monitor")
	s.hear(legs, listen)

	s.must(s.m.SetMonitorMode(s.ctx(), id, orchestrator.MonitorWhisper), "whisper")
	whisper := listen
	whisper.oneWay = append(whisper.oneWay, [2]orchestrator.LegID{sup, agent})
	s.hear(legs, whisper)

	s.must(s.m.SetMonitorMode(s.ctx(), id, orchestrator.MonitorBarge), "barge")
	barge := sound{talk: [][]orchestrator.LegID{legs}}
	s.hear(legs, barge)

	s.must(s.m.PauseMonitor(s.ctx(), id), "pause")
	s.hear(legs, sound{talk: [][]orchestrator.LegID{talk}})
	s.must(s.m.ResumeMonitor(s.ctx(), id), "resume")
	s.hear(legs, barge)

	s.must(s.m.StopMonitor(s.ctx(), id), "stop")
	s.hear(legs, sound{talk: [][]orchestrator.LegID{talk}})
}

// M4, M7: a mode change is make-before-break: the supervisor never stops
// hearing the call while the mode changes.
func monitorNoGap(s *session) {
	cust, agent, sup, id := monitored(s)
	s.must(s.m.Monitor(s.ctx(), id, sup, agent, orchestrator.MonitorListen), "monitor")
	for _, mode := range []orchestrator.MonitorMode{orchestrator.MonitorWhisper, orchestrator.MonitorBarge, orchestrator.MonitorListen} {
		ok, detail := s.lab.Continuous(s.t, cust, sup, func() {
			s.must(s.m.SetMonitorMode(s.ctx(), id, mode), "switch to "+string(mode))
		})
		if !ok {
			s.t.Errorf("switching to %s: the supervisor stopped hearing the customer: %s", mode, detail)
		}
	}
	_ = agent
}
