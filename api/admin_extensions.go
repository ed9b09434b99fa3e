package api

import (
	"context"

	"github.com/ringside/ringside/orchestrator"
)

// Extensions on the admin pages (P6): physical ones only. A virtual
// extension follows one user's mobile and is created, renumbered and
// removed with that user's remote settings (R4), so it is listed here but
// changed only there.

type extensionWire struct {
	ID         int64                      `json:"id" put:"optional"`
	Number     string                     `json:"number"`
	DialString string                     `json:"dial_string"`
	Kind       orchestrator.ExtensionKind `json:"kind" put:"optional"`   // "" on input: physical
	OwnerID    int64                      `json:"owner_id"`              // 0: shared
	Mobile     string                     `json:"mobile" put:"optional"` // virtual ones: the owner's mobile (read only)
}

func extensionsResource(acc Accounts) adminResource[orchestrator.Extension, extensionWire] {
	return adminResource[orchestrator.Extension, extensionWire]{
		kind: "extension", what: "extension", plural: "extensions", listKey: "extensions",
		list: acc.Extensions, add: acc.AddExtension, update: acc.UpdateExtension, remove: acc.RemoveExtension,
		id:     func(e orchestrator.Extension) int64 { return e.ID },
		label:  func(e orchestrator.Extension) string { return "extension " + e.Number },
		toWire: func(e orchestrator.Extension) extensionWire { return extensionWire(e) },
		fromWire: func(id int64, w extensionWire) orchestrator.Extension {
			if w.Kind == "" {
				w.Kind = orchestrator.ExtensionPhysical
			}
			return orchestrator.Extension{ID: id, Number: w.Number, DialString: w.DialString, Kind: w.Kind,
				OwnerID: w.OwnerID, Mobile: w.Mobile}
		},
		check: physicalOnly,
	}
}

// physicalOnly keeps virtual extensions out of the extension pages.
func physicalOnly(_ context.Context, old, new *orchestrator.Extension) error {
	if old != nil && old.Kind == orchestrator.ExtensionVirtual {
		return orchestrator.Errorf(orchestrator.CodeConflict,
			"extension %s is a virtual extension; change it in its user's remote settings", old.Number)
	}
	if new != nil && new.Kind != orchestrator.ExtensionPhysical {
		return invalid("kind: only physical extensions are managed here; a virtual one is set in its user's remote settings")
	}
	if new != nil && new.Mobile != "" {
		return invalid("mobile: only virtual extensions follow a mobile")
	}
	return nil
}
