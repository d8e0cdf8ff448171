"""The reader as a Jupyter widget: ``ce.CodingView(proj, coder="AC-2", document="...")``.

The same reader as the workspace page (``static/reader-core.js``), talking to Python through
widget messages instead of HTTP; coding goes through :mod:`coeval.workspace.actions`, so the
audit log, the blind rule and the code-point positions are the workspace's. Built on
`anywidget <https://anywidget.dev>`_ (``pip install "coeval[jupyter]"``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

try:
    import anywidget
    import traitlets
except ImportError as exc:  # pragma: no cover - shown to the person who tries it
    raise ImportError("ce.CodingView needs anywidget: pip install \"coeval[jupyter]\" (or pip install anywidget)") \
        from exc

__all__ = ["CodingView", "widget_module"]

_GLUE = """
export default {
  render({ model, el }) {
    let next = 1;
    const pending = new Map();
    model.on("msg:custom", (msg) => {
      const waiting = pending.get(msg.id);
      if (!waiting) return;
      pending.delete(msg.id);
      if (msg.ok) waiting.resolve(msg.result);
      else waiting.reject(new Error(msg.error + (msg.hint ? " " + msg.hint : "")));
    });
    const call = (op, args) => new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      model.send({ id, op, args: args || {} });
    });
    const api = {
      load: () => call("load"),
      code: (span) => call("code", span),
      change: (id, body) => call("change", { id, ...body }),
      remove: (id) => call("remove", { id }),
      done: () => call("done"),
      saveMemo: (text) => call("memo", { text }),
      codings: () => call("codings"),
    };
    el.classList.add("widget");
    el.tabIndex = 0;
    createReader(el, api, { user: model.get("coder"), canCode: model.get("can_code"), keysWhenInside: true });
  },
};
"""


def _static(name: str) -> str:
    return resources.files("coeval.workspace").joinpath("static", name).read_text(encoding="utf-8")


@cache
def widget_module() -> str:
    """The widget's JavaScript module: the workspace's reader and the widget's message glue."""
    return _static("reader-core.js") + _GLUE


class CodingView(anywidget.AnyWidget):
    """Read and code one document in a notebook, as ``coder``, writing to the project.

    Parameters
    ----------
    proj : Project
    coder : str
        A registered coder: codings are theirs, and in a blind round they see only their own.
    document : str
        The document id (see ``proj.documents``).
    can_code : bool
        False for a read-only view.

    Examples
    --------
    >>> view = ce.CodingView(proj, coder="AC-2", document="northside-workshop1-zoom")  # doctest: +SKIP
    >>> view                                   # select text, pick a code  # doctest: +SKIP
    """

    _esm = traitlets.Unicode("").tag(sync=True)
    _css = traitlets.Unicode("").tag(sync=True)
    coder = traitlets.Unicode("").tag(sync=True)
    document_id = traitlets.Unicode("").tag(sync=True)
    can_code = traitlets.Bool(True).tag(sync=True)

    def __init__(self, proj, *, coder: str, document: str, can_code: bool = True, **kwargs):
        from .views import require_document

        with proj._engine.connect() as conn:
            proj._require_coder(conn, coder)
        require_document(proj, document)
        self._project = proj
        self._user = {"name": coder, "access": "coder" if can_code else "viewer"}
        super().__init__(_esm=widget_module(), _css=_static("reader.css"), coder=coder, document_id=document,
                         can_code=can_code, **kwargs)
        self.on_msg(self._answer)

    def handle(self, op: str, args: dict | None = None):
        """Do what the reader asks (``load``, ``code``, ``change``, ``remove``, ``done``, ``memo``,
        ``codings``) and return the answer it gets; the widget's messages come here."""
        from ..errors import CodingError
        from . import actions
        from .views import codebook_payload, codings_payload, document_payload

        proj, user, doc = self._project, self._user, self.document_id
        args = args or {}
        if op == "load":
            return {"doc": document_payload(proj, user, doc), "codes": codebook_payload(proj)}
        if op == "codings":
            return codings_payload(proj, user, doc)
        if user["access"] == "viewer":
            raise CodingError("this view is read-only.", hint="Open it with can_code=True to code.")
        if op == "code":
            return actions.create_coding(proj, user, {**args, "document_id": doc})
        if op == "change":
            return actions.change_coding(proj, user, str(args.get("id")), args)
        if op == "remove":
            return actions.remove_coding(proj, user, str(args.get("id")))
        if op == "done":
            return actions.finish_document(proj, user, doc)
        if op == "memo":
            return actions.save_document_memo(proj, user, doc, args.get("text", ""))
        raise CodingError(f"unknown request {op!r}.")

    def _answer(self, _widget, content, _buffers) -> None:
        from ..errors import CoevalError

        rid = content.get("id") if isinstance(content, dict) else None
        try:
            result = self.handle(str(content.get("op")), content.get("args"))
            self.send({"id": rid, "ok": True, "result": result})
        except CoevalError as exc:
            self.send({"id": rid, "ok": False, "error": exc.message, "hint": exc.hint or ""})
