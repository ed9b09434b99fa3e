// The dial-number part of the station form (S4.1): a country picker (default
// +1 United States) and the national number, or, with "International format"
// unticked, a raw E.164 (+11234567890) or IDD (01161123456789) number. The
// server validates; this only collects what the agent typed.

import { get } from './api.js';
import { $, setOptions } from './dom.js';

const FALLBACK = { default: 'US', countries: [{ region: 'US', code: 1 }] };
let loaded = null; // the promise of GET /api/v1/dial-countries

/** regionNamer names ISO 3166 regions in the browser's language. */
function regionNamer() {
  try {
    const names = new Intl.DisplayNames(navigator.languages, { type: 'region' });
    return (r) => names.of(r) || r;
  } catch {
    return (r) => r;
  }
}

/** loadDialCountries fills the picker once; a failure leaves +1 only. */
export function loadDialCountries() {
  if (!loaded) {
    loaded = get('/api/v1/dial-countries').catch(() => FALLBACK).then((data) => {
      const name = regionNamer();
      const opts = data.countries
        .map((c) => [c.region, `${name(c.region)} (+${c.code})`])
        .sort((a, b) => a[1].localeCompare(b[1]));
      const select = $('dial-country');
      const keep = select.value;
      setOptions(select, opts);
      select.value = keep && opts.some(([r]) => r === keep) ? keep : data.default;
    });
  }
  return loaded;
}

/** syncDialFields enables the fields that the station type and format call for. */
export function syncDialFields() {
  const dial = $('station-type-dial').checked;
  const national = $('dial-international').checked;
  $('dial-international').disabled = !dial;
  $('dial-country').disabled = !dial || !national;
  $('dial-country-field').hidden = !national;
  $('dial-number').disabled = !dial;
  $('dial-number').placeholder = national ? 'National number, e.g. 415 555 0100' : '+11234567890 or 01161123456789';
  $('dial-number').setAttribute('aria-label', national ? 'National number' : 'Number in E.164 or IDD format');
}

/** dialStation is the station request for what the agent typed. */
export function dialStation() {
  const national = $('dial-international').checked;
  return {
    type: 'dial_number',
    number: $('dial-number').value.trim(),
    country: national ? $('dial-country').value : '',
  };
}

/** showRememberedDial puts a remembered (E.164) dial number back in the form. */
export function showRememberedDial(number) {
  $('dial-international').checked = false;
  $('dial-number').value = number;
  syncDialFields();
}

/** initDialFields wires the format checkbox. */
export function initDialFields() {
  $('dial-international').addEventListener('change', () => {
    syncDialFields();
    $('dial-number').focus();
  });
}
