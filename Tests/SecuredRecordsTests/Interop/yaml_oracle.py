"""An independent oracle for the YAML part of SR002: pure-Python PyYAML (its own scanner and
parser, not libyaml). Reads a JSON list of front-matter texts on stdin; prints a JSON list of
verdicts (and, on stderr, how often the two PyYAML parsers disagreed): true when the text is a YAML 1.1 mapping (or empty) with no key repeated in any
mapping (keys compared by resolved tag and value), no top-level merge key, at most 16
aliases, one document; false otherwise."""
import json
import math
import sys

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

constructor = yaml.constructor.SafeConstructor()
MAX_ALIASES = 16


def canon(node, seen=()):
    if id(node) in seen:
        raise ValueError("recursive key")
    if isinstance(node, ScalarNode):
        tag = node.tag
        short = tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else tag
        if short == "str" or tag == "!":
            return ("str", node.value)
        if short == "timestamp":
            return ("timestamp", node.value)
        if short in ("int", "float", "bool", "null"):
            try:
                v = constructor.construct_object(node, deep=True)
            except Exception:
                return (tag, node.value)
            if short == "float":
                if isinstance(v, float) and math.isnan(v):
                    return ("float", "nan")
                return ("float", v + 0.0)
            return (short, v)
        return (tag, node.value)
    if isinstance(node, SequenceNode):
        return ("seq", tuple(canon(c, seen + (id(node),)) for c in node.value))
    return ("map", tuple((canon(k, seen + (id(node),)), canon(v, seen + (id(node),))) for k, v in node.value))


def check_mapping(node, depth, seen):
    if id(node) in seen:
        return True
    seen = seen | {id(node)}
    if isinstance(node, MappingNode):
        keys = set()
        for k, v in node.value:
            if depth == 0 and isinstance(k, ScalarNode) and k.value == "<<" and k.style is None:
                return False
            c = canon(k)
            if c in keys:
                return False
            keys.add(c)
            if not check_mapping(k, depth + 1, seen) or not check_mapping(v, depth + 1, seen):
                return False
    elif isinstance(node, SequenceNode):
        return all(check_mapping(c, depth + 1, seen) for c in node.value)
    return True


def compose(text, loader):
    if sum(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=loader)) > MAX_ALIASES:
        raise ValueError("too many aliases")
    return yaml.compose(text, Loader=loader)


disagreements = 0


def verdict(text):
    """Pure-Python PyYAML decides; where it and libyaml (PyYAML's C loader) disagree on whether
    the text parses at all (a tab inside a plain scalar, say), SPEC section 1 names libyaml the
    reference, so libyaml's parse is taken, with this script's own key comparison."""
    global disagreements
    results = []
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        try:
            results.append((True, compose(text, loader)))
        except Exception:
            results.append((False, None))
    if results[0][0] != results[1][0]:
        disagreements += 1
    ok, root = results[1] if results[0][0] != results[1][0] else results[0]
    if not ok:
        return False
    if root is None:
        return True
    if not isinstance(root, MappingNode):
        return False
    try:
        return check_mapping(root, 0, frozenset())
    except (ValueError, RecursionError):
        return False


verdicts = [verdict(t) for t in json.load(sys.stdin)]
print(json.dumps(verdicts))
print("pure-Python PyYAML and libyaml disagreed on %d texts" % disagreements, file=sys.stderr)
