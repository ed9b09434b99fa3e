package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// dialCountries serves the dial-number country picker (S4.1) and the admin's
// mobile-number field: every region with its calling code. Names are left
// to the browser (Intl.DisplayNames) so they come in the user's language.
func (s *Server) dialCountries(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{
		"default":   orchestrator.DefaultDialRegion,
		"countries": orchestrator.DialCountries(),
	})
}
