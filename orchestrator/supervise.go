package orchestrator

import (
	"context"
	"sort"
	"strings"
)

// What supervisors do to agents (G1–G4). Every action is audited (M7).

// AgentFilter narrows the supervisor's agent list (G3).
type AgentFilter struct {
	TeamID int64      // 0: every team
	State  AgentState // "": every state
	Role   string     // agent | supervisor | supervisor_agent; "": all
	Query  string     // part of the name or login, any case
}

// QueueStats is one queue tile (waiting calls, longest wait, ready agents).
type QueueStats struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	Waiting         int    `json:"waiting"`
	LongestWaitSecs int    `json:"longest_wait_seconds"`
	// ConsultsWaiting are agents' consults to this queue waiting for an
	// agent (A6.1): served first, so a supervisor needs to see them, but
	// not customer calls, so not in Waiting. Their wait counts in
	// LongestWaitSecs all the same: someone is waiting on this queue.
	ConsultsWaiting int `json:"consults_waiting"`
	Available       int `json:"available"`
	SignedIn        int `json:"signed_in"`
}

// SupervisorAgents lists signed-in users for a supervisor, filtered (G3).
func (o *Orchestrator) SupervisorAgents(ctx context.Context, supervisorID int64, f AgentFilter) ([]AgentView, error) {
	var out []AgentView
	err := o.do(ctx, func() error {
		if _, err := o.supervisor(supervisorID); err != nil {
			return err
		}
		q := strings.ToLower(strings.TrimSpace(f.Query))
		for _, v := range o.allAgentViews() {
			switch {
			case f.TeamID != 0 && v.TeamID != f.TeamID,
				f.State != "" && v.State != f.State,
				f.Role != "" && v.Role != f.Role,
				q != "" && !strings.Contains(strings.ToLower(v.Name), q) && !strings.Contains(strings.ToLower(v.Login), q):
				continue
			}
			out = append(out, v)
		}
		if out == nil {
			out = []AgentView{}
		}
		return nil
	})
	return out, err
}

// LogAgentIntoQueue signs an agent into a queue until they or a supervisor
// sign them out of it (G1, G2): not a permanent assignment.
func (o *Orchestrator) LogAgentIntoQueue(ctx context.Context, supervisorID, agentID, queueID int64) error {
	return o.do(ctx, func() error {
		s, a, err := o.supervising(supervisorID, agentID)
		if err != nil {
			return err
		}
		q, err := o.store.Queue(ctx, queueID)
		if err != nil {
			return err
		}
		if a.inQueue(q.Name) {
			return Errorf(CodeConflict, "%s is already in queue %s", a.user.Name, q.Name)
		}
		a.queues = append(a.queues, q)
		sort.Slice(a.queues, func(i, j int) bool { return a.queues[i].Name < a.queues[j].Name })
		o.auditAgent(s, a, "queue_login", q.Name)
		o.publishAgent(a)
		o.route()
		return nil
	})
}

// LogAgentOutOfQueue signs an agent out of a queue (G1).
func (o *Orchestrator) LogAgentOutOfQueue(ctx context.Context, supervisorID, agentID, queueID int64) error {
	return o.do(ctx, func() error {
		s, a, err := o.supervising(supervisorID, agentID)
		if err != nil {
			return err
		}
		for i, q := range a.queues {
			if q.ID == queueID {
				a.queues = append(a.queues[:i], a.queues[i+1:]...)
				o.auditAgent(s, a, "queue_logout", q.Name)
				o.publishAgent(a)
				o.endUnstaffedConsults()
				return nil
			}
		}
		return Errorf(CodeConflict, "%s is not in that queue", a.user.Name)
	})
}

// SetAgentState sets an agent Idle with a reason, or Available (G1, G4).
func (o *Orchestrator) SetAgentState(ctx context.Context, supervisorID, agentID int64, state AgentState, reasonCode string) error {
	return o.do(ctx, func() error {
		s, a, err := o.supervising(supervisorID, agentID)
		if err != nil {
			return err
		}
		if err := o.setState(ctx, a.user.ID, state, reasonCode); err != nil {
			return err
		}
		o.auditAgent(s, a, "agent_state", string(state)+" "+reasonCode)
		o.notify(a, "info", s.user.Name+" set your state to "+string(a.state)+".")
		return nil
	})
}

