#!/usr/bin/env python3
"""Doc-comment coverage of the public API of every library target under Sources/.

Lists each public or open declaration (types, protocols, typealiases, funcs, inits, vars, lets,
subscripts, cases of public enums, requirements of public protocols, members of public
extensions) that has no `///` (or `/** */`) doc comment directly above it; attribute lines such
as `@inlinable` may stand between the comment and the declaration. Prints a count per target and
exits 1 when anything is missing.

Usage: python3 scripts/doc-coverage.py [--summary] [TARGET ...]
  --summary   counts only, no list of undocumented declarations
  TARGET      restrict to these targets (default: every library target)

Members that only satisfy a standard protocol (`description`, `==`, `hash(into:)`,
`encode(to:)`, `init(from:)`, `errorDescription`, ...) are exempt: their meaning is the
protocol's.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, "Sources")
# Executable targets and C-only targets carry no public Swift API to document.
EXCLUDED_TARGETS = {"soundstack"}

# Conformance members whose documentation is the protocol's own.
EXEMPT_NAMES = {
    "description", "debugDescription", "errorDescription", "failureReason",
    "recoverySuggestion", "helpAnchor", "hashValue", "==", "!=", "<", "hash(into:)",
    "encode(to:)", "init(from:)", "makeIterator()", "next()",
}

DECL_KEYWORDS = (
    "struct", "class", "enum", "protocol", "actor", "typealias", "associatedtype",
    "func", "init", "var", "let", "subscript", "case", "extension", "macro",
)
MODIFIERS = {
    "public", "open", "internal", "private", "fileprivate", "package", "static", "class",
    "final", "override", "mutating", "nonmutating", "convenience", "required", "lazy",
    "weak", "unowned", "indirect", "dynamic", "optional", "nonisolated", "consuming",
    "borrowing", "isolated", "distributed", "prefix", "postfix", "infix",
}
ACCESS_RESTRICTED = {"internal", "private", "fileprivate", "package"}

STRING_RE = re.compile(r'#*"(?:[^"\\]|\\.)*"#*')
ATTR_RE = re.compile(r"^@\w+(\([^()]*(\([^()]*\))*[^()]*\))?\s*")


def strip_code(line, state):
    """Removes comments and string literals from a line; `state` tracks multi-line ones."""
    out = []
    i = 0
    n = len(line)
    while i < n:
        if state["block"]:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out)
            state["block"] = False
            i = end + 2
            continue
        if state["multistring"]:
            end = line.find('"""', i)
            if end < 0:
                return "".join(out)
            state["multistring"] = False
            i = end + 3
            continue
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            state["block"] = True
            i += 2
            continue
        if line.startswith('"""', i) or re.match(r'#+"""', line[i:]):
            state["multistring"] = True
            i = line.find('"""', i) + 3
            continue
        if line[i] == '"' or (line[i] == "#" and re.match(r'#+"', line[i:])):
            m = STRING_RE.match(line, i)
            if m:
                out.append('""')
                i = m.end()
                continue
        out.append(line[i])
        i += 1
    return "".join(out)


def parse_decl(code):
    """Returns (modifiers, keyword, rest) for a declaration line, or None."""
    s = code.strip()
    while True:
        m = ATTR_RE.match(s)
        if not m:
            break
        s = s[m.end():]
    mods = []
    words = s.split()
    idx = 0
    while idx < len(words):
        w = words[idx]
        base = w.split("(")[0]
        if base in MODIFIERS and not (base == "class" and idx + 1 < len(words)
                                       and words[idx + 1].split("(")[0] not in MODIFIERS
                                       and words[idx + 1] not in DECL_KEYWORDS):
            mods.append(w)
            idx += 1
            continue
        break
    if idx >= len(words):
        return None
    kw = re.match(r"[A-Za-z]+", words[idx])
    if not kw or kw.group(0) not in DECL_KEYWORDS:
        return None
    keyword = kw.group(0)
    if keyword == "init" and not re.match(r"init[?!]?\s*[(<]", " ".join(words[idx:])):
        return None
    rest = s.split(None, idx)[-1] if idx else s
    return mods, keyword, rest


