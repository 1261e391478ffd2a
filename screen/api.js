// kioskd's local API, as the screen uses it. Every answer is fetched with no-store (kioskd
// says no-store too): nothing personal stays in the browser's caches.

export class APIError extends Error {
  constructor(status, body) {
    super(body?.message?.en ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(method, path, body) {
  const options = { method, cache: "no-store", credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1/${path}`, options);
  } catch (error) {
    throw new APIError(0, null);
  }
  const type = response.headers.get("Content-Type") ?? "";
  const data = type.includes("json") ? await response.json().catch(() => null) : await response.blob();
  if (!response.ok) throw new APIError(response.status, data);
  return data;
}

export const api = {
  screen: () => call("GET", "screen"),
  devices: () => call("GET", "devices"),
  procedures: (query = "", field = "") => {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (field) params.set("field", field);
    return call("GET", `procedures${params.size ? "?" + params : ""}`);
  },
  procedure: (code) => call("GET", `procedures/${encodeURIComponent(code)}`),
  start: (language, consent) => call("POST", "sessions", { language, consent }),
  session: (id) => call("GET", `sessions/${id}`),
  /** A rejected event (422) resolves too: its body carries the session and the field errors. */
  event: async (id, event) => {
    try {
      return { screen: await call("POST", `sessions/${id}/events`, event), rejected: null };
    } catch (error) {
      if (error.status === 422 && error.body?.session) return { screen: error.body.session, rejected: error.body.rejected };
      throw error;
    }
  },
  pageURL: (session, page) => `/api/v1/sessions/${session}/pages/${page}`,
  ticket: (queue, priority) => call("POST", `queues/${encodeURIComponent(queue)}/tickets`, { priority }),
  speech: (text, language) => call("POST", "speech", { text, language }),
};

/** The live event stream: `scope` is "devices" or a session id. Reconnects on its own. */
export function listen(scope, handlers) {
  const url = scope === "devices" ? "/api/v1/events?devices" : `/api/v1/events?session=${scope}`;
  const source = new EventSource(url);
  for (const [name, handler] of Object.entries(handlers)) {
    source.addEventListener(name, (message) => {
      try {
        handler(JSON.parse(message.data));
      } catch {
        /* a malformed event is ignored: the next fetch brings the truth */
      }
    });
  }
  return source;
}
