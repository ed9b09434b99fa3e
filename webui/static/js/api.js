// Talking to the server: JSON requests, and the event stream.

import { desktopId } from './desktop.js';

/** ApiError carries the server's {"error":{"code","message"}}. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * request sends a JSON request to the API and returns the decoded answer
 * (null for 204). Failures throw ApiError with the server's message.
 */
export async function request(method, path, body) {
  // The desktop header lets the server refuse a tab that another has replaced (S2).
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-Ringside-Desktop': desktopId } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'unavailable', 'Cannot reach the server. Check your connection.');
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = data && data.error;
    throw new ApiError(res.status, (err && err.code) || 'internal',
      (err && err.message) || `The server answered ${res.status}.`);
  }
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

/** The close code the server uses when the web session has ended. */
export const CLOSE_SIGNED_OUT = 4401;

/** The close code the server uses when another desktop took over (S2). */
export const CLOSE_REPLACED = 4409;

/**
 * EventStream keeps the desktop's WebSocket open: it reconnects with
 * backoff after any drop, and every (re)connection starts with a snapshot.
 * handlers: onSnapshot(msg), onEvent(msg), onDown(), onSignedOut(),
 * onReplaced() (another desktop took over: no reconnecting).
 */
export class EventStream {
  constructor(handlers) {
    this.h = handlers;
    this.delay = 500;
    this.stopped = false;
    this.timer = 0;
    this.ws = null;
    this.open();
  }

  open() {
    if (this.stopped) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/api/v1/events?desktop=${encodeURIComponent(desktopId)}`);
    this.ws = ws;
    let gotSnapshot = false;
    ws.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg.type === 'replaced') {
        this.replaced();
      } else if (msg.type === 'snapshot') {
        gotSnapshot = true;
        this.delay = 500;
        this.h.onSnapshot(msg);
      } else {
        this.h.onEvent(msg);
      }
    };
    ws.onclose = async (e) => {
      if (this.stopped || ws !== this.ws) return;
      if (e.code === CLOSE_SIGNED_OUT) {
        this.stop();
        this.h.onSignedOut();
        return;
      }
      if (e.code === CLOSE_REPLACED) {
        this.replaced();
        return;
      }
      this.h.onDown();
      if (!gotSnapshot) {
        // The handshake failed: maybe the session is gone.
        try {
          await get('/api/v1/me');
        } catch (err) {
          if (err.status === 401) {
            this.stop();
            this.h.onSignedOut();
            return;
          }
        }
      }
      const wait = this.delay + Math.random() * this.delay * 0.3;
      this.delay = Math.min(this.delay * 2, 10000);
      this.timer = setTimeout(() => this.open(), wait);
    };
  }

  /** replaced stops for good and tells the page, once. */
  replaced() {
    if (this.stopped) return;
    this.stop();
    this.h.onReplaced();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close();
    }
  }
}
