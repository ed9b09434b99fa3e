package api

import (
	"strings"

	"github.com/ringside/ringside/orchestrator"
)

// Idle codes (A13), wrap-up codes (A12) and call variable definitions
// (A11.1) on the admin pages (P6).

type idleCodeWire struct {
	ID    int64  `json:"id" put:"optional"`
	Code  string `json:"code"`
	Label string `json:"label"`
}

func idleCodesResource(acc Accounts) adminResource[orchestrator.IdleCode, idleCodeWire] {
	return adminResource[orchestrator.IdleCode, idleCodeWire]{
		kind: "idle_code", what: "idle code", plural: "idle-codes", listKey: "idle_codes",
		list: acc.IdleCodes, add: acc.AddIdleCode, update: acc.UpdateIdleCode, remove: acc.RemoveIdleCode,
		id:     func(c orchestrator.IdleCode) int64 { return c.ID },
		label:  func(c orchestrator.IdleCode) string { return "idle code " + c.Code },
		toWire: func(c orchestrator.IdleCode) idleCodeWire { return idleCodeWire(c) },
		fromWire: func(id int64, w idleCodeWire) orchestrator.IdleCode {
			return orchestrator.IdleCode{ID: id, Code: w.Code, Label: w.Label}
		},
	}
}

type wrapupCodeWire struct {
	ID    int64  `json:"id" put:"optional"`
	Code  string `json:"code"`
	Label string `json:"label"`
	Auto  bool   `json:"auto"` // recorded when the queue's wrap-up time runs out (A12); one code at most
}

func wrapupCodesResource(acc Accounts) adminResource[orchestrator.WrapupCode, wrapupCodeWire] {
	return adminResource[orchestrator.WrapupCode, wrapupCodeWire]{
		kind: "wrapup_code", what: "wrap-up code", plural: "wrapup-codes", listKey: "wrapup_codes",
		list: acc.WrapupCodes, add: acc.AddWrapupCode, update: acc.UpdateWrapupCode, remove: acc.RemoveWrapupCode,
		id:     func(c orchestrator.WrapupCode) int64 { return c.ID },
		label:  func(c orchestrator.WrapupCode) string { return "wrap-up code " + c.Code },
		toWire: func(c orchestrator.WrapupCode) wrapupCodeWire { return wrapupCodeWire(c) },
		fromWire: func(id int64, w wrapupCodeWire) orchestrator.WrapupCode {
			return orchestrator.WrapupCode{ID: id, Code: w.Code, Label: w.Label, Auto: w.Auto}
		},
	}
}

type variableWire struct {
	ID       int64                     `json:"id" put:"optional"`
	Name     string                    `json:"name"` // as the PBX sets it: RINGSIDE_VAR_<name>
	Label    string                    `json:"label"`
	Type     orchestrator.VariableType `json:"type"` // text | datetime; "": text
	Editable bool                      `json:"editable"`
	Secure   bool                      `json:"secure"`
	Popover  bool                      `json:"popover"`
	Order    int                       `json:"order"` // popover and panel order
}

func variablesResource(acc Accounts) adminResource[orchestrator.VariableDef, variableWire] {
	return adminResource[orchestrator.VariableDef, variableWire]{
		kind: "variable", what: "variable", plural: "variables", listKey: "variables",
		list: acc.VariableDefs, add: acc.AddVariableDef, update: acc.UpdateVariableDef, remove: acc.RemoveVariableDef,
		id:    func(v orchestrator.VariableDef) int64 { return v.ID },
		label: func(v orchestrator.VariableDef) string { return "variable " + v.Name },
		toWire: func(v orchestrator.VariableDef) variableWire {
			return variableWire{ID: v.ID, Name: v.Name, Label: v.Label, Type: v.Type, Editable: v.Editable,
				Secure: v.Secure, Popover: v.Popover, Order: v.Order}
		},
		fromWire: func(id int64, w variableWire) orchestrator.VariableDef {
			return orchestrator.VariableDef{ID: id, Name: w.Name, Label: w.Label, Type: orchestrator.VariableType(strings.TrimSpace(string(w.Type))),
				Editable: w.Editable, Secure: w.Secure, Popover: w.Popover, Order: w.Order}
		},
	}
}
