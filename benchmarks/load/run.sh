#!/usr/bin/env bash
# End-to-end load harness for the DESIGN section 7 bars that only a running service can show.
#
# Starts the sample service twice on 127.0.0.1 (random free ports): instance "on" with the
# starter enabled, instance "off" with --managed-scopes.enabled=false. Then alternates wrk runs
# of equal length:
#   (a) /bench/plain   on "on"  - three scratch buffers closed by try-with-resources
#   (b) /bench/managed on "on"  - the same three buffers from @ManagedResource methods
#   (c) /bench/untouched on "on" vs the same endpoint on "off"
# and prints the ratios of requests/s, of p99 latency and of the instance's CPU time per request
# (user + system time of its JVM over the run, from /proc, divided by the requests wrk counted),
# each the median of the per-round ratios, with every round's ratios and the ratios of the means. Ratios only: absolute numbers depend on the machine and
# on what else runs on it.
#
# Usage: benchmarks/load/run.sh            (from anywhere; builds the sample jar first)
# Environment (defaults in brackets):
#   DURATION [12]  seconds per measured wrk run     ROUNDS [5]       measured runs per arm
#   WARMUP [10]    seconds per endpoint and instance per warm-up pass; there are
#                  WARMUP_PASSES [3] passes over the three endpoints of both instances, alternating
#                  them, so that the compiled code has seen every path before the first measured
#                  run (on one core the compiler competes with the load and takes minutes to settle)
#   THREADS [1 pinned, else 2] wrk threads
#   CONNECTIONS [16] wrk connections                JAVA [java]      the JVM to run the service
#   SKIP_BUILD [0] 1 to reuse the jar already built
#   PIN [1 on 2 or more cores] 1 to run both instances on the last core and wrk on the others,
#                  so that the service never shares a core with its load; 0 to let them mix (the
#                  CPU each request costs then depends on how the scheduler interleaves them)
#   INTERLEAVED [60] seconds of the interleaved run: after the rounds, /bench/plain and
#                  /bench/managed are sent in turn (interleaved.lua) and the "on" instance sums the
#                  CPU time of each request's thread per endpoint (sample.bench.cpu-timing): the
#                  two endpoints see the same machine at the same moments, so their difference
#                  is the library's cost per request, free of the drift between rounds
#   SETTLE [2]     seconds of unmeasured load on the same endpoint before each measured run, so
#                  that no arm pays for the run before it (without it, whichever arm of a round
#                  ran second paid part of the first one's cost)
#   ON_ARGS []     more arguments for the "on" instance, space-separated: a setting whose cost
#                  the managed arm should show (or not), e.g.
#                  --management.metrics.distribution.percentiles-histogram.managedscopes.scopes=false
# The whole run is bounded: it refuses settings that would take more than 10 minutes.
set -euo pipefail

DURATION=${DURATION:-12}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-10}
WARMUP_PASSES=${WARMUP_PASSES:-3}
CORES=$(nproc)
PIN=${PIN:-$(( CORES >= 2 ? 1 : 0 ))}
if [[ $PIN == 1 ]]; then
    APP_CPUS=$(( CORES - 1 ))
    WRK_CPUS="0-$(( CORES - 2 ))"
    THREADS=${THREADS:-$(( CORES - 1 ))}
fi
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
JAVA=${JAVA:-java}
SKIP_BUILD=${SKIP_BUILD:-0}
SETTLE=${SETTLE:-2}
INTERLEAVED=${INTERLEAVED:-60}
read -r -a ON_ARGS <<<"${ON_ARGS:-}"
HOST=127.0.0.1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAR="$ROOT/sample-service/target/managed-scopes-sample-service-0.1.0-SNAPSHOT.jar"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/managed-scopes-load.XXXXXX")
START_SECONDS=$SECONDS

