package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ringside/ringside/ari"
	"github.com/ringside/ringside/config"
	"github.com/ringside/ringside/store"
)

// Server is a running `ringside serve`.
type Server struct{ *controller }

// Serve opens the database (applying migrations), connects to the PBX the
// configuration names and serves the API and desktop. cfg must be validated.
func Serve(ctx context.Context, cfg config.Config, log *slog.Logger) (*Server, error) {
	if cfg.PBX != config.PBXAsterisk {
		return nil, fmt.Errorf("pbx: %q is not available yet in this version; use asterisk", cfg.PBX)
	}
	db, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	warnStoredMobiles(ctx, db, log)
	media, err := ari.New(ari.Options{
		URL: cfg.ARI.URL, Username: cfg.ARI.Username, Password: cfg.ARI.Password.Reveal(),
		Application: cfg.ARI.App, Logger: log,
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	c, err := startController(ctx, controllerOptions{
		DB: db, Media: media, Listen: cfg.Listen, DialNumberTemplate: cfg.DialNumberTemplate,
		SecureCookies: cfg.SessionCookieSecure, AllowedOrigins: cfg.AllowedOrigins,
		TrustedProxies: cfg.TrustedProxyPrefixes(), Logger: log,
		MusicClass: cfg.MusicClass,
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return &Server{c}, nil
}

// Close stops the server and closes the database.
func (s *Server) Close() {
	s.controller.Close()
	_ = s.DB.Close()
}