// SignAgentOut signs an agent out, under the same rules as their own
// sign-out (S8) (G1).
func (o *Orchestrator) SignAgentOut(ctx context.Context, supervisorID, agentID int64) error {
	return o.do(ctx, func() error {
		s, a, err := o.supervising(supervisorID, agentID)
		if err != nil {
			return err
		}
		if err := o.signOut(ctx, a.user.ID); err != nil {
			return err
		}
		o.auditAgent(s, a, "agent_signed_out", "")
		return nil
	})
}

// EndAgentWrapup ends an agent's wrap-up early where the queue allows it (G1).
func (o *Orchestrator) EndAgentWrapup(ctx context.Context, supervisorID, agentID int64) error {
	return o.do(ctx, func() error {
		s, a, err := o.supervising(supervisorID, agentID)
		if err != nil {
			return err
		}
		if a.wrapup == nil {
			return Errorf(CodeConflict, "%s is not in wrap-up", a.user.Name)
		}
		if !a.wrapup.ix.queue.AllowEndWrapupEarly {
			return Errorf(CodeConflict, "queue %s does not allow ending wrap-up early", a.wrapup.ix.queue.Name)
		}
		o.auditAgent(s, a, "wrapup_ended", a.wrapup.ix.id)
		o.closeWrapup(a, "ended_by_supervisor", "wrapup_ended_by_supervisor")
		o.notify(a, "info", s.user.Name+" ended your wrap-up.")
		return nil
	})
}

// QueueStats returns live statistics for every queue.
func (o *Orchestrator) QueueStats(ctx context.Context) ([]QueueStats, error) {
	queues, err := o.store.Queues(ctx)
	if err != nil {
		return nil, err
	}
	var out []QueueStats
	err = o.do(ctx, func() error {
		now := o.clock.Now()
		for _, q := range queues {
			st := QueueStats{ID: q.ID, Name: q.Name}
			for _, ix := range o.st.waiting {
				if ix.queue.ID == q.ID {
					st.Waiting++
					if w := int(now.Sub(ix.arrivedAt).Seconds()); w > st.LongestWaitSecs {
						st.LongestWaitSecs = w
					}
				}
			}
			for _, ix := range o.st.interactions {
				if c := ix.consult; c != nil && c.state == ConsultQueued && c.queue != nil && c.queue.ID == q.ID {
					st.ConsultsWaiting++
					if w := int(now.Sub(c.queuedAt).Seconds()); w > st.LongestWaitSecs {
						st.LongestWaitSecs = w
					}
				}
			}
			for _, a := range o.st.agents {
				if a.inQueue(q.Name) {
					st.SignedIn++
					if a.ready() {
						st.Available++
					}
				}
			}
			out = append(out, st)
		}
		return nil
	})
	return out, err
}

// supervisor returns who acts on agents: a signed-in supervisor, or an
// administrator from the admin side, signed in on a station or not (G4).
func (o *Orchestrator) supervisor(id int64) (*agent, error) {
	if s := o.st.agents[id]; s != nil && s.role != SignInAgent {
		return s, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	u, err := o.store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.HasRole(RoleAdmin) {
		return nil, Errorf(CodeForbidden, "this needs a supervisor sign-in or the admin role")
	}
	// An administrator need not be signed in: a stand-in carries their
	// name and id for the audit trail and notices.
	return &agent{user: u, role: "admin"}, nil
}

// supervising returns the supervisor and the signed-in agent they act on.
func (o *Orchestrator) supervising(supID, agentID int64) (*agent, *agent, error) {
	s, err := o.supervisor(supID)
	if err != nil {
		return nil, nil, err
	}
	a := o.st.agents[agentID]
	if a == nil {
		return nil, nil, Errorf(CodeNotFound, "that agent is not signed in")
	}
	return s, a, nil
}

func (o *Orchestrator) auditAgent(s, a *agent, action, detail string) {
	e := AuditEntry{At: o.clock.Now(), ActorID: s.user.ID, Action: action, TargetUserID: a.user.ID, Detail: detail}
	o.persist("audit", func(ctx context.Context) error { return o.store.Audit(ctx, e) })
}
