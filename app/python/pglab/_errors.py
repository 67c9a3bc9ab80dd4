"""One-line TypeErrors in place of pybind11's "incompatible function arguments" table.

pybind11 answers a call whose arguments match no overload with a multi-line table of C++
signatures ("1. (self: pglab._core.Session, granularity: str, count: int = 1) -> bool … Invoked
with: …"). The README promises a student one line naming the argument and what it takes instead.
Most arguments are checked in C++ with their own messages; what reaches pybind11's overload
resolution (a missing argument, one of a type no overload takes) is translated here, for every
function and method of the compiled module at once (install()), so a new binding cannot forget
(property setters and operators are not methods, and are left as they are).
"""

import functools
import re

_TABLE = re.compile(r"^(\w+)\(\): incompatible (function|constructor) arguments")


def _split_top(text):
    """Splits a parameter list at commas outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "[(" and 1 or (ch in "])" and -1 or 0)
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def _params(table):
    """The parameters as (name, type, has_default), self left out, when there is one overload
    (a function's "1. (…) -> T", a constructor's "1. pglab._core.Name(…)"); None otherwise."""
    forms = re.findall(r"^\s*\d+\. [\w.]*\((.*)\)(?: -> .*)?$", table, re.M)
    if len(forms) != 1:
        return None
    out = []
    for p in _split_top(forms[0]):
        name, _, rest = p.partition(":")
        typ, eq, default = rest.partition("=")
        name = name.strip()
        if name == "self" or name.startswith("*"):
            continue
        # Unnamed C++ parameters are arg0, arg1, …: "argument 1", "argument 2" to a reader.
        if re.fullmatch(r"arg\d+", name):
            name = f"argument {int(name[3:]) + 1}"
        # A default of None: None is what the caller may give (estimate()'s env=None).
        typ = typ.strip()
        if eq and default.strip() == "None" and not typ.startswith("Optional["):
            typ = f"Optional[{typ}]"
        out.append((name, typ, bool(eq)))
    return out


def _kind(typ):
    """What a C++ parameter type takes, in words."""
    if typ in ("handle", "object", ""):
        return "a value"
    if typ.startswith("numpy.ndarray"):
        return "an array of numbers"
    if typ.startswith("Optional["):
        return _kind(typ[len("Optional["):-1]) + " or None"
    if typ.startswith("List["):
        return "a list of " + typ[len("List["):-1]
    if typ.startswith("pglab._core."):
        return "a pglab." + typ[len("pglab._core."):]
    return {"str": "a str", "int": "an int", "float": "a float", "bool": "a bool"}.get(typ, typ)


def _fits(value, typ):
    """Whether pybind11 could have taken value for typ (True when it cannot be told here)."""
    if typ == "str":
        return isinstance(value, str)
    if typ == "bool":
        return isinstance(value, bool)
    if typ == "int":
        return hasattr(value, "__index__") and not isinstance(value, bool)
    if typ == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool) or (
            hasattr(value, "__float__") and not isinstance(value, (str, bytes)))
    if typ.startswith("List["):
        return isinstance(value, (list, tuple)) and all(_fits(v, typ[5:-1]) for v in value)
    if typ.startswith("Optional["):
        return value is None or _fits(value, typ[9:-1])
    if typ.startswith("pglab._core."):
        return type(value).__name__ == typ[len("pglab._core."):]
    return True


def _not_utf8(name, value):
    """The message for a str (or a list of str) with no UTF-8 form (a lone surrogate, as
    os.listdir gives a name that is not UTF-8), which pybind11 cannot cast; None if it has one."""
    items = [(name, value)] if isinstance(value, str) else (
        [(f"{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, str)]
        if isinstance(value, (list, tuple)) else [])
    for shown, text in items:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as u:
            return (f"{shown}: not UTF-8 text (a lone surrogate \\u{ord(text[u.start]):04x} at "
                    f"character {u.start}); paths and values must be UTF-8")
    return None


def _named(name):
    return name if name.startswith("argument ") else f"argument '{name}'"


def _message(shown, table, args, kwargs):
    params = _params(table)
    if params is None:
        return f"{shown}: the arguments match none of its forms; see help({shown[:-2]})"
    names = [p[0] for p in params]
    takes = f"takes ({', '.join(names)})" if names else "takes no arguments"
    for key in kwargs:
        if key not in names:
            return f"{shown}: unexpected keyword argument '{key}'; {takes}"
    if len(args) > len(params):
        return f"{shown}: {takes}; got {len(args)}"
    given = dict(zip(names, args))
    for key, value in kwargs.items():
        if key in given:
            return f"{shown}: argument '{key}' given twice; {takes}"
        given[key] = value
    for name, typ, has_default in params:
        if name not in given and not has_default:
            return f"{shown}: missing {_named(name)} ({_kind(typ)}); {takes}"
    for name, typ, _ in params:
        if name in given and typ in ("str", "Optional[str]", "List[str]", "Optional[List[str]]"):
            bad = _not_utf8(name, given[name])
            if bad:
                return ValueError(bad)
    for name, typ, _ in params:
        if name in given and not _fits(given[name], typ):
            return (f"{shown}: {_named(name)} must be {_kind(typ)}, got "
                    f"{type(given[name]).__name__}; {takes}")
    got = ", ".join(f"{n}: {type(v).__name__}" for n, v in given.items())
    want = ", ".join(f"{n}: {_kind(t)}" for n, t, _ in params)
    return f"{shown}: got ({got}); takes ({want})"


def _wrap(fn, shown, method, cpp_name):
    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TypeError as e:
            table = str(e)
            m = _TABLE.match(table)
            # Only this function's own table: one from a call it made is not about its arguments.
            if not m or m.group(1) != cpp_name:
                raise
            plain = args[1:] if method else args
            message = _message(shown, table, plain, kwargs)
            raise (message if isinstance(message, ValueError) else TypeError(message)) from None
    call.__qualname__ = shown[:-2]
    return call


# The steps and resets the Python Env and VectorEnv make with arguments they have checked (a fixed
# count, numbers already validated): a wrapper there would only cost time on the hottest calls
# (10-20 % of a Python env.step).
_HOT = {"Env.step", "Env.step_continuous", "Env.reset", "VecEnv.step", "VecEnv.step_continuous",
        "VecEnv.reset"}


def install(module):
    """Wraps every function of the compiled module and every method of its classes."""
    for name in dir(module):
        obj = getattr(module, name)
        if name.startswith("__"):
            continue
        if type(obj).__name__ == "builtin_function_or_method":
            setattr(module, name, _wrap(obj, f"{name}()", False, name))
        elif isinstance(obj, type) and obj.__module__ == module.__name__:
            for attr, raw in list(vars(obj).items()):
                if attr.startswith("__") and attr != "__init__":
                    continue
                if f"{name}.{attr}" in _HOT:
                    continue
                shown = f"{name}()" if attr == "__init__" else f"{name}.{attr}()"
                if isinstance(raw, staticmethod):
                    setattr(obj, attr, staticmethod(_wrap(raw.__func__, shown, False, attr)))
                elif type(raw).__name__ == "instancemethod":
                    setattr(obj, attr, _wrap(getattr(obj, attr), shown, True, attr))
