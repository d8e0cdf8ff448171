// coeval document reader: select text, pick a code. (The reader itself; reader.js starts it on a page.)
// Positions: the server stores code points into the document's text; the DOM counts UTF-16
// units. Each turn's text element carries its start (in code points); a selection's end points
// are measured in UTF-16 inside that element and converted by counting code points, so emoji,
// accents, combining marks and right-to-left text code exactly what was selected.
// All text goes into the page through textContent, never as HTML.
"use strict";

// createReader(root, api, options) builds the reader inside `root`: the page (reader.js) and the
// Jupyter widget (coeval.CodingView) call it with their own `api` (HTTP, or widget messages):
//   api.load() -> {doc, codes}; api.code({start, end, code_id}) -> coding;
//   api.change(id, {memo | code_id}) -> coding; api.remove(id); api.done() -> assignment;
//   api.saveMemo(text); api.codings() -> codings.
// options: {user, canCode, refreshSeconds}.

function createReader(root, api, options) {
  const userName = options.user;
  const canCode = !!options.canCode;
  root.classList.add("coeval-reader");
  root.replaceChildren(readerSkeleton());
  const $ = (name) => root.querySelector('[data-part="' + name + '"]');
  const PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"];
  const state = { turns: [], codings: [], codes: [], byId: new Map(), selection: null, recent: [] };
  const recentKey = "coeval-recent:" + userName;

  function say(text, isError) {
    const el = $("status");
    el.textContent = text;
    el.classList.toggle("error", !!isError);
  }

  // -- code points and UTF-16 -------------------------------------------------------------------
  function codePointLength(s) { let n = 0; for (const _ of s) n++; return n; }

  function turnAt(pos) {  // the turn whose text holds code point pos (binary search), or null
    let lo = 0, hi = state.turns.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, t = state.turns[mid];
      if (pos < t.start) hi = mid - 1; else if (pos >= t.end) lo = mid + 1; else return t;
    }
    return null;
  }

  function pointOffset(node, offset) {
    // the document position (code points) of a DOM point, or null outside the document
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (!element) return null;
    const text = element.closest(".turn-text");
    if (text) {
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(node, offset);
      return Number(text.dataset.start) + codePointLength(range.toString());
    }
    const turnEl = element.closest(".turn");
    if (turnEl) {
      const t = state.turns[Number(turnEl.dataset.i)];
      return node === turnEl && offset >= turnEl.childNodes.length ? t.end : t.start;
    }
    if (element === $("turns") || $("turns").contains(element)) {
      const children = $("turns").children;
      if (offset < children.length && children[offset].dataset.i !== undefined) {
        return state.turns[Number(children[offset].dataset.i)].start;
      }
      return state.turns.length ? state.turns[state.turns.length - 1].end : null;
    }
    return null;
  }

  function charAt(pos) {
    const t = turnAt(pos);
    return t ? t.chars[pos - t.start] : null;
  }

  function normalise(start, end) {
    // move ends off the gaps between turns, then trim white space
    if (start === null || end === null) return null;
    if (start > end) [start, end] = [end, start];
    while (start < end && (charAt(start) === null || /\s/u.test(charAt(start)))) {
      if (charAt(start) === null) {
        const next = state.turns.find((t) => t.start > start);
        if (!next) return null;
        start = next.start;
      } else start++;
    }
    while (end > start && (charAt(end - 1) === null || /\s/u.test(charAt(end - 1)))) {
      if (charAt(end - 1) === null) {
        const before = [...state.turns].reverse().find((t) => t.end < end);
        if (!before) return null;
        end = before.end;
      } else end--;
    }
    return start < end ? { start, end } : null;
  }

  function spanText(start, end) {
    const parts = [];
    for (const t of state.turns) {
      if (t.end <= start || t.start >= end) continue;
      parts.push(t.chars.slice(Math.max(start, t.start) - t.start, Math.min(end, t.end) - t.start).join(""));
    }
    return parts.join("\n");
  }

  function readSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!$("turns").contains(range.commonAncestorContainer)) return null;
    return normalise(pointOffset(range.startContainer, range.startOffset),
      pointOffset(range.endContainer, range.endOffset));
  }

  // -- drawing ---------------------------------------------------------------------------------
  // Colours: the codebook's own where it has one; otherwise the colour-blind-safe palette, handed
  // out in the order codes appear in this document, so the codes on one page rarely share a colour.
  const handedOut = new Map();
  function colourFor(codeId) {
    const code = state.byId.get(codeId);
    if (code && code.color) return code.color;
    if (!handedOut.has(codeId)) {
      handedOut.set(codeId, PALETTE[handedOut.size % PALETTE.length]);
      for (const swatch of root.querySelectorAll('button.code[data-code-id="' + CSS.escape(codeId) + '"] .swatch')) {
        swatch.style.backgroundColor = handedOut.get(codeId);
      }
    }
    return handedOut.get(codeId);
  }
  const colourOf = (coding) => coding.color || colourFor(coding.code_id);

  function tint(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function drawTurn(t) {
    const el = t.textEl;
    el.replaceChildren();
    const here = state.codings.filter((c) => c.start < t.end && t.start < c.end);
    const cuts = new Set([0, t.chars.length]);
    for (const c of here) {
      cuts.add(Math.max(c.start, t.start) - t.start);
      cuts.add(Math.min(c.end, t.end) - t.start);
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      const piece = t.chars.slice(a, b).join("");
      const covering = here.filter((c) => c.start - t.start <= a && c.end - t.start >= b);
      if (!covering.length) { el.appendChild(document.createTextNode(piece)); continue; }
      const span = document.createElement("span");
      span.className = "hl" + (covering.length > 1 ? " multi" : "");
      span.textContent = piece;
      const mine = covering.filter((c) => c.mine);
      const shown = mine.length ? mine[mine.length - 1] : covering[covering.length - 1];
      if (mine.length) span.style.backgroundColor = tint(colourOf(shown), 0.35);
      else span.classList.add(shown.origin === "consensus" ? "consensus" : "theirs");
      span.style.borderBottomColor = colourOf(shown);
      span.title = covering.map((c) => c.code + (c.mine ? "" : " (" + c.coder + ")")).join("\n");
      el.appendChild(span);
    }
  }

  function drawAll() { for (const t of state.turns) drawTurn(t); }

  function redrawSpan(start, end) {
    for (const t of state.turns) if (t.start < end && start < t.end) drawTurn(t);
  }

  function formatTime(seconds) {
    if (seconds === null || seconds === undefined) return "";
    const s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    const pad = (x) => String(x).padStart(2, "0");
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s % 60);
  }

  function buildTurns(turns) {
    const box = $("turns");
    const frag = document.createDocumentFragment();
    state.turns = turns.map((t, i) => {
      const div = document.createElement("div");
      div.className = "turn";
      div.dataset.i = String(i);
      const meta = document.createElement("div");
      meta.className = "meta";
      const who = document.createElement("span");
      who.className = "speaker";
      who.textContent = t.speaker || "—";
      meta.appendChild(who);
      for (const extra of [(t.role || "").replace(/_/g, " "), t.site, formatTime(t.time)]) {
        if (!extra) continue;
        const s = document.createElement("span");
        s.textContent = extra;
        meta.appendChild(s);
      }
      const text = document.createElement("div");
      text.className = "turn-text";
      text.dataset.start = String(t.start);
      text.dataset.segment = t.segment_id;
      div.append(meta, text);
      frag.appendChild(div);
      return { ...t, chars: Array.from(t.text), textEl: text };
    });
    box.replaceChildren(frag);
    box.setAttribute("aria-busy", "false");
  }

  // -- the codebook panel ----------------------------------------------------------------------
  function showCard(code) {
    const card = $("code-card");
    card.replaceChildren();
    if (!code) return;
    const h = document.createElement("h3");
    h.textContent = code.path;
    card.appendChild(h);
    for (const [label, value] of [["Definition", code.definition], ["Use when", code.include],
      ["Do not use when", code.exclude], ["Example", code.example]]) {
      if (!value) continue;
      const p = document.createElement("p");
      const b = document.createElement("strong");
      b.textContent = label + ": ";
      p.append(b, document.createTextNode(value));
      card.appendChild(p);
    }
  }

  function codeButton(code, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "code";
    button.dataset.codeId = code.id;
    button.textContent = label || code.name;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    const given = code.color || handedOut.get(code.id);
    if (given) swatch.style.backgroundColor = given;
    button.prepend(swatch);
    button.addEventListener("mouseenter", () => showCard(code));
    button.addEventListener("focus", () => showCard(code));
    button.addEventListener("mousedown", (e) => e.preventDefault());  // keep the text selection
    button.addEventListener("click", () => apply(code));
    return button;
  }

  function buildTree() {
    const tree = $("code-tree");
    tree.replaceChildren();
    for (const code of state.codes) {
      const li = document.createElement("li");
      li.dataset.codeId = code.id;
      li.dataset.search = (code.path + " " + code.definition + " " + code.include).toLowerCase();
      li.className = "depth-" + Math.min(code.depth, 4);
      li.appendChild(codeButton(code));
      tree.appendChild(li);
    }
  }

  function buildRecent() {
    const box = $("recent");
    box.replaceChildren();
    state.recent = state.recent.filter((id) => state.byId.has(id)).slice(0, 9);
    if (!state.recent.length) return;
    const label = document.createElement("span");
    label.className = "quiet";
    label.textContent = "Recent:";
    box.appendChild(label);
    state.recent.forEach((id, i) => {
      const b = codeButton(state.byId.get(id), state.byId.get(id).name);
      const key = document.createElement("kbd");
      key.textContent = String(i + 1);
      b.appendChild(key);
      box.appendChild(b);
    });
  }

  function filterTree() {
    const q = $("code-search").value.trim().toLowerCase();
    for (const li of $("code-tree").children) li.hidden = !!q && !li.dataset.search.includes(q);
  }

  // -- coding ----------------------------------------------------------------------------------
  function showSelection() {
    const span = readSelection();
    if (span) state.selection = span;
    const box = $("selection-text");
    if (!state.selection) {
      box.textContent = canCode ? "Select text in the document, then pick a code." : "You can read this document.";
      box.classList.add("quiet");
      return;
    }
    const text = spanText(state.selection.start, state.selection.end);
    box.textContent = "“" + (text.length > 160 ? text.slice(0, 157) + "…" : text) + "”";
    box.classList.remove("quiet");
  }

  async function apply(code) {
    if (!canCode) { say("You can read documents but not code them.", true); return; }
    const span = readSelection() || state.selection;
    if (!span) { say("Select some text first, then pick the code.", true); return; }
    try {
      const coding = await api.code({ start: span.start, end: span.end, code_id: code.id });
      if (!state.codings.some((c) => c.id === coding.id)) state.codings.push(coding);
      redrawSpan(coding.start, coding.end);
      state.recent = [code.id, ...state.recent.filter((id) => id !== code.id)];
      try { localStorage.setItem(recentKey, JSON.stringify(state.recent.slice(0, 9))); } catch (e) { /* no storage */ }
      buildRecent();
      window.getSelection().removeAllRanges();
      state.selection = null;
      showSelection();
      say("Coded “" + code.name + "”.");
      showHere(coding.start);
    } catch (e) { say(e.message, true); }
  }

  function showHere(pos) {
    const box = $("here");
    box.replaceChildren();
    const here = state.codings.filter((c) => c.start <= pos && pos < c.end);
    if (!here.length) return;
    const h = document.createElement("h2");
    h.textContent = "Codings here";
    box.appendChild(h);
    for (const c of here) {
      const item = document.createElement("div");
      item.className = "coding-item";
      const title = document.createElement("p");
      const name = document.createElement("strong");
      name.textContent = c.code;
      title.append(name, document.createTextNode(c.mine ? " · mine" : " · " + c.coder));
      const quote = document.createElement("p");
      quote.className = "quote";
      quote.textContent = spanText(c.start, c.end);
      item.append(title, quote);
      if (c.mine && canCode) {
        const memo = document.createElement("textarea");
        memo.rows = 2;
        memo.value = c.memo || "";
        memo.placeholder = "Memo on this coding";
        memo.setAttribute("aria-label", "Memo on this coding");
        const save = document.createElement("button");
        save.type = "button";
        save.textContent = "Save memo";
        save.addEventListener("click", () => change(c, { memo: memo.value }));
        const select = document.createElement("select");
        select.setAttribute("aria-label", "Change the code");
        for (const code of state.codes) {
          const o = document.createElement("option");
          o.value = code.id;
          o.textContent = "\u00a0\u00a0".repeat(code.depth) + code.name;
          o.title = code.path;
          o.selected = code.id === c.code_id;
          select.appendChild(o);
        }
        select.addEventListener("change", () => change(c, { code_id: select.value }));
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "danger";
        remove.textContent = "Remove";
        remove.addEventListener("click", () => removeCoding(c));
        item.append(memo, save, select, remove);
      } else if (c.memo) {
        const memo = document.createElement("p");
        memo.className = "quiet";
        memo.textContent = "Memo: " + c.memo;
        item.appendChild(memo);
      }
      box.appendChild(item);
    }
    box.scrollIntoView({ block: "nearest" });
  }

  async function change(coding, body) {
    try {
      const updated = await api.change(coding.id, body);
      state.codings = state.codings.filter((c) => c.id !== coding.id);
      state.codings.push(updated);
      redrawSpan(updated.start, updated.end);
      showHere(updated.start);
      say(body.memo !== undefined ? "Memo saved." : "Code changed to “" + updated.code + "”.");
    } catch (e) { say(e.message, true); }
  }

  async function removeCoding(coding) {
    try {
      await api.remove(coding.id);
      state.codings = state.codings.filter((c) => c.id !== coding.id);
      redrawSpan(coding.start, coding.end);
      showHere(coding.start);
      say("Removed “" + coding.code + "”.");
    } catch (e) { say(e.message, true); }
  }

  function showAssignment(a) {
    const button = $("mark-done");
    button.hidden = !(canCode && a.can_mark_done);
    $("done-state").textContent = a.done ? "You marked this document done." :
      (a.assigned ? "Assigned to you (" + a.rounds.join(", ") + ")." : "Not assigned to you.");
  }

  async function refresh() {
    try {
      const codings = await api.codings();
      const before = JSON.stringify(state.codings.map((c) => c.id).sort());
      if (JSON.stringify(codings.map((c) => c.id).sort()) !== before) { state.codings = codings; drawAll(); }
    } catch (e) { /* a missed refresh is not an error worth a message */ }
  }

  // -- start -----------------------------------------------------------------------------------
  async function start() {
    let doc, codes;
    try {
      ({ doc, codes } = await api.load());
    } catch (e) { say(e.message, true); return; }
    $("title").textContent = doc.document.title;
    $("subtitle").textContent = [doc.document.kind, doc.document.site, doc.document.date].filter(Boolean).join(" · ");
    state.codes = codes;
    state.byId = new Map(codes.map((c) => [c.id, c]));
    state.codings = doc.codings;
    $("blind-note").hidden = !doc.blind;
    try { state.recent = JSON.parse(localStorage.getItem(recentKey) || "[]"); } catch (e) { state.recent = []; }
    buildTurns(doc.turns);
    drawAll();
    buildTree();
    buildRecent();
    showSelection();
    $("doc-memo").value = doc.memo || "";
    showAssignment(doc.assignment);
    if (!canCode) $("codebook").classList.add("read-only");
    root.dataset.ready = "yes";
    if (options.refreshSeconds) setInterval(refresh, options.refreshSeconds * 1000);
  }

  document.addEventListener("selectionchange", () => {
    const s = readSelection();
    if (s) { state.selection = s; showSelection(); }
  });
  $("turns").addEventListener("click", () => {
    const sel = window.getSelection();
    if (sel && sel.isCollapsed && sel.rangeCount) {
      const pos = pointOffset(sel.anchorNode, sel.anchorOffset);
      if (pos !== null) showHere(pos);
      state.selection = null;
      showSelection();
    }
  });
  $("code-search").addEventListener("input", filterTree);
  $("code-search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      const first = [...$("code-tree").children].find((li) => !li.hidden);
      if (first) apply(state.byId.get(first.dataset.codeId));
    } else if (e.key === "Escape") { e.target.value = ""; filterTree(); e.target.blur(); }
  });
  root.ownerDocument.addEventListener("keydown", (e) => {
    const typing = e.target.closest && e.target.closest("input, textarea, select");
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!root.isConnected || (options.keysWhenInside && !root.contains(e.target) && e.target !== document.body)) return;
    if (e.key === "/") { e.preventDefault(); $("code-search").focus(); }
    else if (/^[1-9]$/.test(e.key) && state.recent[Number(e.key) - 1]) {
      e.preventDefault();
      apply(state.byId.get(state.recent[Number(e.key) - 1]));
    } else if (e.key === "Escape") { window.getSelection().removeAllRanges(); state.selection = null; showSelection(); }
  });
  $("save-memo").addEventListener("click", async () => {
    try {
      await api.saveMemo($("doc-memo").value);
      $("memo-state").textContent = "Saved.";
    } catch (e) { say(e.message, true); }
  });
  $("mark-done").addEventListener("click", async () => {
    try { showAssignment(await api.done()); say("Marked done. Thank you."); }
    catch (e) { say(e.message, true); }
  });
  start();
}

