"""Validates SARIF files against the official SARIF 2.1.0 schema (draft-04), read from
../shared/vectors/sarif-schema-2.1.0.json. Prints one line per file; exits 1 on any error.

  sarif_validate.py SCHEMA FILE...
"""
import json
import sys

from jsonschema import Draft4Validator

schema = json.load(open(sys.argv[1]))
Draft4Validator.check_schema(schema)
validator = Draft4Validator(schema)
bad = 0
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for e in errors[:5]:
        print("%s: %s at %s" % (path, e.message, "/".join(map(str, e.path))))
    bad += bool(errors)
    if not errors:
        print("%s: valid" % path)
sys.exit(1 if bad else 0)
