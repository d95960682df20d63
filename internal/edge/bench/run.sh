#!/usr/bin/env bash
# Hit throughput and latency of the Vitrine edge next to nginx serving a
# file of the same size, over loopback, one after the other in one run.
#
#   internal/edge/bench/run.sh            # C=16 N=200000 D=20s SIZE=51200
#   C=32 D=10s internal/edge/bench/run.sh
#
# Needs Go; nginx is optional (Debian: apt-get install nginx). Both servers
# and the load generator share the machine, so compare the two lines with
# each other, not with numbers from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/../../.."

C=${C:-16}
N=${N:-200000}
D=${D:-20s}
SIZE=${SIZE:-51200}
EDGE_ADDR=${EDGE_ADDR:-127.0.0.1:18081}
NGINX_ADDR=${NGINX_ADDR:-127.0.0.1:18082}

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as an unprivileged user
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/loadgen" ./internal/edge/bench/loadgen
go build -o "$work/edgeserver" ./internal/edge/bench/edgeserver

echo "# $(nproc) CPUs, concurrency $C, body $SIZE bytes, at most $N requests or $D per server"

"$work/edgeserver" -addr "$EDGE_ADDR" -size "$SIZE" 2>"$work/edge.log" &
pids+=($!)
"$work/loadgen" -name edge -url "http://$EDGE_ADDR/is/image/acme/bench?wid=400" -wait 30s -c "$C" -n "$N" -d "$D"

if ! command -v nginx >/dev/null; then
	echo "nginx    not installed; skipped (apt-get install nginx)"
	exit 0
fi
mkdir -p "$work/root/is/image/acme"
head -c "$SIZE" /dev/zero | tr '\0' v >"$work/root/is/image/acme/bench"
chmod -R a+rX "$work/root"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	default_type image/jpeg;
	server {
		listen $NGINX_ADDR;
		root $work/root;
		location / { add_header Cache-Control "public, max-age=36000"; }
	}
}
CONF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
"$work/loadgen" -name nginx -url "http://$NGINX_ADDR/is/image/acme/bench?wid=400" -wait 30s -c "$C" -n "$N" -d "$D"
