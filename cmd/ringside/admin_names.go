package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ringside/ringside/store"
)

// The CLI names things the way people do (team "Sales", queue "support",
// extension 2001, user ann@example.com) while the store links them by id.
// These helpers translate both ways; a name that does not resolve is an
// error before anything is written.

// names maps ids to the names the CLI shows.
type names struct {
	teams, queues, extensions, logins map[int64]string
}

func loadNames(ctx context.Context, db *store.DB) (*names, error) {
	n := &names{teams: map[int64]string{}, queues: map[int64]string{}, extensions: map[int64]string{},
		logins: map[int64]string{}}
	ts, err := db.Teams(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		n.teams[t.ID] = t.Name
	}
	qs, err := db.Queues(ctx)
	if err != nil {
		return nil, err
	}
	for _, q := range qs {
		n.queues[q.ID] = q.Name
	}
	es, err := db.Extensions(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		n.extensions[e.ID] = e.Number
	}
	us, err := db.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		n.logins[u.ID] = u.Login
	}
	return n, nil
}

func (n *names) queueNames(ids []int64) []string {
	out := []string{}
	for _, id := range ids {
		out = append(out, n.queues[id])
	}
	return out
}

// teamID resolves a team name; "" means no team.
func teamID(ctx context.Context, db *store.DB, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	t, err := db.TeamByName(ctx, name)
	return t.ID, err
}

// queueIDs resolves queue names, naming the first unknown one.
func queueIDs(ctx context.Context, db *store.DB, queueNames []string) ([]int64, error) {
	ids := []int64{}
	for _, name := range queueNames {
		if name == "" {
			continue // --queue "" clears the list
		}
		q, err := db.QueueByName(ctx, name)
		if err != nil {
			return nil, err
		}
		ids = append(ids, q.ID)
	}
	return ids, nil
}

// extensionID resolves an extension number; "" means none.
func extensionID(ctx context.Context, db *store.DB, number string) (int64, error) {
	if number == "" {
		return 0, nil
	}
	e, err := db.ExtensionByNumber(ctx, number)
	return e.ID, err
}

// userID resolves a login; "" means nobody.
func userID(ctx context.Context, db *store.DB, login string) (int64, error) {
	if login == "" {
		return 0, nil
	}
	u, err := db.UserByLogin(ctx, login)
	return u.ID, err
}

// readPassword takes the password from --password or, with
// --password-stdin, from the first line of standard input (for scripts, and
// to keep it out of the process list).
func readPassword(flag string, fromStdin bool, stdin io.Reader) (string, error) {
	if !fromStdin {
		return flag, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--password-stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("--password-stdin: no password on standard input")
	}
	return pw, nil
}