# 4 wrk runs of SETTLE + DURATION per round (a, b, c-on, c-off), 6 warm-ups per pass, about 60 s to start up.
ESTIMATE=$(( ROUNDS * 4 * (SETTLE + DURATION) + WARMUP_PASSES * 6 * WARMUP + INTERLEAVED + 60 ))
if (( ESTIMATE > 600 )); then
    echo "DURATION=$DURATION ROUNDS=$ROUNDS WARMUP=$WARMUP WARMUP_PASSES=$WARMUP_PASSES SETTLE=$SETTLE would take about ${ESTIMATE} s; the harness stays under 600 s" >&2
    exit 2
fi

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

ensure_wrk() {
    if command -v wrk >/dev/null 2>&1; then
        return
    fi
    echo "wrk is missing: installing Debian's package" >&2
    local sudo=""
    if (( $(id -u) != 0 )); then
        sudo="sudo"
    fi
    $sudo apt-get install -y wrk >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
    command -v wrk >/dev/null 2>&1 || { echo "could not install wrk" >&2; exit 1; }
}

# launch NAME EXTRA_ARGS...: starts the jar on a random free port of 127.0.0.1, in this shell
# (so that cleanup can stop it by its process id).
launch() {
    local name=$1
    shift
    ${APP_CPUS:+taskset -c "$APP_CPUS"} "$JAVA" -Xms256m -Xmx256m -jar "$JAR" \
        --server.address=$HOST --server.port=0 \
        --sample.storage="$WORK/$name/documents" --sample.spool="$WORK/$name/spool" \
        "$@" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
}

# port_of NAME PID: waits (60 s at most) until the instance serves, and prints its port.
port_of() {
    local name=$1 pid=$2 log="$WORK/$1.log" port=""
    local deadline=$(( SECONDS + 60 ))
    while (( SECONDS < deadline )) && kill -0 "$pid" 2>/dev/null; do
        port=$(sed -n 's/.*Tomcat started on port \([0-9]*\).*/\1/p' "$log" | head -1)
        if [[ -n $port ]] && curl -fsS "http://$HOST:$port/bench/untouched" >/dev/null 2>&1; then
            echo "$port"
            return
        fi
        sleep 0.5
    done
    echo "the '$name' instance did not start; the end of its log:" >&2
    tail -40 "$log" >&2
    return 1
}

# to_micros VALUE: wrk prints latencies as 1.23us, 4.56ms or 1.20s.
to_micros() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); print v + 0 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); print v * 1000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000000 }
        else { print "NaN" }
    }'
}

# cpu_ticks PID: user + system CPU time of a process so far, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# measure LABEL URL SECONDS [PID]: runs wrk; unless SECONDS is a warm-up, appends
# "ROUND LABEL rps p99_us cpu_us_per_request" to results, the CPU time being that of process PID.
measure() {
    local label=$1 url=$2 seconds=$3 pid=${4:-} out before after
    if [[ -n $pid ]] && (( SETTLE > 0 )); then
        # Unmeasured: the instance's trailing work from the run before (the previous arm's
        # connections, garbage and compilations) is paid here, not by this arm.
        timeout $(( SETTLE + 30 )) ${WRK_CPUS:+taskset -c "$WRK_CPUS"} wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SETTLE}s" "$url" >/dev/null
    fi
    [[ -n $pid ]] && before=$(cpu_ticks "$pid")
    out=$(timeout $(( seconds + 30 )) ${WRK_CPUS:+taskset -c "$WRK_CPUS"} wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency "$url")
    [[ -n $pid ]] && after=$(cpu_ticks "$pid")
    if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
        echo "$label: wrk saw error responses from $url:" >&2
        echo "$out" >&2
        exit 1
    fi
    local rps p99 requests cpu
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p99=$(to_micros "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    if [[ $label != warmup ]]; then
        cpu=$(awk -v t=$(( after - before )) -v hz="$TICKS" -v n="$requests" 'BEGIN { printf "%.2f", t * 1000000 / hz / n }')
        echo "$round $label $rps $p99 $cpu" >>"$WORK/results"
        printf '  %-14s %10s req/s   p99 %8s us   CPU %6s us/request   (load %s)\n' "$label" "$rps" "$p99" \
            "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
    fi
}

