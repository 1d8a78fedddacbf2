// Calls to the JSON API from pages, on the session cookie. The API refuses a cookie-borne change
// without the X-CSRFToken header (blueprints/api/__init__.py), and DESIGN §12 wants an
// Idempotency-Key on every change sent from the phone, so both are added here, once.
//
//   import { apiFetch, ApiError } from "/pwa/js/api.js";
//   const order = await apiFetch("/api/v1/orders", { method: "POST", body: { ... } });

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export function newIdempotencyKey() {
  if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; phones on plain http in the plant still need unique keys.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A refusal in the DESIGN §12 shape: {error: {code, message, fields}}. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = error.code || "http_error";
    this.fields = error.fields || {};
  }
}

/**
 * fetch() for the API: JSON in and out, CSRF header and Idempotency-Key on changes.
 * Pass `idempotencyKey` when retrying a change, so the server answers the replay with the first reply.
 * Throws ApiError on a 4xx/5xx answer and TypeError when the network is unreachable.
 */
export async function apiFetch(path, { method = "GET", body, headers = {}, idempotencyKey, signal } = {}) {
  const upper = method.toUpperCase();
  const sent = new Headers(headers);
  sent.set("Accept", "application/json");
  if (!SAFE_METHODS.has(upper)) {
    sent.set("X-CSRFToken", csrfToken());
    sent.set("Idempotency-Key", idempotencyKey || newIdempotencyKey());
  }
  let payload = body;
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    sent.set("Content-Type", "application/json");
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method: upper, headers: sent, body: payload, credentials: "same-origin", signal });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
