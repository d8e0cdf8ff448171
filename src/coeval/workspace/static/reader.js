// Starts the reader on the workspace page, talking to the server's JSON API.
"use strict";

(function () {
  const root = document.getElementById("reader");
  if (!root) return;
  const documentId = root.dataset.documentId;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const docUrl = "/api/documents/" + encodeURIComponent(documentId);

  async function call(method, url, body) {
    const options = { method, headers: { "X-CSRF-Token": csrf, "Accept": "application/json" },
      credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    if (response.status === 401) { window.location.href = "/login?next=" + encodeURIComponent(location.pathname); }
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const msg = data && data.error ? data.error : "the server answered " + response.status;
      throw new Error(msg.charAt(0).toUpperCase() + msg.slice(1) + (data && data.hint ? " " + data.hint : ""));
    }
    return data;
  }

  const codingUrl = (id) => "/api/codings/" + encodeURIComponent(id);
  const api = {
    load: async () => {
      const [doc, codes] = await Promise.all([call("GET", docUrl), call("GET", "/api/codebook")]);
      return { doc, codes };
    },
    code: (span) => call("POST", "/api/codings", { document_id: documentId, ...span }),
    change: (id, body) => call("PATCH", codingUrl(id), body),
    remove: (id) => call("DELETE", codingUrl(id)),
    done: () => call("POST", docUrl + "/done"),
    saveMemo: (text) => call("PUT", docUrl + "/memo", { text }),
    codings: () => call("GET", docUrl + "/codings"),
  };
  createReader(root, api, { user: root.dataset.user, canCode: root.dataset.canCode === "yes", refreshSeconds: 20 });
})();
