#!/usr/bin/env bash
# Development server: the background-task worker (publishing re-renders pages through it) plus Django.
# The worker waits out a locked or unreachable database by itself; if it exits anyway, it is started again.
set -eu
BIN=${BIN:-.venv/bin}
LOG="${GONGKAI_DATA_DIR:-var}/worker.log"
"$BIN/gongkai" recover-tasks --older-than 0 >/dev/null  # tasks cut off when the last run was stopped

worker_loop() {
  child=
  # On TERM (sent below when the dev server ends) stop the worker gracefully and do not restart it.
  trap 'if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi; exit 0' TERM INT
  while true; do
    "$BIN/gongkai" worker --interval 1 >>"$LOG" 2>&1 &
    child=$!
    status=0
    wait "$child" || status=$?
    child=
    echo "$(date '+%F %T %Z') 任务进程已退出（退出码 $status），3 秒后重新启动" >>"$LOG"
    sleep 3 &
    wait $! || true
  done
}

worker_loop &
WORKER=$!
SERVER=
cleanup() {
  kill $SERVER $WORKER 2>/dev/null || true
  wait $SERVER $WORKER 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ADDR=${GONGKAI_DEV_ADDR:-127.0.0.1:8000}
echo "任务进程已启动（日志：$LOG；退出后自动重启）"
echo "公开网站： http://$ADDR/    工作台： http://$ADDR/staff/"
# In the background and waited for, so that INT/TERM reach the traps at once and stop both processes.
"$BIN/gongkai" runserver "$ADDR" --noreload &
SERVER=$!
wait $SERVER
