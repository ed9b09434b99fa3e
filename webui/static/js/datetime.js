// Date-time call variables (A11.2): the server keeps RFC 3339 values with
// an offset; people read and pick them in their own local time. The
// conversions live here so the call panel and the supervisor's interaction
// detail show a value the same way. The server stays the authority on what
// is valid: these only translate.

const readableFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const pad = (n, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/** parse reads an RFC 3339 value; null when it is not one the browser understands. */
function parse(value) {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/**
 * toLocalInput turns an RFC 3339 value into what an <input
 * type="datetime-local"> holds, "YYYY-MM-DDTHH:MM:SS" in the browser's time
 * zone; "" when the value is empty or not a date-time.
 */
export function toLocalInput(value) {
  const d = parse(value);
  if (!d) return '';
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * fromLocalInput turns a datetime-local value ("YYYY-MM-DDTHH:MM" with
 * optional seconds) into RFC 3339 with the browser's UTC offset on that
 * date, so daylight saving time is right: "2026-11-22T14:30:00+05:30".
 * "" stays "" (the variable is cleared); anything else unreadable is null.
 */
export function fromLocalInput(local) {
  if (local === '') return '';
  const m = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x || 0));
  // The Date constructor reads local time; a time that a daylight-saving
  // jump skips moves forward, and the components below follow it.
  const t = new Date(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(t.getTime())) return null;
  t.setFullYear(y); // years 0–99 would otherwise mean 1900–1999
  const off = -t.getTimezoneOffset(); // minutes east of UTC
  const sign = off < 0 ? '-' : '+';
  return `${pad(t.getFullYear(), 4)}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`
    + `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/**
 * zoneLabel names the browser's time zone and its UTC offset now, so the
 * agent knows which clock the picker speaks: "Asia/Kolkata, UTC+05:30".
 */
export function zoneLabel() {
  const off = -new Date().getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const utc = `UTC${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return zone ? `${zone}, ${utc}` : utc;
}

/**
 * readable shows an RFC 3339 value in the reader's locale and time zone;
 * a value the browser cannot read is shown as it is, never hidden.
 */
export function readable(value) {
  const d = parse(value);
  return d ? readableFormat.format(d) : value;
}