def decl_name(keyword, rest):
    if keyword == "init":
        m = re.match(r"init[?!]?\s*(<[^>]*>)?\s*\(([^)]*)\)?", rest)
        labels = []
        if m:
            depth = 0
            params, cur = [], ""
            for ch in m.group(2):
                if ch in "([<":
                    depth += 1
                elif ch in ")]>":
                    depth -= 1
                if ch == "," and depth == 0:
                    params.append(cur)
                    cur = ""
                else:
                    cur += ch
            if cur.strip():
                params.append(cur)
            for p in params:
                head = p.split(":")[0].split()
                if head:
                    labels.append(head[0] + ":")
        return "init(" + "".join(labels) + ")"
    if keyword == "func":
        m = re.match(r"func\s+([A-Za-z_][A-Za-z0-9_]*|[-<>=!+*/%&|^~.?]+)\s*(<[^>]*>)?\s*\(([^)]*)", rest)
        if not m:
            return rest.split("(")[0]
        name = m.group(1)
        labels = []
        for p in m.group(3).split(","):
            head = p.split(":")[0].split()
            if head and ":" in p:
                labels.append(head[0] + ":")
        if not re.match(r"[A-Za-z_]", name):
            return name
        return name + "(" + "".join(labels) + ")"
    if keyword == "subscript":
        return "subscript"
    m = re.match(r"\w+\s+`?([A-Za-z_][A-Za-z0-9_]*)", rest)
    return m.group(1) if m else rest.split()[0]


def has_doc(lines, i):
    """True when the declaration at index `i` has a doc comment above it."""
    j = i - 1
    while j >= 0:
        s = lines[j].strip()
        if s.startswith("@") or s.startswith("#if") or s.startswith("#endif") or s.startswith("#else"):
            j -= 1
            continue
        return s.startswith("///") or s.endswith("*/") and "/**" in "".join(
            lines[max(0, j - 200):j + 1])
    return False


def scan_file(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    state = {"block": False, "multistring": False}
    # Stack of contexts, one per open brace: 'enum', 'protocol', 'ext' (public scopes whose
    # members are public by default or must be documented) or 'other'.
    stack = []
    pending = None  # context for the next '{'
    missing = []
    declared = 0
    for i, raw in enumerate(lines):
        in_comment_before = state["block"] or state["multistring"]
        code = strip_code(raw, state)
        if in_comment_before:
            pass
        ctx = stack[-1] if stack else "file"
        parsed = parse_decl(code) if code.strip() else None
        if parsed:
            mods, keyword, rest = parsed
            bases = {m.split("(")[0] for m in mods}
            explicit_public = "public" in bases or "open" in bases
            restricted = bool(bases & ACCESS_RESTRICTED) and not explicit_public
            # `private(set)` restricts only the setter.
            if any(m.startswith(("private(set)", "fileprivate(set)", "internal(set)")) for m in mods):
                restricted = bool((bases - {"private", "fileprivate", "internal"}) & ACCESS_RESTRICTED) and not explicit_public
            is_public = explicit_public
            if ctx in ("ext", "protocol") and not restricted:
                is_public = True
            if keyword == "case":
                is_public = ctx == "enum"
            if keyword == "associatedtype":
                is_public = ctx == "protocol"
            if keyword == "extension":
                pending = "ext" if explicit_public else "other"
            elif keyword == "enum":
                pending = "enum" if is_public else "other"
            elif keyword == "protocol":
                pending = "protocol" if is_public else "other"
            else:
                pending = "other"
            if is_public and keyword != "extension":
                name = decl_name(keyword, rest)
                if name not in EXEMPT_NAMES:
                    declared += 1
                    if not has_doc(lines, i):
                        missing.append((i + 1, keyword, name))
        # `public enum E { case a, b }` on one line: its cases cannot carry doc comments.
        if parsed and keyword == "enum" and pending == "enum":
            m = re.search(r"\{\s*case\s+([^}]*)", code)
            if m:
                declared += 1
                missing.append((i + 1, "case", m.group(1).strip()))
        for ch in code:
            if ch == "{":
                stack.append(pending or "other")
                pending = None
            elif ch == "}":
                if stack:
                    stack.pop()
    return declared, missing


def main(argv):
    summary = "--summary" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    targets = sorted(
        d for d in os.listdir(SOURCES)
        if os.path.isdir(os.path.join(SOURCES, d)) and d not in EXCLUDED_TARGETS
    )
    if wanted:
        targets = [t for t in targets if t in wanted]
    total = 0
    total_declared = 0
    counts = []
    for target in targets:
        files = []
        for dirpath, _, names in os.walk(os.path.join(SOURCES, target)):
            files += [os.path.join(dirpath, n) for n in names if n.endswith(".swift")]
        if not files:
            continue
        n_missing = 0
        n_declared = 0
        for path in sorted(files):
            declared, missing = scan_file(path)
            n_declared += declared
            for line, keyword, name in missing:
                n_missing += 1
                if not summary:
                    print(f"{os.path.relpath(path, ROOT)}:{line}: undocumented public {keyword} {name}")
        counts.append((target, n_missing, n_declared))
        total += n_missing
        total_declared += n_declared
    print()
    for target, n, d in counts:
        print(f"{target:18} {n:5} undocumented of {d:5} public declarations")
    print(f"{'total':18} {total:5} undocumented of {total_declared:5} public declarations")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
