"""Safe, bounded YAML reading with line lookup for error messages.

Parsing uses libyaml (``yaml.CSafeLoader``) when PyYAML was built with it. Line numbers are not
kept for every value (that would slow the happy path): when a problem is found, the file is
composed again and the key path is walked to the node's line (:class:`Locator`).
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from pathways._gc import gc_paused
from pathways.errors import CatalogError, Diagnostic, WriteError

__all__ = [
    "MAX_ALIAS_BYTES",
    "MAX_INPUT_BYTES",
    "Locator",
    "NestingTooDeep",
    "atomic_folder",
    "atomic_write_text",
    "dump_yaml",
    "format_keypath",
    "locked",
    "output_path",
    "parse_yaml_bytes",
    "read_regular_file",
    "read_text_file",
    "read_yaml",
    "yaml_header",
]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Text values up to this long (keys, ids, codes, short titles) are shared: one object per
#: distinct value in a load.
_SHARED_TEXT_MAX = 64


def _make_loader(base: type) -> type:
    """The project's safe loader on top of PyYAML's ``base`` (libyaml's ``CSafeLoader`` when
    PyYAML was built with it; tests also run the pure-Python ``SafeLoader``)."""

    class Loader(base):  # type: ignore[misc,valid-type]
        """Safe loader that leaves dates as text, so that pydantic reports bad dates with a key,
        and builds its text values compactly (:meth:`construct_yaml_str`)."""

        yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers
                    if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }

        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            #: ``(key, first key node, repeated key node)`` of each key written twice
            self.duplicates: list[tuple[Any, yaml.Node, yaml.Node]] = []

        def construct_yaml_str(self, node: yaml.Node) -> str:
            """A text value as a new string made now, next to the dict or list that holds it;
            short ones shared (``sys.intern``: every ``id`` key, and each id named again and
            again, is one object).

            PyYAML returns the string its node was built with. Those strings sit among the
            nodes' own objects, which are all freed after construction, so a large catalog's
            text ended up scattered over memory that stayed allocated for it, and every later
            pass over the data (validation, checks, the graph) read it from all over that
            memory. For a 100k-course file: RSS after parsing 1711 -> 338 MB, validate + graph
            about 10 % faster (runs interleaved in one process), the parse itself unchanged
            within noise.
            """
            value: str = self.construct_scalar(node)  # type: ignore[no-untyped-call]
            if not value:
                return value
            fresh = "".join((value, ""))  # a new object: str() and slicing return the same one
            return sys.intern(fresh) if len(fresh) <= _SHARED_TEXT_MAX else fresh

        def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
            """A mapping; a key written twice in it is recorded (``duplicates``), never kept
            silently as its last value.

            The check costs one length comparison per mapping: the constructed dict is shorter
            than the mapping's own pairs only when a key repeats. Keys merged in with ``<<`` may
            be overridden (that is what merging is for), so a mapping with a merge is checked
            pair by pair.
            """
            own = node.value  # the merge pairs are deleted from this list in place
            mapping: dict[Any, Any] = super().construct_mapping(node, deep)  # type: ignore[misc]
            if len(mapping) < len(own) or node.value is not own:
                seen: dict[Any, yaml.Node] = {}
                for key_node, _ in own:
                    try:
                        key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
                        first = seen.setdefault(key, key_node)
                    except TypeError:  # an unhashable key: the constructor reported it already
                        continue
                    if first is not key_node:
                        self.duplicates.append((key, first, key_node))
            return mapping

    Loader.add_constructor("tag:yaml.org,2002:str", Loader.construct_yaml_str)
    return Loader


_Loader = _make_loader(_BaseLoader)

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: Documents whose aliases would expand to more nodes than this are rejected (alias bombs).
MAX_EXPANDED_NODES = 5_000_000
#: Aliases may add at most this much text (characters of scalar values, keys included) to a
#: document beyond its own length: a 1 MB file that repeats a long description through
#: aliases 300 times would otherwise become 300 MB of text for every analysis downstream.
MAX_ALIAS_BYTES = 16 * 1024 * 1024

KeyPath = Sequence[str | int]


def format_keypath(keypath: KeyPath) -> str:
    """``("courses", 0, "hours")`` -> ``"courses[0].hours"``."""
    out = ""
    for part in keypath:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _compose(text: str, file: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _expanded_size(root: yaml.Node, file: str, text_length: int = 0) -> None:
    """Reject documents whose aliases expand beyond :data:`MAX_EXPANDED_NODES` nodes, or add
    more than :data:`MAX_ALIAS_BYTES` characters of text to the ``text_length`` of the
    document."""
    sizes: dict[int, int] = {}
    chars: dict[int, int] = {}
    max_chars = text_length + MAX_ALIAS_BYTES
    on_stack: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_stack.discard(key)
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = node.value
            else:
                children = []
            total = 1 + sum(sizes[id(c)] for c in children)
            length = (len(node.value) if isinstance(node, yaml.ScalarNode)
                      else sum(chars[id(c)] for c in children))
            if length > max_chars:
                raise CatalogError(
                    Diagnostic(
                        f"YAML aliases expand to more than {max_chars:,} bytes of text "
                        f"(the file is {text_length:,}; aliases may add at most "
                        f"{MAX_ALIAS_BYTES:,}): an alias expansion bomb",
                        file=file,
                        line=node.start_mark.line + 1,
                        hint="write the repeated text out, or reuse it less: aliases (*) are "
                             "for small shared values",
                    )
                )
            chars[key] = length
            if total > MAX_EXPANDED_NODES:
                raise CatalogError(
                    Diagnostic(
                        f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values "
                        "(an alias expansion bomb)",
                        file=file,
                        line=node.start_mark.line + 1,
                        hint="write the data out without nested anchors (&) and aliases (*)",
                    )
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_stack:
            raise CatalogError(
                Diagnostic(
                    "recursive YAML alias: a value contains itself",
                    file=file,
                    line=node.start_mark.line + 1,
                    hint="remove the alias (*) that refers to its own anchor (&)",
                )
            )
        on_stack.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            stack.extend((n, False) for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((n, False) for n in node.value)


def read_text_file(path: str | os.PathLike[str], *, what: str = "file") -> str:
    """The text of a UTF-8 file (a CV, a job ad, a profile to store as written), read as
    :func:`read_regular_file` reads (at most :data:`MAX_INPUT_BYTES`, never a FIFO or a
    device); a UTF-8 byte order mark is dropped.

    Raises
    ------
    CatalogError
        When the file cannot be read or is not UTF-8 text, naming it.
    """
    raw = read_regular_file(path, what=what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CatalogError(Diagnostic(f"not UTF-8 text ({err.reason} at byte {err.start})",
                                      file=str(path), hint="save the file as UTF-8")) from err


def read_yaml(path: str | os.PathLike[str], *, display: str | None = None) -> Any:
    """Parse one YAML file safely: no arbitrary objects, no alias bombs, errors with lines.

    Raises
    ------
    CatalogError
        When the file cannot be read, is not UTF-8, is not valid YAML, or its aliases expand
        too far. The diagnostic names the file and line.
    """
    shown = display or str(path)
    raw = read_regular_file(path, display=shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CatalogError(
            Diagnostic(f"not UTF-8 text ({err.reason} at byte {err.start})", file=shown,
                       hint="save the file as UTF-8")
        ) from err
    del raw
    return parse_yaml(text, shown)


def parse_yaml_bytes(data: bytes, file: str) -> tuple[Any, str]:
    """Parse YAML sent as bytes (an upload): ``(data, text)``, as :func:`read_yaml` reads a
    file of those bytes (a UTF-8 byte order mark is dropped; at most :data:`MAX_INPUT_BYTES`).

    >>> parse_yaml_bytes(b"\\xef\\xbb\\xbfcourses: []\\n", "c.yaml")
    ({'courses': []}, 'courses: []\\n')

    Raises
    ------
    CatalogError
        As :func:`read_yaml`; ``file`` names the upload.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CatalogError(Diagnostic(f"not UTF-8 text ({err.reason} at byte {err.start})",
                                      file=file, hint="save the file as UTF-8")) from err
    size = len(text.encode("utf-8"))
    if size > MAX_INPUT_BYTES:
        raise CatalogError(Diagnostic(f"too large ({size:,} bytes; at most {MAX_INPUT_BYTES:,})",
                                      file=file, hint="a file is much smaller than that: check the path"))
    return parse_yaml(text, file), text


