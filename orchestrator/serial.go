package orchestrator

import "sync"

// serial runs functions one after another in a goroutine of their own, so a
// call's PBX commands keep their order without holding up the loop.
type serial struct {
	mu      sync.Mutex
	queue   []func()
	running bool
}

// Go queues f behind everything queued before it.
func (s *serial) Go(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, f)
	if !s.running {
		s.running = true
		go s.drain()
	}
}

func (s *serial) drain() {
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.running = false
			s.mu.Unlock()
			return
		}
		f := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		f()
	}
}
