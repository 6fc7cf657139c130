#!/usr/bin/env bash
# Interoperability checks between Braid's poetry suite and Python 3 Twisted versions of the
# tutorial's programs (this directory), in both directions, on 127.0.0.1 with free ports.
# Needs Debian's python3-twisted (/usr/bin/python3) and a build (./mvnw -q -DskipTests package).
# Prints one line per check and a closing 'N passed, N failed'; exits 1 if any check failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
poetry="$root/bin/poetry"
poems="$root/braid-poetry/src/main/resources/dev/braid/poetry/poems"
work=$(mktemp -d)
passed=0
failed=0

# Every process started is recorded in $work/pids (start runs in a subshell, so no array).
cleanup() {
  if [ -f "$work/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null; done <"$work/pids"
    while read -r pid; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done <"$work/pids"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$py" -c 'import twisted' 2>/dev/null || { echo "needs Twisted for $py (apt-get install python3-twisted)"; exit 1; }
[ -f "$root/braid-poetry-cli/target/braid-poetry-cli.jar" ] || { echo "build first: ./mvnw -q -DskipTests package"; exit 1; }

# start NAME COMMAND...: runs a server in the background, waits for its first line, prints its port.
start() {
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  echo $! >>"$work/pids"
  for _ in $(seq 1 100); do
    if [ -s "$work/$name.out" ]; then
      # the first HOST:PORT of the banner (a proxy's banner names its upstream too)
      sed -n '1s/^[^:]*:\([0-9][0-9]*\).*/\1/p' "$work/$name.out" | head -n 1
      return 0
    fi
    sleep 0.1
  done
  echo "$name did not start: $(cat "$work/$name.err")" >&2
  return 1
}

check() { # NAME EXPECTED-FILE ACTUAL-FILE
  if cmp -s "$2" "$3"; then
    echo "PASS  $1"; passed=$((passed + 1))
  else
    echo "FAIL  $1"; diff <(xxd "$2") <(xxd "$3") | head -n 10; failed=$((failed + 1))
  fi
}

poem="$poems/cafe_at_midnight.txt"
long="$poems/single_flight.txt"

# 1. Braid client <- Python servers (fast and slow), byte for byte.
py_fast=$(start py-fast "$py" "$here/slowpoetry.py" "$poem")
py_slow=$(start py-slow "$py" "$here/slowpoetry.py" --delay 0.05 --num-bytes 7 "$long")
"$poetry" get "$py_fast" >"$work/got1" 2>"$work/err1"
check "braid get <- python fast server" "$poem" "$work/got1"
"$poetry" get "$py_slow" >"$work/got2" 2>"$work/err2"
check "braid get <- python slow server (7 bytes every 0.05 s)" "$long" "$work/got2"

# 2. Python client 6.0 <- Braid servers.
b_fast=$(start b-fast "$poetry" serve "$poem")
b_slow=$(start b-slow "$poetry" serve --delay 0.05 --num-bytes 7 "$long")
"$py" "$here/get_poetry.py" "$b_fast" >"$work/got3" 2>"$work/err3"
{ cat "$poem"; echo; } >"$work/want3"
check "python client <- braid fast server" "$work/want3" "$work/got3"
"$py" "$here/get_poetry.py" "$b_slow" >"$work/got4" 2>"$work/err4"
{ cat "$long"; echo; } >"$work/want4"
check "python client <- braid slow server" "$work/want4" "$work/got4"

# 3. Transforms, both directions. ASCII poem, since the Python server lower-cases bytes.
printf 'The Fascination Of What Is DIFFICULT\n' >"$work/ascii.txt"
tr 'A-Z' 'a-z' <"$work/ascii.txt" >"$work/ascii-lower.txt"
b_ascii=$(start b-ascii "$poetry" serve "$work/ascii.txt")
py_xform=$(start py-xform "$py" "$here/transformedpoetry.py")
"$poetry" get --xform cummingsify --xform-server "$py_xform" "$b_ascii" >"$work/got5" 2>"$work/err5"
check "braid get --xform -> python transform server" "$work/ascii-lower.txt" "$work/got5"
"$poetry" get --xform nosuch --xform-server "$py_xform" "$b_ascii" >"$work/got5b" 2>"$work/err5b"
check "braid get: python server closes on an unknown transform, braid falls back" "$work/ascii.txt" "$work/got5b"
grep -q "closed the connection without a reply" "$work/err5b" && echo "PASS  ... with a note on stderr" && passed=$((passed + 1)) || { echo "FAIL  no note: $(cat "$work/err5b")"; failed=$((failed + 1)); }
b_xform=$(start b-xform "$poetry" transform-server)
"$py" "$here/get_poetry.py" --xform-port "$b_xform" "$b_fast" >"$work/got6" 2>"$work/err6"
{ "$py" -c 'import sys; sys.stdout.buffer.write(open(sys.argv[1],"rb").read().decode().lower().encode()+b"\n")' "$poem"; } >"$work/want6"
check "python client 6.0 -> braid transform server (cummingsify)" "$work/want6" "$work/got6"
"$py" "$here/get_poetry.py" --xform-port "$b_xform" --xform fail "$b_fast" >"$work/got6b" 2>"$work/err6b"
check "python client 6.0: braid's 'fail' closes without a reply, python falls back" "$work/want3" "$work/got6b"

# 4. The exact request bytes of Braid's transform client.
cap_out="$work/capture.out"
"$py" "$here/capture_request.py" "343a484f4c412c" >"$cap_out" 2>&1 &  # replies 4:HOLA,
echo $! >>"$work/pids"
for _ in $(seq 1 50); do [ -s "$cap_out" ] && break; sleep 0.1; done
cap_port=$(sed -n 's/Listening on \([0-9]*\)\./\1/p' "$cap_out")
printf 'Olá' >"$work/ola.txt"
b_ola=$(start b-ola "$poetry" serve "$work/ola.txt")
"$poetry" get --xform shout --xform-server "$cap_port" "$b_ola" >"$work/got7" 2>"$work/err7"
for _ in $(seq 1 50); do [ "$(wc -l <"$cap_out")" -ge 2 ] && break; sleep 0.1; done
printf '%s\n' "$(printf '10:shout.Olá,' | xxd -p)" >"$work/want7"
sed -n 2p "$cap_out" >"$work/got7hex"
check "braid transform request on the wire is exactly '10:shout.Olá,'" "$work/want7" "$work/got7hex"
printf 'HOLA' >"$work/want7b"  # one source: exactly its bytes, no newline added
check "braid get prints the raw netstring reply" "$work/want7b" "$work/got7"

# 4b. The exact reply bytes of Braid's transform server to a raw request.
"$py" - "$b_xform" >"$work/got7c" <<'PY'
import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.sendall('11:shout.Hello,'.encode())
data = b''
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.buffer.write(data)
PY
printf '5:HELLO,' >"$work/want7c"
check "braid transform server replies exactly '5:HELLO,' to '11:shout.Hello,', then closes" "$work/want7c" "$work/got7c"

# 5. Proxies between them.
py_proxy=$(start py-proxy "$py" "$here/poetry_proxy.py" "$b_slow")
"$poetry" get "$py_proxy" >"$work/got8" 2>"$work/err8"
"$poetry" get "$py_proxy" >"$work/got8b" 2>"$work/err8b"
check "braid get <- python proxy <- braid slow server" "$long" "$work/got8"
check "braid get <- python proxy (cached) " "$long" "$work/got8b"
b_proxy=$(start b-proxy "$poetry" proxy "$py_slow")
"$py" "$here/get_poetry.py" "$b_proxy" "$b_proxy" "$b_proxy" >"$work/got9" 2>"$work/err9"
{ cat "$long"; echo; cat "$long"; echo; cat "$long"; echo; } >"$work/want9"
check "python client x3 <- braid proxy <- python slow server" "$work/want9" "$work/got9"
fetches=$(grep -c "Fetching poem from server" "$work/b-proxy.err")
if [ "$fetches" = 1 ]; then echo "PASS  braid proxy fetched once for three concurrent python clients"; passed=$((passed + 1)); else echo "FAIL  braid proxy fetched $fetches times"; failed=$((failed + 1)); fi

# 6. Shutdown never turns a cut poem into a whole one. A Braid server stopped with SIGTERM in the
# middle of a poem resets the connection, which Twisted reports to connectionLost as ConnectionLost
# (a clean close would be ConnectionDone). The tutorial's client ignores the reason, so it is run
# with --strict, which fails the download on anything but a clean close; the original's behaviour
# is printed for information.
pass_if() { # NAME CONDITION-STATUS DETAIL
  if [ "$2" = 0 ]; then echo "PASS  $1"; passed=$((passed + 1)); else echo "FAIL  $1: $3"; failed=$((failed + 1)); fi
}
pieces() { grep -c 'bytes of poetry' "$work/$1.err"; }
log_pieces="-Dorg.slf4j.simpleLogger.log.dev.braid.poetry.PoetryServerProtocol=debug"
for strict in --strict ""; do
  name=b-cut${strict:+-strict}
  b_cut=$(start "$name" env POETRY_JAVA_OPTS="$log_pieces" "$poetry" serve --delay 0.1 --num-bytes 10 --shutdown-grace 0 "$long")
  b_cut_pid=$(tail -n 1 "$work/pids")
  "$py" "$here/get_poetry.py" $strict "$b_cut" >"$work/got10$strict" 2>"$work/err10$strict" &
  py_get=$!
  for _ in $(seq 1 100); do [ "$(pieces "$name")" -ge 2 ] && break; sleep 0.1; done
  kill -TERM "$b_cut_pid"
  wait "$py_get"; status=$?
  if [ -n "$strict" ]; then
    [ "$status" = 1 ] && [ ! -s "$work/got10$strict" ] && grep -q "lost in a non-clean fashion" "$work/err10$strict"
    pass_if "python client --strict <- braid server stopped mid-poem (SIGTERM): download failed (ConnectionLost)" $? \
      "exit $status, $(wc -c <"$work/got10$strict") bytes out, stderr: $(cat "$work/err10$strict")"
  else
    echo "INFO  python client 6.0 as the tutorial wrote it (no --strict) ignores the reason: exit $status, printed $(($(wc -c <"$work/got10") - 1)) of $(wc -c <"$long") bytes as the poem"
  fi
done

# 6b. A Braid proxy stopped while a Python client waits on its upstream resets that client, and says
# it is shutting down.
b_stuck=$(start b-stuck "$poetry" serve --delay 60 --shutdown-grace 0 "$long")
b_down=$(start b-down "$poetry" proxy --shutdown-grace 0 "$b_stuck")
b_down_pid=$(tail -n 1 "$work/pids")
"$py" "$here/get_poetry.py" --strict "$b_down" >"$work/got11" 2>"$work/err11" &
py_get=$!
for _ in $(seq 1 100); do grep -q "Fetching poem from server" "$work/b-down.err" && break; sleep 0.1; done
kill -TERM "$b_down_pid"
wait "$py_get"; status=$?
[ "$status" = 1 ] && [ ! -s "$work/got11" ] && grep -q "lost in a non-clean fashion" "$work/err11"
pass_if "python client --strict <- braid proxy stopped while the client waits: download failed, not an empty poem" $? \
  "exit $status, stderr: $(cat "$work/err11")"
for _ in $(seq 1 100); do kill -0 "$b_down_pid" 2>/dev/null || break; sleep 0.1; done
grep -q "Shutting down: resetting the client waiting for the poem" "$work/b-down.err" && ! grep -q "Every client left" "$work/b-down.err"
pass_if "braid proxy's log says it is shutting down" $? "$(cat "$work/b-down.err")"

# 7. TLS, both directions. Certificates from openssl: a throwaway CA and a server certificate for
# localhost and 127.0.0.1 (made here, deleted with $work).
tls="$work/tls"; mkdir -p "$tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -keyout "$tls/ca.key" -out "$tls/ca.pem" -subj /CN=interop-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$tls/key.pem" -out "$tls/server.csr" -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n' >"$tls/ext.cnf"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
  -days 2 -extfile "$tls/ext.cnf" -out "$tls/cert.pem" 2>/dev/null
b_tls=$(start b-tls "$poetry" serve --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem" "$poem")
b_tls_slow=$(start b-tls-slow "$poetry" serve --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem" --delay 0.05 --num-bytes 7 "$long")
"$py" "$here/ssl_get.py" --ca "$tls/ca.pem" "localhost:$b_tls" >"$work/got12" 2>"$work/err12"
check "python ssl module client <- braid serve --tls-cert (verified, close_notify)" "$poem" "$work/got12"
"$py" "$here/ssl_get.py" --ca "$tls/ca.pem" "127.0.0.1:$b_tls_slow" >"$work/got12b" 2>"$work/err12b"
check "python ssl module client <- braid slow TLS server (7 bytes every 0.05 s)" "$long" "$work/got12b"
"$py" "$here/get_poetry.py" --strict --tls-ca "$tls/ca.pem" "localhost:$b_tls" >"$work/got13" 2>"$work/err13"
check "twisted TLS client (connectSSL, --strict) <- braid serve --tls-cert" "$work/want3" "$work/got13"
"$py" "$here/get_poetry.py" --strict --tls-ca "$tls/ca.pem" "localhost:$b_tls_slow" >"$work/got13b" 2>"$work/err13b"
check "twisted TLS client (connectSSL, --strict) <- braid slow TLS server" "$work/want4" "$work/got13b"
py_tls=$(start py-tls "$py" "$here/slowpoetry.py" --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem" "$poem")
py_tls_slow=$(start py-tls-slow "$py" "$here/slowpoetry.py" --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem" --delay 0.05 --num-bytes 7 "$long")
"$poetry" get --tls-ca "$tls/ca.pem" "tls:localhost:$py_tls" >"$work/got14" 2>"$work/err14"
check "braid get --tls-ca <- twisted TLS server (listenSSL)" "$poem" "$work/got14"
"$poetry" get --tls-ca "$tls/ca.pem" "tls:127.0.0.1:$py_tls_slow" >"$work/got14b" 2>"$work/err14b"
check "braid get --tls-ca <- twisted slow TLS server" "$long" "$work/got14b"
"$poetry" get "tls:localhost:$py_tls" >"$work/got15" 2>"$work/err15"; status=$?
[ "$status" = 1 ] && [ ! -s "$work/got15" ] && [ "$(wc -l <"$work/err15")" = 1 ] && grep -q "certificate is not trusted" "$work/err15"
pass_if "braid get without --tls-ca <- twisted TLS server: one line, exit 1" $? "exit $status, stderr: $(cat "$work/err15")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
