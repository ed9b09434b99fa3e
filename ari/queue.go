package ari

import (
	"log/slog"
	"sync"

	"github.com/ringside/ringside/orchestrator"
)

// maxQueued bounds the events waiting for the orchestrator. It is far above
// anything a live system queues (the orchestrator drains in microseconds);
// it only keeps a wedged consumer from eating all memory.
const maxQueued = 1 << 16

// queue is the ordered hand-over between the WebSocket reader, which must
// never block (PBX-NOTES: fall behind and events are lost), and the Events
// channel, which waits for the orchestrator.
type queue struct {
	log *slog.Logger

	mu      sync.Mutex
	items   []orchestrator.MediaEvent
	dropped int
	wake    chan struct{}
}

func newQueue(log *slog.Logger) *queue {
	return &queue{log: log, wake: make(chan struct{}, 1)}
}

func (q *queue) push(evs ...orchestrator.MediaEvent) {
	if len(evs) == 0 {
		return
	}
	q.mu.Lock()
	for _, ev := range evs {
		if len(q.items) >= maxQueued {
			q.dropped++
			if q.dropped == 1 || q.dropped%1000 == 0 {
				q.log.Error("PBX event queue full: the orchestrator is not reading; dropping events", "dropped", q.dropped)
			}
			continue
		}
		q.items = append(q.items, ev)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pump delivers queued events to out, in order, until stop closes; then it
// closes out.
func (q *queue) pump(out chan<- orchestrator.MediaEvent, stop <-chan struct{}) {
	defer close(out)
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.mu.Unlock()
			select {
			case <-q.wake:
				continue
			case <-stop:
				return
			}
		}
		ev := q.items[0]
		q.items[0] = orchestrator.MediaEvent{}
		q.items = q.items[1:]
		q.mu.Unlock()
		select {
		case out <- ev:
		case <-stop:
			return
		}
	}
}
