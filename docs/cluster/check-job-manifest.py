#!/usr/bin/python3
"""Checks a Kubernetes Job manifest against the Job schema without a cluster.

kubectl's --dry-run=client still asks an API server for the schema; where none is running, this script checks
the manifest against the models of the Kubernetes Python client (Debian: apt-get install python3-kubernetes),
which are generated from the Kubernetes OpenAPI schema: every field must be one the schema has, of its type,
required fields present and enumerated values allowed. Usage: check-job-manifest.py sweep-job.yaml
"""
import sys

import kubernetes.client
import yaml

PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float), "datetime": str, "date": str}


def check(value, type_name, path):
    """The model object (or plain value) for value, read as type_name; SystemExit naming path on a mismatch."""
    if type_name.startswith("list["):
        if not isinstance(value, list):
            fail(path, "a list", value)
        return [check(v, type_name[5:-1], f"{path}[{i}]") for i, v in enumerate(value)]
    if type_name.startswith("dict("):
        if not isinstance(value, dict):
            fail(path, "a map", value)
        inner = type_name[type_name.index(",") + 1:-1].strip()
        return {k: check(v, inner, f"{path}.{k}") for k, v in value.items()}
    if type_name == "object":
        return value
    if type_name in PRIMITIVES:
        wanted = PRIMITIVES[type_name]
        if isinstance(value, bool) and type_name != "bool" or not isinstance(value, wanted):
            fail(path, type_name, value)
        return value
    model = getattr(kubernetes.client, type_name)
    if not isinstance(value, dict):
        fail(path, type_name, value)
    by_json = {json: attr for attr, json in model.attribute_map.items()}
    unknown = [k for k in value if k not in by_json]
    if unknown:
        sys.exit(f"{path}: unknown field(s) {unknown} for {type_name} (known: {sorted(by_json)})")
    fields = {by_json[k]: check(v, model.openapi_types[by_json[k]], f"{path}.{k}") for k, v in value.items()}
    try:
        return model(**fields)
    except (ValueError, TypeError) as e:
        sys.exit(f"{path}: {type_name}: {e}")


def fail(path, wanted, value):
    sys.exit(f"{path}: expected {wanted}, got {value!r}")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        documents = [d for d in yaml.safe_load_all(f) if d is not None]
    for doc in documents:
        if doc.get("apiVersion") != "batch/v1" or doc.get("kind") != "Job":
            sys.exit(f"not a batch/v1 Job: apiVersion {doc.get('apiVersion')!r}, kind {doc.get('kind')!r}")
        job = check(doc, "V1Job", "job")
        spec = job.spec
        # what the API server checks beyond the schema's types
        if spec.completion_mode not in (None, "NonIndexed", "Indexed"):
            sys.exit(f"job.spec.completionMode: NonIndexed or Indexed, got {spec.completion_mode!r}")
        for i, c in enumerate(spec.template.spec.containers):
            if not c.image:
                sys.exit(f"job.spec.template.spec.containers[{i}]: a pod's container needs an image")
        if spec.completion_mode == "Indexed" and not spec.completions:
            sys.exit("job.spec: an Indexed Job needs completions (the number of indices)")
        if spec.template.spec.restart_policy not in ("Never", "OnFailure"):
            sys.exit("job.spec.template.spec.restartPolicy: a Job's pods restart Never or OnFailure")
        print(f"ok: {sys.argv[1]}: batch/v1 Job {job.metadata.name!r}, completionMode {spec.completion_mode}, "
              f"completions {spec.completions}, parallelism {spec.parallelism} "
              f"(checked against the Job schema of the Kubernetes Python client {kubernetes.__version__})")


if __name__ == "__main__":
    main()
