"""YAML that cannot blow up: no aliases, bounded nesting, safe types only, errors with the line.

A 400-byte YAML file whose aliases refer to aliases expands to gigabytes ("billion laughs");
codebooks, report settings and note front matter come from people and other tools, so every
YAML coeval reads goes through here. PyYAML's safe loader builds only plain types but still
expands aliases, and recursion runs out of stack on deep nesting; both are refused here with
an error naming the line.
"""

from __future__ import annotations

from ..errors import FormatError

__all__ = ["load_yaml", "compose_yaml", "MAX_DEPTH"]

MAX_DEPTH = 64


def _loader_class():
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """A safe loader that refuses aliases and nesting deeper than MAX_DEPTH."""

        _depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here",
                                                  event.start_mark)
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise yaml.composer.ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                                                      self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return NoAliasLoader


def _checked_c_loader(text):
    """libyaml's safe loader (ten times faster than PyYAML's own Python one), after its parser's
    events show no alias and no nesting deeper than MAX_DEPTH; None where PyYAML was built
    without libyaml."""
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        return None
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here", event.start_mark)
        if isinstance(event, (yaml.CollectionStartEvent, yaml.ScalarEvent)):   # a node, one level down
            if depth + 1 > MAX_DEPTH:   # as PyYAML's loader counts (NoAliasLoader.compose_node)
                raise yaml.composer.ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                                                  event.start_mark)
            depth += isinstance(event, yaml.CollectionStartEvent)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.CSafeLoader


def _run(fn, text, path, error, what):
    import yaml

    try:
        return fn(text, Loader=_checked_c_loader(text) or _loader_class())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"is not valid {what} ({problem}).", path=path, line=mark.line + 1 if mark else None,
                    hint="Check indentation, quote values that contain ': ', and write each value out "
                         "(no &anchors or *aliases).") from None
    except RecursionError:
        raise error(f"is nested too deeply to be {what}.", path=path) from None


def load_yaml(text: str, *, path=None, error=FormatError, what: str = "YAML"):
    """Plain Python values (dict, list, str, int, float, bool, None, date) from YAML text."""
    import yaml

    return _run(yaml.load, text, path, error, what)


def compose_yaml(text: str, *, path=None, error=FormatError, what: str = "YAML"):
    """The YAML node tree (with line numbers), for readers that report the line of each problem."""
    import yaml

    return _run(yaml.compose, text, path, error, what)
