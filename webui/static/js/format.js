// Formatting for people: durations and clock times in the user's locale.

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const dateClock = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** duration formats milliseconds as m:ss, or h:mm:ss from an hour on. */
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${ss}`;
  return `${m}:${ss}`;
}

/** since is the time elapsed from an ISO timestamp until now, formatted. */
export function since(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return duration(now - t);
}

/** until is the time left until an ISO timestamp, formatted. */
export function until(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return duration(t - now);
}

/** time is the clock time of an ISO timestamp in the user's locale. */
export function time(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : clock.format(t);
}

/** dateTime is the date and time of an ISO timestamp in the user's locale. */
export function dateTime(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : dateClock.format(t);
}

/** Go's zero time, which the server omits but older payloads may carry. */
export function isSet(iso) {
  return Boolean(iso) && !iso.startsWith('0001-01-01');
}
