package orchestrator

// StationOption is one entry of the station list a user picks from (S4.2).
type StationOption struct {
	Type    StationType `json:"type"`
	Number  string      `json:"number"`
	Label   string      `json:"label"`
	Virtual bool        `json:"virtual,omitempty"`
}

// StationList orders the extensions a user may pick (R6): their personal
// extension, then their own virtual extension shown as "mobile <number>",
// then every other physical extension. Other users' virtual extensions are
// never listed (R5).
func StationList(u User, exts []Extension) []StationOption {
	var personal, virtual, others []StationOption
	for _, e := range exts {
		switch {
		case e.Kind == ExtensionVirtual:
			if e.OwnerID == u.ID && u.AllowRemote {
				virtual = append(virtual, StationOption{Type: StationExtension, Number: e.Number, Label: "mobile " + e.Mobile, Virtual: true})
			}
		case e.ID == u.PersonalExtensionID && e.ID != 0:
			personal = append(personal, StationOption{Type: StationExtension, Number: e.Number, Label: e.Number})
		default:
			others = append(others, StationOption{Type: StationExtension, Number: e.Number, Label: e.Number})
		}
	}
	return append(append(personal, virtual...), others...)
}