ensure_wrk
TICKS=$(getconf CLK_TCK)
round=0
if [[ $SKIP_BUILD != 1 || ! -f $JAR ]]; then
    echo "building the sample service jar"
    (cd "$ROOT" && mvn -q -pl sample-service -am package -DskipTests)
fi

echo "date $(date -u +%Y-%m-%dT%H:%MZ), nproc $(nproc), $("$JAVA" -version 2>&1 | head -1)"
echo "uptime at start: $(uptime)"
echo "wrk -t$THREADS -c$CONNECTIONS${WRK_CPUS:+ on cpu $WRK_CPUS, the service on cpu $APP_CPUS}, $ROUNDS x ${DURATION}s per arm (each after ${SETTLE}s unmeasured), $WARMUP_PASSES warm-up passes of ${WARMUP}s per endpoint"

launch on --sample.bench.cpu-timing=true ${ON_ARGS[@]+"${ON_ARGS[@]}"}
ON_PID=${PIDS[-1]}
launch off --managed-scopes.enabled=false --sample.bench.cpu-timing=true
OFF_PID=${PIDS[-1]}
ON_PORT=$(port_of on "$ON_PID")
OFF_PORT=$(port_of off "$OFF_PID")
ON="http://$HOST:$ON_PORT"
OFF="http://$HOST:$OFF_PORT"
echo "instance 'on' (starter enabled) at $ON, instance 'off' (managed-scopes.enabled=false) at $OFF${ON_ARGS[*]:+; 'on' with ${ON_ARGS[*]}}"

echo "(the load averages printed during runs count wrk's and Tomcat's own threads; judge the machine by the one at start)"
echo "warming up"
# Both instances serve the same three endpoints while warming up, so that code they share (the
# dispatcher, the message converters) is compiled from the same mix of calls on both, and the
# untouched endpoint compares the starter on and off rather than two compilations.
for (( pass = 1; pass <= WARMUP_PASSES; pass++ )); do
    for url in "$ON/bench/plain" "$OFF/bench/plain" "$ON/bench/managed" "$OFF/bench/managed" \
            "$ON/bench/untouched" "$OFF/bench/untouched"; do
        measure warmup "$url" "$WARMUP"
    done
done

: >"$WORK/results"
for (( round = 1; round <= ROUNDS; round++ )); do
    echo "round $round of $ROUNDS"
    # Alternate which arm goes first, so that drift in the machine's load favours neither.
    if (( round % 2 == 1 )); then
        measure plain "$ON/bench/plain" "$DURATION" "$ON_PID"
        measure managed "$ON/bench/managed" "$DURATION" "$ON_PID"
        measure untouched-on "$ON/bench/untouched" "$DURATION" "$ON_PID"
        measure untouched-off "$OFF/bench/untouched" "$DURATION" "$OFF_PID"
    else
        measure managed "$ON/bench/managed" "$DURATION" "$ON_PID"
        measure plain "$ON/bench/plain" "$DURATION" "$ON_PID"
        measure untouched-off "$OFF/bench/untouched" "$DURATION" "$OFF_PID"
        measure untouched-on "$ON/bench/untouched" "$DURATION" "$ON_PID"
    fi
done

echo "interleaved: /bench/plain and /bench/managed in turn for ${INTERLEAVED}s, CPU time of each request's thread"
curl -fsS -X POST "$ON/bench/cpu/start" >/dev/null
timeout $(( INTERLEAVED + 30 )) ${WRK_CPUS:+taskset -c "$WRK_CPUS"} wrk -t"$THREADS" -c"$CONNECTIONS" -d"${INTERLEAVED}s" \
    -s "$ROOT/benchmarks/load/interleaved.lua" "$ON" >/dev/null
