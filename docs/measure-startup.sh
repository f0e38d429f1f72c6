#!/usr/bin/env bash
# Publishes samples/PingPong five ways and measures, with hyperfine, how long each takes to answer
# lightningd's getmanifest and exit when stdin closes (what `lightningd --help` does to a plugin).
# Usage: docs/measure-startup.sh [runs]    (needs hyperfine; Native AOT also needs clang and zlib1g-dev)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
out="$(mktemp -d)"
project=samples/PingPong/PingPong.csproj

dotnet publish "$project" -c Release -o "$out/fd" >/dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/fd-r2r" >/dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained true -o "$out/sc" >/dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true -o "$out/sc-r2r" >/dev/null
dotnet publish "$project" -c Release -r linux-x64 -p:NativeAot=true -o "$out/aot" >/dev/null

printf '{"jsonrpc":"2.0","id":"cln:getmanifest#1","method":"getmanifest","params":{"allow-deprecated-apis":false}}\n\n' > "$out/getmanifest.txt"
export LIGHTNINGD_PLUGIN=1 LIGHTNINGD_VERSION=v26.06.6
cd "$out"
du -sh fd fd-r2r sc sc-r2r aot
hyperfine --warmup 3 --runs "$runs" --export-markdown startup.md \
  './fd/pingpong < getmanifest.txt' \
  './fd-r2r/pingpong < getmanifest.txt' \
  './sc/pingpong < getmanifest.txt' \
  './sc-r2r/pingpong < getmanifest.txt' \
  './aot/pingpong < getmanifest.txt'
cat startup.md
echo "outputs in $out"