def _duplicate(key: Any, first: yaml.Node, again: yaml.Node, file: str) -> Diagnostic:
    return Diagnostic(
        f'duplicate key "{key}": also at line {first.start_mark.line + 1} of the same mapping; '
        "YAML would keep only the last value",
        file=file, line=again.start_mark.line + 1,
        hint="remove one of the two, or rename it (a second list of the same name must be "
             "merged into the first)")


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text (see :func:`read_yaml`); ``file`` names it in errors.

    Raises
    ------
    CatalogError
        As :func:`read_yaml`; also for each key written twice in one mapping (naming both
        lines), which YAML itself would resolve by keeping the last value silently.
    """
    loader = _Loader(text)
    try:
        with gc_paused():
            node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text and "*" in text:
            _expanded_size(node, file, len(text))
        with gc_paused():
            data = loader.construct_document(node)
        if loader.duplicates:
            raise CatalogError([_duplicate(key, first, again, file)
                                for key, first, again in loader.duplicates])
        return data
    except RecursionError as err:  # the pure-Python composer recurses once per level
        raise _too_deep(text, file) from err
    except yaml.MarkedYAMLError as err:
        if "nesting depth" in str(err.problem):  # libyaml (PyYAML >= 6.0.3) stops at 1000 levels
            raise _too_deep(text, file) from err
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        context = err.context_mark
        if context is not None and mark is not None and context.line != mark.line:
            lines = text.splitlines()
            if mark.line >= len(lines) or not lines[mark.line].strip():
                # An unclosed bracket or quote runs to the end of the file: the useful line
                # is where it opened.
                mark = context
            else:
                problem += f" ({err.context} that starts at line {context.line + 1})"
        raise CatalogError(
            Diagnostic(
                f"YAML syntax error: {problem}",
                file=file,
                line=mark.line + 1 if mark else None,
                hint="check brackets, quotes, colons and indentation on that line or the one above",
            )
        ) from err
    except yaml.YAMLError as err:
        raise CatalogError(Diagnostic(f"YAML error: {err}", file=file)) from err
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- deep nesting
#: How deep :func:`_nesting_site` follows a document before it reports the place; well above
#: any real catalog (requirement trees may nest 50 levels, two YAML levels each) and below what
#: the pure-Python composer can recurse into.
_WALK_DEPTH = 200


class NestingTooDeep(CatalogError):
    """A document nested too deep for the YAML parser (libyaml stops at 1000 levels; the
    pure-Python parser runs out of stack sooner).

    ``keypath`` is where the walk stopped, ``lines`` the 1-based line of each part of it, and
    ``ids`` the ``id`` of each mapping on the way when it came before the deep part (the
    mapping reached by ``keypath[:n]`` at ``ids[n]``); readers
    that know which keys hold deep structures (requirement trees) use them to place the
    problem at the structure's root.
    """

    def __init__(self, diagnostic: Diagnostic, keypath: tuple[str | int, ...],
                 lines: tuple[int, ...], ids: dict[int, str]) -> None:
        super().__init__(diagnostic)
        self.keypath = keypath
        self.lines = lines
        self.ids = ids


def _too_deep(text: str, file: str) -> NestingTooDeep:
    keypath, lines, ids = _nesting_site(text)
    cut = format_keypath(keypath[:3])  # the item and its key: the rest is the deep part
    item_id = next((ids[d] for d in (2, 1) if d in ids and d <= len(keypath)), None)
    return NestingTooDeep(
        Diagnostic("nested too deep to read (lists or mappings inside each other hundreds of "
                   "levels deep)", file=file,
                   line=lines[min(len(lines), 3) - 1] if lines else None, path=cut or None,
                   id=item_id, hint="flatten the structure: real catalogs nest a few levels"),
        keypath, lines, ids)


def _paths(text: str) -> Iterator[tuple[str, tuple[str | int, ...], tuple[int, ...], int]]:
    """The key paths of a YAML document from its parser events, without recursion (the
    composer recurses once per level): ``("enter", path, lines, depth)`` for each list or
    mapping entered, ``("key", path, lines, depth)`` for each key and ``("id", path, lines,
    depth)`` for each ``id: value`` (``path`` ends with the value); ``lines`` holds the 1-based
    line of each part of ``path``. Stops quietly where the parser gives up.
    """
    loader = _Loader(text)
    # one frame per open container: [is_mapping, expecting_key, key or index, key line]
    frames: list[list[Any]] = []
    parts: list[str | int] = []
    lines: list[int] = []

    def leave_value() -> None:
        if frames:
            frame = frames[-1]
            if frame[0]:
                frame[1] = True
            else:
                frame[2] += 1

    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            frame = frames[-1] if frames else None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if frame is not None:
                    if frame[0] and frame[1]:  # a mapping used as a key: no path
                        frame[2], frame[3], frame[1] = "?", line, False
                    parts.append(frame[2])
                    lines.append(frame[3] if frame[0] else line)
                frames.append([isinstance(event, yaml.MappingStartEvent), True, 0, line])
                yield "enter", tuple(parts), tuple(lines), len(frames)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frames.pop()
                if parts:
                    parts.pop()
                    lines.pop()
                leave_value()
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                if frame is not None and frame[0] and frame[1]:  # a key
                    frame[2], frame[3], frame[1] = getattr(event, "value", "?"), line, False
                    yield "key", (*parts, frame[2]), (*lines, line), len(frames)
                    continue
                if frame is not None and frame[0] and frame[2] == "id" and \
                        isinstance(event, yaml.ScalarEvent):
                    yield "id", (*parts, event.value), (*lines, line), len(frames)
                leave_value()
    except (yaml.YAMLError, RecursionError):
        return  # the parser gave up here
    finally:
        loader.dispose()


def _nesting_site(text: str) -> tuple[tuple[str | int, ...], tuple[int, ...], dict[int, str]]:
    """Where a document gets too deep: the key path of the first list or mapping nested more
    than :data:`_WALK_DEPTH` levels (or where the parser gave up), with the line of each part
    and the ids met on the way (by the depth of the mapping that holds them)."""
    path: tuple[str | int, ...] = ()
    lines: tuple[int, ...] = ()
    ids: dict[int, str] = {}
    for kind, found, found_lines, depth in _paths(text):
        if kind == "id":
            ids[depth - 1] = str(found[-1])
            continue
        path, lines = (found, found_lines) if kind == "enter" else (found[:-1], found_lines[:-1])
        if kind == "enter" and depth > _WALK_DEPTH:
            break
    return path, lines, ids


def _event_line(text: str, keypath: KeyPath) -> int | None:
    """The line of ``keypath`` (or of its deepest part that exists), found from the parser's
    events: for documents too deep to compose."""
    target = tuple(keypath)
    best: int | None = None
    for kind, found, lines, _ in _paths(text):
        if kind == "id":
            continue
        if found == target[:len(found)] and lines:
            best = lines[-1]
            if len(found) == len(target):
                return best
    return best


#: Makes, for one file, ``find(keypath) -> line`` (it may read the file once for all the
#: questions a :class:`Locator` asks of it).
LineFinder = Callable[[str], Callable[[KeyPath], int | None]]


class Locator:
    """Find the line of a key path in YAML files, reading each file at most once.

    An item of a top-level list (``("courses", 41, "hours")``) is found by scanning the text
    for the list's entries and composing only that entry, checked against the parsed ``data``
    (same number of entries, same ``id``); anything else, or an entry that does not check out,
    composes the whole file once. Composing a 100k-course file takes minutes; placing a few
    dozen warnings in it this way takes well under a second. Files that are not YAML are
    asked of ``finders[suffix]`` (the catalog loader passes its table,
    :data:`pathways.io.catalog.LINE_FINDERS`).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.yaml"
    >>> _ = p.write_text("courses:\\n  - id: A\\n    hours: 5\\n")
    >>> Locator().line(str(p), ("courses", 0, "hours"))
    3
    >>> Locator(data={str(p): {"courses": [{"id": "A", "hours": 5}]}}).line(str(p), ("courses", 0, "hours"))
    3
    """

    def __init__(self, texts: dict[str, str] | None = None, *,
                 data: dict[str, Any] | None = None,
                 finders: Mapping[str, LineFinder] | None = None) -> None:
        self._texts = dict(texts or {})
        self._by_suffix = dict(finders or {})  # files that are not YAML (e.g. .csv), by suffix
        self._data = data or {}
        self._roots: dict[str, yaml.Node | None] = {}
        self._finders: dict[str, Callable[[KeyPath], int | None]] = {}
        self._entries: dict[tuple[str, str], tuple[list[int], list[int], int] | None] = {}

    def line(self, file: str | None, keypath: KeyPath) -> int | None:
        """1-based line of the deepest node of ``keypath`` that exists (a key's own line)."""
        if file is None:
            return None
        finder = self._finders.get(file)
        if finder is None and Path(file).suffix in self._by_suffix:
            finder = self._finders[file] = self._by_suffix[Path(file).suffix](file)
        if finder is not None:
            return finder(tuple(keypath))
        if file not in self._roots and len(keypath) >= 2 and isinstance(keypath[0], str) \
                and isinstance(keypath[1], int):
            found = self._entry_line(file, keypath)
            if found is not None:
                return found
        if file not in self._roots:
            text = self._text(file)
            try:
                self._roots[file] = _compose(text, file) if text is not None else None
            except yaml.YAMLError:
                self._roots[file] = None
            except RecursionError:  # deeper than the composer can recurse (pure-Python PyYAML)
                self._roots[file] = None
                return _event_line(text or "", keypath)
        node = self._roots[file]
        if node is None and file in self._texts and self._texts[file] is not None:
            return _event_line(self._texts[file], keypath)
        return _walk(node, keypath, 0) if node is not None else None

    def _text(self, file: str) -> str | None:
        text = self._texts.get(file)
        if text is None:
            try:
                text = self._texts[file] = Path(file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return text

    def _entry_line(self, file: str, keypath: KeyPath) -> int | None:
        """The line of ``keypath`` inside one entry of a top-level list, or None when the
        text does not check out against the data (then the caller composes the file)."""
        collection, index = keypath[0], keypath[1]
        items = self._data.get(file, {})
        items = items.get(collection) if isinstance(items, dict) else None
        if not isinstance(items, list) or not 0 <= index < len(items):  # type: ignore[operator]
            return None
        key = (file, collection)
        if key not in self._entries:
            top = self._data.get(file)
            self._entries[key] = _list_entries(self._text(file) or "", collection,  # type: ignore[arg-type]
                                               list(top) if isinstance(top, dict) else [])
        entries = self._entries[key]
        if entries is None or len(entries[0]) != len(items):
            return None
        starts, lines, end = entries
        text = self._texts[file]
        chunk = text[starts[index]:starts[index + 1] if index + 1 < len(starts) else end]  # type: ignore[operator,index]
        try:
            root = _compose(chunk, file)
        except (yaml.YAMLError, CatalogError, RecursionError):
            return None
        if not isinstance(root, yaml.SequenceNode) or len(root.value) != 1:
            return None
        entry, expected = root.value[0], items[index]  # type: ignore[index]
        if isinstance(expected, dict) and "id" in expected:
            found_id = next((v.value for k, v in getattr(entry, "value", ())
                             if getattr(k, "value", None) == "id"
                             and isinstance(v, yaml.ScalarNode)), None)
            if found_id is None or found_id.strip() != str(expected["id"]).strip():
                return None
        return _walk(entry, keypath[2:], lines[index] - 1)  # type: ignore[index]


def _list_entries(text: str, collection: str, keys: list[str]
                  ) -> tuple[list[int], list[int], int] | None:
    """Offsets and 1-based lines of the entries of the block list under the top-level key
    ``collection``, and where the list ends; None when the text is not laid out that way.

    ``keys`` are the file's top-level keys in order (from the parsed data): the list ends
    where the next one starts. Everything is found with ``str.find`` (a 60 MB file takes a
    fraction of a second); the caller checks the result against the data.
    """
    def top_level(key: str, start: int) -> int:
        """Offset of the line ``key:`` at column 0 (after ``start``), or -1."""
        pos = start
        while True:
            pos = text.find(key, pos)
            if pos < 0:
                return -1
            if (pos == 0 or text[pos - 1] == "\n") and re.match(r"[ \t]*:", text[pos + len(key):pos + len(key) + 64]):
                return pos
            pos += 1

    head = top_level(collection, 0)
    if head < 0:
        return None
    after = keys.index(collection) + 1 if collection in keys else len(keys)
    nxt = top_level(keys[after], head) if after < len(keys) else -1
    end = nxt if nxt >= 0 else len(text)
    first = re.compile(r"\n( *)- ").search(text, head, end)
    if first is None:
        return None
    dash = "\n" + first.group(1) + "- "
    starts, lines = [], []
    pos, line, last = first.start(), 1, 0
    while 0 <= pos < end:
        line += text.count("\n", last, pos + 1)
        last = pos + 1
        starts.append(pos + 1)
        lines.append(line)
        pos = text.find(dash, pos + 1, end)
    return starts, lines, end


def _walk(node: yaml.Node, keypath: KeyPath, offset: int) -> int:
    """The line of the deepest node of ``keypath`` below ``node`` (lines shifted by ``offset``)."""
    line = node.start_mark.line + 1
    for part in keypath:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == part:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line + offset
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return line + offset
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line + offset
    return line + offset


def dump_yaml(data: Any, *, header: str = "") -> str:
    """YAML text for plain data, keys in insertion order, with an optional comment header."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    if header:
        comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
        return comment + body
    return body


#: Temporary files of :func:`atomic_write_text` and :func:`atomic_folder`:
#: ``.<name>.<pid>.<random>.tmp``, so that a later run can tell the ones whose writer died.
_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _remove_stale(folder: Path, name: str) -> None:
    """Remove the temporary files (and folders) that a killed writer of ``name`` left."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = _TMP.match(entry.name)
        if found is None or found["name"] != name or _alive(int(found["pid"])):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                import shutil

                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


def _write_problem(target: Path, err: OSError, what: str = "file") -> WriteError:
    reason = err.strerror or str(err)
    if isinstance(err, IsADirectoryError) or target.is_dir() and what == "file":
        hint = "give a file name, not a directory"
        reason = "it is a directory"
    elif isinstance(err, PermissionError):
        hint = "choose a folder you can write to, or fix its permissions"
    elif getattr(err, "errno", None) in (28, 122):  # ENOSPC, EDQUOT
        hint = "free some disk space; the old content was kept"
    else:
        hint = "check the path"
    return WriteError(f"cannot write the {what} {target}: {reason}; {hint}")


def yaml_header(path: str | os.PathLike[str]) -> str:
    """The comment block that opens a YAML file (``#`` and one space removed), to keep when the
    file is rewritten; ``""`` when there is none or the file cannot be read.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "me.yaml"
    >>> _ = p.write_text("# Maria's profile\\n#  kept by her advisor\\nlearner: {id: m}\\n# not this\\n")
    >>> yaml_header(p)
    "Maria's profile\\n kept by her advisor"
    """
    lines = []
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.startswith("#"):
                    break
                lines.append(line[1:].removeprefix(" ").rstrip("\n"))
    except (OSError, UnicodeDecodeError):
        return ""
    return "\n".join(lines)


def output_path(path: str | os.PathLike[str]) -> Path:
    """Where a write to ``path`` lands: a symbolic link is written through (its target is
    replaced, the link stays), never replaced by a file."""
    return Path(os.path.realpath(path))


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half of one.

    A symbolic link is written through (:func:`output_path`). Temporary files that a killed
    writer left beside the file are removed on the next write.

    Raises
    ------
    WriteError
        When ``path`` is a directory, or the file cannot be written (permissions, a full disk):
        the old file, if any, is left as it was.
    """
    target = output_path(path)
    if target.is_dir():
        raise WriteError(f"cannot write the file {path}: it is a directory; give a file name, "
                         "not a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target.parent, target.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=target.parent)
    except OSError as err:
        raise _write_problem(target, err) from err
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _write_problem(target, err) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A new folder to fill, which replaces ``path`` as a whole when the block ends.

    The files are written into a temporary folder beside ``path``; on success it takes the
    place of ``path`` (an existing folder is exchanged with it atomically where the system
    can, else moved aside first and removed after), so a kill or a full disk midway never leaves
    a mix of old and new files. On an error the temporary folder is removed and ``path`` is
    untouched; folders a killed run left are removed on the next one. A symbolic link is
    written through.

    Raises
    ------
    WriteError
        When ``path`` is a file, or the folder cannot be written.
    """
    target = output_path(path)
    if target.exists() and not target.is_dir():
        raise WriteError(f"cannot write the folder {path}: it is a file; give a folder name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target.parent, target.name)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=target.parent))
    except OSError as err:
        raise _write_problem(target, err, "folder") from err
    import shutil

    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if not target.exists():
            os.rename(tmp, target)
        elif not any(target.iterdir()):
            os.rmdir(target)
            os.rename(tmp, target)
        elif not _exchange(tmp, target):
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                        dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
            os.rename(tmp, target)
            tmp = old
        shutil.rmtree(tmp, ignore_errors=True)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _write_problem(target, err, "folder") from err
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(done == 0)


@contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` for a read-modify-write of it (e.g. a learner
    profile that ``badges import`` updates): a second writer waits, then reads the first one's
    result. The lock is a ``.<name>.lock`` file beside ``path`` (the file itself is replaced by
    each atomic write, so it cannot carry the lock); where ``fcntl`` is missing, no lock."""
    target = output_path(path)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise _write_problem(target, err) from err
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


#: Input files larger than this are refused before they are read (a catalog of 100,000
#: courses is about 60 MB of YAML).
MAX_INPUT_BYTES = 1024 * 1024 * 1024


def read_regular_file(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES,
                      display: str | None = None, what: str = "file") -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.

    Never blocks or reads without end: a FIFO, a device (``/dev/zero``), a socket or a
    directory is refused without reading it, and no more than ``limit + 1`` bytes are read
    even when the file grows meanwhile.

    Raises
    ------
    CatalogError
        When the file does not exist, cannot be read, is not a regular file or is too large.
    """
    shown = display or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise CatalogError(Diagnostic(f"cannot read the {what}: {err.strerror or err}",
                                      file=shown, hint="check the path and its permissions")
                           ) from err
    except ValueError as err:  # a NUL character in the path
        raise CatalogError(Diagnostic(f"not a valid path ({err})", file=shown.replace("\0", "\\0"),
                                      hint="check the path")) from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a directory" if stat.S_ISDIR(info.st_mode) else
                    "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                    "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                    else "not a regular file")
            raise CatalogError(Diagnostic(f"not a regular file ({kind}); pathways reads only "
                                          "regular files", file=shown,
                                          hint=f"give the path of a {what} on disk"))
        if info.st_size > limit:
            raise CatalogError(Diagnostic(
                f"too large ({info.st_size:,} bytes; at most {limit:,})", file=shown,
                hint=f"a {what} is much smaller than that: check the path"))
        chunks, size = [], 0
        while size <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            except BlockingIOError:  # pragma: no cover - regular files never block
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise CatalogError(Diagnostic(f"too large (more than {limit:,} bytes)", file=shown,
                                          hint=f"a {what} is much smaller than that"))
        return b"".join(chunks)
    except OSError as err:
        raise CatalogError(Diagnostic(f"cannot read the {what}: {err.strerror or err}",
                                      file=shown, hint="check the path and its permissions")
                           ) from err
    finally:
        os.close(fd)
