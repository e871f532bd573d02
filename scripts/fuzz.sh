#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for
# SECONDS (default 20). Seeds come from the policy case tables, the SigV4
# botocore fixtures, the botocore-serialized Query bodies and JWTs signed by
# fuzz/auth/make_jwt_seeds.py.
# Usage: scripts/fuzz.sh [SECONDS]     e.g. scripts/fuzz.sh 600 for a long run
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
build=build-fuzz

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIAMD_BUILD_FUZZ=ON -DIAMD_BUILD_TESTS=OFF -DIAMD_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target policy_parse_fuzzer policy_eval_fuzzer sigv4_fuzzer api_query_fuzzer session_token_fuzzer jwt_fuzzer

# Seed corpora: every case line, and every policy document inside them.
corpus="$build/corpus"
mkdir -p "$corpus/eval" "$corpus/parse"
python3 - "$corpus" tests/policy/testdata/cases/*.jsonl <<'PY'
import hashlib, json, os, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        name = hashlib.sha1(line.encode()).hexdigest()
        open(os.path.join(out, "eval", name), "w").write(line.strip())
        case = json.loads(line)
        docs = list(case.get("identity_policies") or [])
        docs += [case.get(k) for k in ("resource_policy", "permission_boundary", "session_policy") if case.get(k)]
        for d in docs:
            text = d if isinstance(d, str) else json.dumps(d)
            open(os.path.join(out, "parse", hashlib.sha1(text.encode()).hexdigest()), "w").write(text)
PY
python3 fuzz/auth/make_seeds.py "$corpus/sigv4"
# Query bodies serialized by botocore; the first byte picks IAM (0) or STS (1).
mkdir -p "$corpus/query"
python3 - "$corpus/query" tests/api/testdata/requests.json <<'PY'
import hashlib, json, os, sys
for r in json.load(open(sys.argv[2]))["requests"]:
    data = (b"\x01" if r["service"] == "sts" else b"\x00") + r["body"].encode()
    open(os.path.join(sys.argv[1], hashlib.sha1(data).hexdigest()), "wb").write(data)
# Bytes that are not UTF-8 or not XML characters, echoed in error messages.
for data in (b"\x00Action=Create%FFab%C3&Version=2010-05-08",
             b"\x00Action=CreateUser&Version=2010-05-08&UserName=%FF%01%ED%A0%80"):
    open(os.path.join(sys.argv[1], hashlib.sha1(data).hexdigest()), "wb").write(data)
PY

# Session records and tokens: a few sealed with the fuzzer's fixed ring.
python3 fuzz/auth/make_token_seeds.py "$corpus/token"
# JWTs: a JWKS, a NUL, then a token (made by fuzz/auth/make_jwt_seeds.py).
python3 fuzz/auth/make_jwt_seeds.py "$corpus/jwt"

status=0
# Each entry: corpus name, then the fuzzer's path under $build/fuzz/.
for spec in parse:policy/policy_parse_fuzzer eval:policy/policy_eval_fuzzer \
    sigv4:auth/sigv4_fuzzer query:api/api_query_fuzzer token:auth/session_token_fuzzer \
    jwt:auth/jwt_fuzzer; do
  target=${spec%%:*}
  fuzzer=$(basename "${spec#*:}")
  echo "fuzzing ${fuzzer} for ${seconds}s"
  mkdir -p "$build/artifacts/$target"
  dict=()
  [[ $target == parse || $target == eval ]] && dict=(-dict=fuzz/policy/policy.dict)
  if ! "$build/fuzz/${spec#*:}" -max_total_time="$seconds" -max_len=65536 "${dict[@]}" \
      -artifact_prefix="$build/artifacts/$target/" -print_final_stats=1 "$corpus/$target" \
      > "$build/fuzz-$target.log" 2>&1; then
    echo "${fuzzer} FAILED; see $build/fuzz-$target.log"
    tail -40 "$build/fuzz-$target.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|Done" "$build/fuzz-$target.log" | tail -2
  fi
done
exit $status
