#!/bin/sh
# A plugin in plain POSIX sh, to check that the simulator starts a child process exactly as lightningd
# does. It reports its working directory, environment and argv in a log line after init.
while IFS= read -r line; do
  [ -z "$line" ] && continue
  id=$(printf '%s' "$line" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  method=$(printf '%s' "$line" | sed -n 's/.*"method":"\([^"]*\)".*/\1/p')
  case "$method" in
    getmanifest)
      printf '{"jsonrpc":"2.0","id":"%s","result":{"options":[{"name":"greeting","type":"string","default":"hi","description":"what to say"}],"rpcmethods":[{"name":"shhello","usage":"","description":"says hello"}],"subscriptions":["shutdown"],"hooks":[{"name":"custommsg"}],"nonnumericids":true}}\n\n' "$id" ;;
    init)
      printf '{"jsonrpc":"2.0","id":"%s","result":{}}\n\n' "$id"
      printf '{"jsonrpc":"2.0","method":"log","params":{"level":"info","message":"cwd=%s plugin=%s version=%s args=%s"}}\n\n' "$PWD" "$LIGHTNINGD_PLUGIN" "$LIGHTNINGD_VERSION" "$*"
      echo "started on stderr" >&2 ;;
    shhello)
      printf '{"jsonrpc":"2.0","id":"%s","result":{"hello":"from sh"}}\n\n' "$id" ;;
    custommsg)
      printf '{"jsonrpc":"2.0","id":"%s","result":{"result":"continue"}}\n\n' "$id" ;;
    shutdown)
      exit 0 ;;
  esac
done