curl -fsS -X POST "$ON/bench/cpu/stop" >"$WORK/interleaved"
echo "uptime at end: $(uptime)"
echo
# median COLUMN NUMERATOR DENOMINATOR: the median over rounds of the ratio of the two arms'
# figures in COLUMN (3 req/s, 4 p99, 5 CPU per request). The two arms of a round ran one after
# the other, so their ratio cancels the drift of the machine between rounds.
median_ratio() {
    awk -v c="$1" -v a="$2" -v b="$3" '$2 == a { x[$1] = $c } $2 == b { y[$1] = $c }
        END { for (r in x) if (r in y && y[r] > 0) print x[r] / y[r] }' "$WORK/results" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "NaN"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# per_round COLUMN NUMERATOR DENOMINATOR: the ratios of every round, in round order.
per_round() {
    awk -v c="$1" -v a="$2" -v b="$3" '$2 == a { x[$1] = $c } $2 == b { y[$1] = $c }
        END { for (r = 1; r in x; r++) if (r in y && y[r] > 0) printf "%s%.3f", (r > 1 ? " " : ""), x[r] / y[r] }' "$WORK/results"
}
printf '| Bar | Arms | Required | CPU/request ratio | req/s ratio | p99 ratio |\n|---|---|---|---|---|---|\n'
printf '| Three @ManagedResource resources vs try-with-resources | managed / plain | CPU <= 1.04x, req/s >= 0.97x, p99 <= 1.05x | %.3fx | %.3fx | %.3fx |\n' \
    "$(median_ratio 5 managed plain)" "$(median_ratio 3 managed plain)" "$(median_ratio 4 managed plain)"
printf '| Untouched request, starter on vs off | untouched-on / untouched-off | within noise | %.3fx | %.3fx | %.3fx |\n' \
    "$(median_ratio 5 untouched-on untouched-off)" "$(median_ratio 3 untouched-on untouched-off)" \
    "$(median_ratio 4 untouched-on untouched-off)"
echo
echo "Each ratio is the median of the per-round ratios, over $ROUNDS rounds. Per round:"
for arms in "managed plain" "untouched-on untouched-off"; do
    set -- $arms
    echo "  $1 / $2: CPU $(per_round 5 "$1" "$2"); req/s $(per_round 3 "$1" "$2"); p99 $(per_round 4 "$1" "$2")"
done
awk '{ rps[$2] += $3; p99[$2] += $4; n[$2]++ }
    END {
        for (arm in n) { rps[arm] /= n[arm]; p99[arm] /= n[arm] }
        printf "Ratios of the means over all rounds: managed / plain req/s %.3fx, p99 %.3fx; untouched-on / untouched-off req/s %.3fx, p99 %.3fx\n",
            rps["managed"] / rps["plain"], p99["managed"] / p99["plain"], rps["untouched-on"] / rps["untouched-off"],
            p99["untouched-on"] / p99["untouched-off"]
    }' "$WORK/results"
# The interleaved run: mean thread CPU per request of each endpoint, their difference (what the
# library costs the request's thread), and that difference set against the whole app CPU per
# request of /bench/plain in the rounds (median), as an estimate of the bar's ratio.
PLAIN_CPU=$(awk '$2 == "plain" { print $5 }' "$WORK/results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v plain_cpu="$PLAIN_CPU" '$1 == "/bench/plain" { pn = $2; pt = $3 } $1 == "/bench/managed" { mn = $2; mt = $3 }
    END {
        if (pn == 0 || mn == 0) { print "Interleaved run: no measurement (is sample.bench.cpu-timing on?)"; exit }
        p = pt / pn / 1000; m = mt / mn / 1000
        printf "Interleaved run (%d + %d requests): thread CPU per request %.2f us (plain), %.2f us (managed), managed / plain %.3fx;\n", pn, mn, p, m, m / p
        printf "  the library costs the request thread %.2f us, %.1f%% of the %.2f us of app CPU a plain request takes (median of the rounds): an estimated managed / plain app CPU of %.3fx\n",
            m - p, 100 * (m - p) / plain_cpu, plain_cpu, 1 + (m - p) / plain_cpu
    }' "$WORK/interleaved"
echo "harness took $(( SECONDS - START_SECONDS )) s"
