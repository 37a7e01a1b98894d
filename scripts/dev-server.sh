#!/usr/bin/env bash
# Development server: the background-task worker (publishing re-renders pages through it) plus Django.
set -eu
BIN=${BIN:-.venv/bin}
"$BIN/gongkai" recover-tasks --older-than 0 >/dev/null  # tasks cut off when the last run was stopped
"$BIN/gongkai" db_worker --queue-name default --interval 1 >"${GONGKAI_DATA_DIR:-var}/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "任务进程已启动（日志：${GONGKAI_DATA_DIR:-var}/worker.log）"
echo "公开网站： http://127.0.0.1:8000/    工作台： http://127.0.0.1:8000/staff/"
"$BIN/gongkai" runserver 127.0.0.1:8000 --noreload
