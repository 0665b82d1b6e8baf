# Shared by the benchmark scripts (sourced from the project's root): the JDK, the jar, a generated dump.
export JAVA_HOME="$(bash bin/java-home)"

# The application jar, built again when a source is newer than it (a stale jar would measure old code).
ensure_jar() {
  if [ ! -f target/odoo-upgrade.jar ] || [ -n "$(find src bpmn forms pom.xml -newer target/odoo-upgrade.jar -print -quit)" ]; then
    ./mvnw -q -B package -DskipTests
  fi
  # bin/odoo-upgrade's start-up cache (JDK >= 25), made again when the jar or the JDK changed since
  if ! bash bin/aot-stamp --holds "$JAVA_HOME" target/odoo-upgrade.jar; then
    bash bin/aot-cache
  fi
}

# finish_bench RC DATABASES PID...: on a benchmark's way out — its servers (PIDs) stopped, the sandbox's last lines
# shown when it failed (RC), its databases (a LIKE pattern) dropped, $work removed
finish_bench() {
  local rc=$1 databases=$2 d; shift 2
  kill "$@" 2>/dev/null || true; wait "$@" 2>/dev/null || true
  [ "$rc" = 0 ] || { echo "the sandbox's last lines:" >&2; tail -n 30 "$work/sandbox.log" >&2 2>/dev/null || true; }
  for d in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '$databases'"); do dropdb --if-exists "$d"; done
  rm -rf "$work"
}

# start_deadline: the benchmark must end within DEADLINE seconds from now; in_time fails it once they have passed,
# left says how many remain
start_deadline() { end=$(( $(date +%s) + DEADLINE )); }
in_time() { [ "$(date +%s)" -lt $end ] || { echo "FAILED: not done after ${DEADLINE} s" >&2; exit 1; }; }
left() { echo $(( end - $(date +%s) )); }

# sql_dump FILE MIB: a plain SQL dump of about MIB MiB — pg_dump's header, then random data as text lines.
sql_dump() {
  printf -- '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.4\n\nSET statement_timeout = 0;\n' > "$1"
  # (head closing the pipe early is the point: ignore the SIGPIPE it causes upstream)
  { head -c $(($2 * 1024 * 1024)) /dev/urandom | base64 -w 76 | head -c $(($2 * 1024 * 1024)) >> "$1"; } || true
}

# rate SECONDS: MiB/s for the $bytes of the script's file; median N...; cpu PID: the CPU seconds (user + system)
# the process has spent so far
rate() { echo "scale=1; $bytes / 1048576 / $1" | bc -l; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

# sandbox_ready LOG PID: waits for a sandbox started in the background to print its API line; exits the script,
# showing the log, when it does not (or has died)
sandbox_ready() {
  for _ in $(seq 1 100); do grep -q "API:" "$1" && break; sleep 0.2; done
  kill -0 "$2" 2>/dev/null && grep -q "API:" "$1" || { echo "the sandbox did not start ($1):" >&2; cat "$1" >&2; exit 1; }
}
# new_request BASE: "id key" of a new request for dump.sql on the sandbox at BASE (trusting $CA alone when it is set)
new_request() {
  curl -sS ${CA:+--cacert "$CA"} "$1/create?contract=M123456-abcdef&email=a@b.co&target=13.0&aim=test&filename=dump.sql" \
    | python3 -c "import json,sys; r=json.load(sys.stdin)['request']; print(r['id'], r['key'])"
}
# sandbox_api LOG: the API URL a sandbox started in the background printed (it took a free port: no fixed port
# that two scripts, or a script and a test, could both want)
sandbox_api() { sed -n 's/.*API: \([^ ]*\).*/\1/p' "$1" | head -1; }
# timeout_wait PID SECONDS: waits for a background process and answers its exit code; one still running after
# SECONDS is killed, with a FAILED line, and answers 124 (a stuck run prints a failure, never hangs the script)
timeout_wait() {
  local end=$(( $(date +%s) + $2 ))
  while kill -0 "$1" 2>/dev/null; do
    if [ "$(date +%s)" -ge $end ]; then
      echo "FAILED: process $1 still running after $2 s: stopped" >&2; kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 124
    fi
    sleep 0.2
  done
  wait "$1"
}
# sandbox_sftp_port LOG: the SFTP port a sandbox started in the background printed
sandbox_sftp_port() { sed -n 's/.*SFTP port: \([0-9]*\).*/\1/p' "$1" | head -1; }
# free_port: a loopback port free now, for a server that cannot take port 0 and say which it got (OpenSSH's sshd);
# the caller checks that its server did start on it
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# need_sshd: Debian's OpenSSH server is there (installed when the script runs as root), or the script stops
need_sshd() {
  [ -x /usr/sbin/sshd ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
  else
    echo "needs /usr/sbin/sshd: apt-get install openssh-server" >&2; exit 1
  fi
}
# start_sshd DIR: a private OpenSSH sshd on a loopback port, for the user running the script, with the key DIR/id_ed25519
# (made here) only and the sftp subsystem; sets SSHD_PORT and SSHD_PID and writes DIR/known_hosts for it
start_sshd() {
  local d=$1
  mkdir -p -m 755 /run/sshd "$d/sshd"
  ssh-keygen -q -t ed25519 -N "" -f "$d/sshd/host_key"
  ssh-keygen -q -t ed25519 -N "" -f "$d/id_ed25519"
  cp "$d/id_ed25519.pub" "$d/sshd/authorized_keys"
  SSHD_PORT=$(free_port)
  cat > "$d/sshd/config" <<CFG
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $d/sshd/host_key
PidFile $d/sshd/pid
AuthorizedKeysFile $d/sshd/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
CFG
  /usr/sbin/sshd -D -f "$d/sshd/config" -E "$d/sshd/log" & SSHD_PID=$!
  sleep 1
  kill -0 $SSHD_PID 2>/dev/null || { echo "sshd did not start:" >&2; cat "$d/sshd/log" >&2; exit 1; }
  echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1-2 "$d/sshd/host_key.pub")" > "$d/known_hosts"
}

# text_database DB MIB: a new database of about MIB MiB of text, shaped as a live Odoo database's biggest tables
# (partners, and their messages), generated by PostgreSQL itself
text_database() {
  local rows=$(($2 * 1024))
  dropdb --if-exists "$1"; createdb "$1"
  psql -q -X -v ON_ERROR_STOP=1 -d "$1" <<SQL
CREATE TABLE res_partner (id serial PRIMARY KEY, name text);
INSERT INTO res_partner (name) SELECT 'partner ' || i FROM generate_series(1, $rows / 20) i;
CREATE TABLE mail_message (id bigserial PRIMARY KEY, res_id int, body text);
INSERT INTO mail_message (res_id, body)
  SELECT i % ($rows / 20) + 1, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 30) g)
  FROM generate_series(1, $rows) i;
SQL
}
# rpc CALL PARAMS-JSON: the result (JSON) of today's API's call at $BASE, sent as Odoo's client sends it; a refusal
# or an error stops the script. field NAME: that field of the JSON on stdin
rpc() {
  curl -sS -H 'Content-Type: application/json' \
    --data "{\"jsonrpc\": \"2.0\", \"method\": \"not_used\", \"params\": $2, \"id\": \"not_used\"}" "$BASE/upgrade/request/$1" \
  | python3 -c 'import json, sys
a = json.load(sys.stdin)
if "result" not in a or (isinstance(a["result"], dict) and "error" in a["result"]): sys.exit("refused: %s" % a)
print(json.dumps(a["result"]))'
}
field() { python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }
