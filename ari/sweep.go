package ari

import (
	"context"
	"strings"

	ariv6 "github.com/CyCoreSystems/ari/v6"

	"github.com/ringside/ringside/orchestrator"
)

// sweepBridges runs after every connection to Asterisk and tidies the
// bridges the adapter names itself, which the orchestrator never sees:
// holding bridges (hold.go) and monitor bridges. A monitor bridge this
// adapter does not know was left by a previous controller (a restart
// ends monitoring, P5) or by events lost while the link was down: its
// snoops are hung up, so the agent's call is no longer copied to nobody,
// and the bridge deleted. The supervisor's leg in it is the
// orchestrator's to end (restart recovery hangs it up).
func (a *Adapter) sweepBridges(ctx context.Context) {
	var keys []*ariv6.Key
	if err := call(ctx, func() (err error) { keys, err = a.cl.Bridge().List(nil); return err }); err != nil {
		a.log.Warn("listing bridges to sweep the ones left behind", "err", err)
		return
	}
	for _, k := range keys {
		if strings.HasPrefix(k.ID, holdPrefix) {
			a.sweepHold(ctx, k)
		} else if id, ok := strings.CutPrefix(k.ID, monitorPrefix); ok && strings.HasPrefix(id, "mon-") {
			// Only the orchestrator's monitor ids ("mon-…"): the list holds
			// every bridge on the Asterisk, other applications' too.
			a.sweepMonitor(ctx, k, orchestrator.MonitorID(id))
		}
	}
}

// sweepMonitor removes the monitor bridge of id unless it is one of this
// adapter's monitors (a Monitor in progress registers before it creates
// its bridge, so it is never swept).
func (a *Adapter) sweepMonitor(ctx context.Context, k *ariv6.Key, id orchestrator.MonitorID) {
	a.mons.mu.Lock()
	_, mine := a.mons.m[id]
	a.mons.mu.Unlock()
	if mine || id == "" {
		return
	}
	var data *ariv6.BridgeData
	if err := call(ctx, func() (err error) { data, err = a.cl.Bridge().Data(k); return err }); err != nil {
		return // gone meanwhile
	}
	for _, ch := range data.ChannelIDs {
		if strings.HasPrefix(ch, string(id)+"-snoop-") {
			a.hangupSnoop(ctx, orchestrator.LegID(ch))
		}
	}
	a.log.Info("deleting a monitor bridge left behind", "bridge", k.ID)
	a.deleteMonitorRoom(ctx, monitorRoom(id))
}
