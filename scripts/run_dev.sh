#!/usr/bin/env bash
# Start the web server, the task worker and the sweeps together; Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST_PORT="${XINBAO_ADDR:-127.0.0.1:8000}"
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "正在停止 web 服务与任务进程……"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
$PY manage.py db_worker --queue-name '*' --no-reload --interval 1 &
pids+=($!)
# The safety nets behind scheduled deadlines (emergency time limits, follow-up reminders).
$PY manage.py run_sweeps --loop > var/sweeps.log 2>&1 &
pids+=($!)
$PY manage.py runserver "$HOST_PORT" --noreload &
pids+=($!)
echo "信报已启动：http://$HOST_PORT/ （按 Ctrl-C 停止）"
wait -n "${pids[@]}"
