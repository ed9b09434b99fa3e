package orchestrator

import (
	"context"
	"time"
	"unicode/utf8"
)

// maxVariableLength is the longest value an agent may save (A11.2).
const maxVariableLength = 256

// setVariable saves an editable variable if the editor read the latest
// version; otherwise the first save has won and the editor is told (A11.4).
func (o *Orchestrator) setVariable(ctx context.Context, userID int64, id, name, value string, version int) (VariableView, error) {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return VariableView{}, err
	}
	if ix.state != InteractionConnected {
		return VariableView{}, Errorf(CodeConflict, "call data can be changed only during the call")
	}
	def, ok := ix.def(name)
	if !ok {
		return VariableView{}, Errorf(CodeNotFound, "variable %q is not defined", name)
	}
	if !def.Editable {
		return VariableView{}, Errorf(CodeForbidden, "%s cannot be changed", def.Label)
	}
	if n := utf8.RuneCountInString(value); n > maxVariableLength {
		return VariableView{}, Errorf(CodeInvalid, "value: %s is %d characters; at most %d", def.Label, n, maxVariableLength)
	}
	if def.Type == VariableDateTime && value != "" {
		if _, err := time.Parse(time.RFC3339, value); err != nil {
			return VariableView{}, Errorf(CodeInvalid, "value: %s must be an ISO 8601 date-time such as 2026-11-22T14:30:00Z", def.Label)
		}
	}
	if cur := ix.versions[name]; version != cur {
		shown := ix.vars[name]
		if def.Secure {
			shown = secureMask
		}
		return VariableView{}, Errorf(CodeConflict, "%s was changed by someone else to %q before your save; your value was overwritten, so check it and save again", def.Label, shown)
	}
	ix.vars[name] = value
	ix.versions[name]++
	o.saveInteraction(ix)
	// The value itself is not in the timeline: it may be secure.
	o.event(ix, "variable_saved", a.user.ID, name)
	o.changed(ix)
	for _, v := range variableViews(ix.defs, ix.vars, ix.versions) {
		if v.Name == name {
			return v, nil
		}
	}
	return VariableView{}, nil
}

// revealVariable shows a secure value to the agent handling the call or in
// the consult; each reveal is audited, the value never logged (A11.3).
func (o *Orchestrator) revealVariable(ctx context.Context, userID int64, id, name string) (string, error) {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return "", err
	}
	def, ok := ix.def(name)
	if !ok {
		return "", Errorf(CodeNotFound, "variable %q is not defined", name)
	}
	if !def.Secure {
		return ix.vars[name], nil
	}
	o.audit(a.user.ID, "secure_variable_revealed", ix, name)
	return ix.vars[name], nil
}

func (ix *interaction) def(name string) (VariableDef, bool) {
	for _, d := range ix.defs {
		if d.Name == name {
			return d, true
		}
	}
	return VariableDef{}, false
}
