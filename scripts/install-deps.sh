#!/usr/bin/env bash
# Installs everything iamd needs to build, test and benchmark, from Debian's packages.
# Idempotent: packages already present are skipped by apt. Run as root (or with sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build git ca-certificates
  clang libclang-rt-14-dev            # fuzzers (libFuzzer) and sanitizers
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libboost-dev libssl-dev libsodium-dev libsqlite3-dev sqlite3 libpq-dev
  libxmlsec1-dev libxml2-dev libqrencode-dev zlib1g-dev  # SAML signatures, MFA QR codes
  xmlsec1 python3-cryptography        # tests sign SAML assertions and JWTs
  awscli python3 python3-boto3 python3-botocore  # integration tests drive iamd with real clients
  postgresql                          # store conformance suite on PostgreSQL
  wrk nginx-light time                # load benchmarks (nginx is the yardstick; CPU time by /usr/bin/time)
  curl                                # the README tour waits for /healthz with it
)

# Node.js runs the differential test against @cloud-copilot/iam-simulate. Some
# images ship a newer nodejs that bundles npm and conflicts with Debian's npm.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