function readerSkeleton() {
  // the reader's parts, found by data-part (several readers may share a notebook page)
  const make = (tag, part, attrs, children) => {
    const el = document.createElement(tag);
    if (part) el.dataset.part = part;
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") el.textContent = v; else if (k === "className") el.className = v; else el.setAttribute(k, v);
    }
    for (const child of children || []) el.appendChild(child);
    return el;
  };
  const search = make("input", "code-search", { type: "search", autocomplete: "off",
    placeholder: "Type to filter; Enter applies the first" });
  const searchLabel = make("label", null, { className: "search" }, [document.createTextNode("Find a code "),
    make("kbd", null, { text: "/" }), search]);
  const memoBox = make("details", null, { className: "doc-memo" }, [
    make("summary", null, { text: "My memo on this document" }),
    make("textarea", "doc-memo", { rows: "4", "aria-label": "My memo on this document" }),
    make("button", "save-memo", { type: "button", text: "Save memo" }),
    make("span", "memo-state", { className: "quiet" })]);
  const panel = make("aside", null, { className: "panel", "aria-label": "Codebook and codings" }, [
    make("div", null, { className: "selection-box" }, [make("p", "selection-text", { className: "quiet" })]),
    make("div", "here", { className: "here", "aria-live": "polite" }),
    make("div", "codebook", { className: "codebook" }, [searchLabel,
      make("div", "recent", { className: "recent", "aria-label": "Recent codes" }),
      make("ul", "code-tree", { className: "code-tree", role: "list" }),
      make("div", "code-card", { className: "code-card", "aria-live": "polite" })]),
    memoBox,
    make("div", null, { className: "done-box" }, [
      make("button", "mark-done", { type: "button", hidden: "", text: "I have finished this document" }),
      make("p", "done-state", { className: "quiet" })]),
    make("p", "status", { className: "status-line", role: "status" })]);
  const head = make("header", null, { className: "doc-head" }, [make("h1", "title"),
    make("p", "subtitle", { className: "quiet" }),
    make("p", "blind-note", { className: "note", hidden: "",
      text: "Independent round: you see only your own codings." })]);
  const loading = make("p", null, { className: "quiet", text: "Loading…" });
  const documentColumn = make("section", null, { className: "document", "aria-label": "Document" }, [head,
    make("div", "turns", { className: "turns", "aria-busy": "true" }, [loading])]);
  const frag = document.createDocumentFragment();
  frag.append(documentColumn, panel);
  return frag;
}
