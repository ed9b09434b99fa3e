package mediatest

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"
)

// echoServer answers every line with the same line.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a line over c and reports whether it came back.
func roundTrip(c net.Conn) error {
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err == nil && line != "ping\n" {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestProxyDropAndRestore(t *testing.T) {
	p, err := NewProxy(echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	before := dial(t, p.Addr())
	if err := roundTrip(before); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}

	p.Drop()
	start := time.Now()
	if err := roundTrip(before); err == nil {
		t.Error("a connection made before Drop still works")
	}
	if err := roundTrip(dial(t, p.Addr())); err == nil {
		t.Error("a connection made while dropped works")
	}
	if time.Since(start) > time.Second {
		t.Errorf("failures took %v: the adapter must see them at once, not by timeout", time.Since(start))
	}

	p.Restore()
	if err := roundTrip(dial(t, p.Addr())); err != nil {
		t.Errorf("after Restore: %v", err)
	}
}

func TestProxyTargetDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	p, err := NewProxy(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := roundTrip(dial(t, p.Addr())); err == nil {
		t.Error("a connection to a target that is down works")
	}
}

func TestProxyCloseEndsConnections(t *testing.T) {
	p, err := NewProxy(echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, p.Addr())
	if err := roundTrip(c); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := roundTrip(c); err == nil {
		t.Error("a connection survived Close")
	}
}
