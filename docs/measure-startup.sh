#!/usr/bin/env bash
# Publishes samples/PingPong six ways, and a bare hello-world console app (the floor: the runtime's own
# start-up) two ways, then measures:
#  1. with hyperfine, start to exit: the plugin answers lightningd's getmanifest and exits when stdin
#     closes (what `lightningd --help` does to a plugin); hyperfine also reports the CPU time used;
#  2. with the startup harness of tests/Benchmarks, start to the getmanifest answer itself (the
#     number lightningd waits for), every build in turn, round after round.
# Usage: docs/measure-startup.sh [runs]    (needs hyperfine; Native AOT also needs clang and zlib1g-dev)
# The self-contained composite ReadyToRun build compiles the whole framework: allow a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
out="$(mktemp -d)"
project=samples/PingPong/PingPong.csproj

# Each runtime-specific publish starts from clean runtime-specific intermediates: a composite
# ReadyToRun publish leaves some that make a later non-composite one skip the dependencies.
clean() { rm -rf samples/PingPong/obj/Release/net10.0/linux-x64 samples/PingPong/bin/Release/net10.0/linux-x64; }
publish() { dotnet publish "$@" >/dev/null; }

mkdir -p "$out/hello-src"
cp global.json "$out/hello-src/"
cat > "$out/hello-src/hello.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
</Project>
EOF
echo 'System.Console.WriteLine("hello");' > "$out/hello-src/Program.cs"
publish "$out/hello-src" -c Release -o "$out/hello-fd"
publish "$out/hello-src" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/hello-r2r"

publish "$project" -c Release -o "$out/fd"
clean; publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/fd-r2r"
clean; publish "$project" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=false -o "$out/sc"
clean; publish "$project" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true -o "$out/sc-r2r"
clean; publish "$project" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$out/sc-r2r-composite"
clean; publish "$project" -c Release -r linux-x64 -p:NativeAot=true -o "$out/aot"
clean

printf '{"jsonrpc":"2.0","id":"cln:getmanifest#1","method":"getmanifest","params":{"allow-deprecated-apis":false}}\n\n' > "$out/getmanifest.txt"
(
  export LIGHTNINGD_PLUGIN=1 LIGHTNINGD_VERSION=v26.06.6
  cd "$out"
  du -sh hello-fd hello-r2r fd fd-r2r sc sc-r2r sc-r2r-composite aot
  echo "load: $(cat /proc/loadavg)"
  hyperfine --warmup 3 --runs "$runs" --export-markdown startup.md \
    './hello-fd/hello < getmanifest.txt' \
    './hello-r2r/hello < getmanifest.txt' \
    './fd/pingpong < getmanifest.txt' \
    './fd-r2r/pingpong < getmanifest.txt' \
    './sc/pingpong < getmanifest.txt' \
    './sc-r2r/pingpong < getmanifest.txt' \
    './sc-r2r-composite/pingpong < getmanifest.txt' \
    './aot/pingpong < getmanifest.txt'
  echo "load: $(cat /proc/loadavg)"
  cat startup.md
)

dotnet run -c Release --project tests/Benchmarks -- startup "$runs" \
  "floor hello, framework-dependent=$out/hello-fd/hello" \
  "floor hello, ReadyToRun=$out/hello-r2r/hello" \
  "framework-dependent=$out/fd/pingpong" \
  "framework-dependent, ReadyToRun=$out/fd-r2r/pingpong" \
  "self-contained=$out/sc/pingpong" \
  "self-contained, ReadyToRun=$out/sc-r2r/pingpong" \
  "self-contained, composite ReadyToRun=$out/sc-r2r-composite/pingpong" \
  "Native AOT=$out/aot/pingpong"
echo "outputs in $out"
