"""Runs the deploy linters for test/deploy/ and prints one JSON document on stdout.

  check.py iam              a policy on stdin -> parliament findings (community auditors included)
  check.py k8s VERSION      multi-document YAML on stdin -> kubernetes-validate errors per document (strict)
  check.py compose FILE     a Compose file -> null, or the compose-spec validator's error
  check.py promql           a JSON list of expressions on stdin -> per expression: metric names or the parse error
Reads nothing but its input; the tests decide what is a failure.
"""
import json
import sys


def iam():
    from parliament import analyze_policy_string
    policy = analyze_policy_string(sys.stdin.read(), include_community_auditors=True)
    return [{"issue": f.issue, "detail": f.detail, "location": f.location} for f in policy.findings]


def k8s(version):
    import yaml
    import kubernetes_validate
    out = []
    for doc in yaml.safe_load_all(sys.stdin.read()):
        if doc is None:
            continue
        name = f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, version, strict=True)
            out.append({"resource": name, "error": None})
        except kubernetes_validate.SchemaNotFoundError as e:
            out.append({"resource": name, "error": None, "noSchema": str(e)})
        except kubernetes_validate.ValidationError as e:
            out.append({"resource": name, "error": f"{'.'.join(str(p) for p in e.path)}: {e.message}"})
    return out


def compose(path):
    import yaml
    from compose_spec import PyCompose
    try:
        # YAML merge keys (<<: *anchor) are resolved first, as docker compose does; the validator does not know them.
        PyCompose.from_json(json.dumps(yaml.safe_load(open(path, encoding="utf-8"))))
        return None
    except Exception as e:  # the Rust validator raises ValueError with the path and line
        return str(e)


def promql():
    import promql_parser
    out = []
    for expr in json.loads(sys.stdin.read()):
        found = []
        try:
            parsed = promql_parser.parse(expr)
        except Exception as e:
            out.append({"expr": expr, "error": str(e), "metrics": []})
            continue
        collect(parsed, found, None)
        out.append({"expr": expr, "error": None, "metrics": [{"name": n, "function": f} for n, f in sorted(set(found), key=str)]})
    return out


def collect(node, found, function):
    """Every metric name a vector selector names, with the function applied to it (rate, deriv...) or None."""
    import promql_parser as p
    if isinstance(node, p.VectorSelector):
        names = [node.name] if node.name else []
        names += [m.value for m in node.matchers.matchers if m.name == "__name__"]
        found.extend((name, function) for name in names)
        return
    if isinstance(node, p.Call):
        for arg in node.args or []:
            collect(arg, found, node.func.name)
        return
    if isinstance(node, p.MatrixSelector):
        collect(node.vector_selector, found, function)
        return
    for attr in ("expr", "lhs", "rhs", "param"):
        child = getattr(node, attr, None)
        if child is not None and isinstance(child, p.Expr):
            collect(child, found, None)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = {"iam": iam, "k8s": k8s, "compose": compose, "promql": promql}[command](*args)
    json.dump(result, sys.stdout, default=str)
