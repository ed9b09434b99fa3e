package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Simulator drives the simulated PBX in `ringside demo`. Failures the user
// should read (an unknown leg, a leg in the wrong state) should be
// *orchestrator.Error values; any other error is answered as "internal error".
type Simulator interface {
	// PlaceCall brings a customer call into queue and returns its leg id.
	PlaceCall(queue, caller string, vars map[string]string) (string, error)
	Legs() []SimLeg
	Answer(id string) error
	Reject(id string) error
	Hangup(id string) error
	// Hears reports whether audio flows from leg from to leg to.
	Hears(from, to string) (bool, error)
	DropLink()
	RestoreLink()
}

// SimLeg is one simulated channel.
type SimLeg struct {
	ID       string `json:"id"`
	Endpoint string `json:"endpoint"` // dial string or caller endpoint, e.g. PJSIP/2001
	State    string `json:"state"`    // ringing | up | held | down
	Room     string `json:"room"`     // bridge id; "" when in none
	Caller   string `json:"caller"`   // caller id number
}

// simRoutes mounts the demo-only endpoints: no session and no origin check
// (the demo binds to loopback), never mounted outside demo mode.
func (s *Server) simRoutes(e *echo.Echo, prefix string) {
	e.POST(prefix+"/calls", s.simCall)
	e.GET(prefix+"/legs", s.simLegs)
	e.POST(prefix+"/legs/:id/answer", s.simLegAction(s.sim.Answer))
	e.POST(prefix+"/legs/:id/reject", s.simLegAction(s.sim.Reject))
	e.POST(prefix+"/legs/:id/hangup", s.simLegAction(s.sim.Hangup))
	e.GET(prefix+"/hears", s.simHears)
	e.POST(prefix+"/link/drop", func(c echo.Context) error { s.sim.DropLink(); return c.NoContent(http.StatusNoContent) })
	e.POST(prefix+"/link/restore", func(c echo.Context) error { s.sim.RestoreLink(); return c.NoContent(http.StatusNoContent) })
}

type simCallRequest struct {
	Queue     string            `json:"queue"`
	Caller    string            `json:"caller"`
	Variables map[string]string `json:"variables"`
}

func (s *Server) simCall(c echo.Context) error {
	var req simCallRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	req.Queue, req.Caller = strings.TrimSpace(req.Queue), strings.TrimSpace(req.Caller)
	if req.Queue == "" {
		return invalid("queue: required")
	}
	if req.Caller == "" {
		return invalid("caller: required")
	}
	id, err := s.sim.PlaceCall(req.Queue, req.Caller, req.Variables)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"leg_id": id})
}

func (s *Server) simLegs(c echo.Context) error {
	legs := s.sim.Legs()
	if legs == nil {
		legs = []SimLeg{}
	}
	return c.JSON(http.StatusOK, map[string]any{"legs": legs})
}

func (s *Server) simLegAction(f func(id string) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := f(c.Param("id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (s *Server) simHears(c echo.Context) error {
	from, to := c.QueryParam("from"), c.QueryParam("to")
	if from == "" || to == "" {
		return badRequest("from, to: both leg ids are required")
	}
	hears, err := s.sim.Hears(from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"hears": hears})
}
