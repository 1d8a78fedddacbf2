// Reading a scanned text as a label of this app, on the phone. The format (and the server's reading
// of it, which has the last word: only the server can check a location label's signature) is
// documented in scanning/labels.py: `<base>/s/<kind>/<id...>`, each id segment percent-encoded.

const LABEL = /^(.*?)\/s\/(loc|sku|lot|wo|sn)\/(.+)$/;
export const LOCATION_TOKEN = /^(\d{1,12})\.[A-Za-z0-9_-]{11}$/;
const CONTAINER_QTY = /^(\d{1,9}(?:\.\d{1,3})?)\.[A-Za-z0-9_-]{11}$/;
const SEGMENTS = { sku: 1, lot: 2, wo: 1, sn: 1 };
const MAX_ID_LENGTH = 64;
const NAMES_KEY = "oh.scanner.locations.verified"; // location label token → code the server confirmed

function normalBase(base) {
  try {
    const url = new URL(base);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`.toLowerCase();
  } catch {
    return base.toLowerCase();
  }
}

/**
 * `text` as a label of this app: {kind, text, path, id (loc) | segments}; {kind: "invalid"} for a
 * damaged label of this app; null for a foreign code. `bases`: the addresses this app's labels carry.
 */
export function readLabel(text, bases = []) {
  const [beforeHash] = text.trim().split("#");
  const [path, query = ""] = beforeHash.split("?");
  const clean = path.replace(/\/+$/, "");
  const match = LABEL.exec(clean);
  if (!match) return null;
  const [, base, kind, rest] = match;
  const known = bases.map(normalBase);
  const ours = !base || known.length === 0 || known.includes(normalBase(base));
  if (kind === "loc") {
    // A location label from another address may be this app's from before a move: the server decides.
    const token = LOCATION_TOKEN.exec(rest);
    // `?c=`: the code printed on the label, unsigned: shown at once, verified by the server.
    const code = (new URLSearchParams(query).get("c") || "").trim().slice(0, MAX_ID_LENGTH);
    if (token) return { kind, text: text.trim(), id: token[1], token: rest, code, path: `/s/loc/${rest}` };
    return ours ? { kind: "invalid" } : null;
  }
  if (!ours) return null;
  let segments;
  try {
    segments = rest.split("/").map(decodeURIComponent);
  } catch {
    return { kind: "invalid" };
  }
  if (segments.length !== SEGMENTS[kind] || segments.some((s) => !s.trim() || s.length > MAX_ID_LENGTH)) {
    return { kind: "invalid" };
  }
  const label = { kind, text: text.trim(), segments, path: `/s/${kind}/${rest}` };
  // A container label: `?q=<qty>.<signature>`, the quantity packed in it (only the server can check
  // the signature; the phone fills the quantity in, which the worker sees beside Confirm).
  const packed = kind === "lot" ? CONTAINER_QTY.exec(new URLSearchParams(query).get("q") || "") : null;
  if (packed) label.qty = packed[1];
  return label;
}

function locationNames() {
  try {
    return JSON.parse(localStorage.getItem(NAMES_KEY) || "{}");
  } catch {
    return {};
  }
}

/** The code the server confirmed for this exact label (id and signature), or null. */
export function verifiedName(label) {
  return (label?.token && locationNames()[label.token]) || null;
}

/** What the screen calls a location label: the confirmed code, else the printed one, else its number. */
export function locationName(label) {
  return verifiedName(label) || label?.code || `#${label?.id}`;
}

export function learnLocationName(labelText, code) {
  const label = readLabel(labelText || "");
  if (!label || label.kind !== "loc" || !code) return;
  const names = locationNames();
  names[label.token] = code;
  try {
    localStorage.setItem(NAMES_KEY, JSON.stringify(names));
  } catch {
    /* the screen shows the label number instead */
  }
}
