#!/usr/bin/env bash
# The Docker engine the container tests need (deploy's ContainerFailoverIT, AgentRssIT) and what the image build
# needs (deploy/image/build.sh: a static busybox): installs Debian's docker.io and busybox-static when missing
# (as root, with apt-get), starts dockerd in the background when no engine answers, and waits until it does.
# Nothing is pulled: the image is built from this machine's JDK. Called by ./test; safe to run again.
set -euo pipefail
need=()
command -v dockerd >/dev/null || need+=(docker.io)
busybox="$(command -v busybox || true)"
{ [ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; } || need+=(busybox-static)
command -v file >/dev/null || need+=(file)
command -v unzip >/dev/null || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "docker-engine.sh: the container tests need ${need[*]} (apt-get install ${need[*]}, as root on Debian)" >&2
    exit 1
  fi
  echo "docker-engine.sh: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! docker version >/dev/null 2>&1; then
  log="${TMPDIR:-/tmp}/pharos-dockerd.log"
  echo "docker-engine.sh: starting dockerd (log: $log)" >&2
  setsid nohup dockerd >"$log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
docker version --format 'docker-engine.sh: engine {{.Server.Version}}, API {{.Server.APIVersion}}' \
  || { echo "docker-engine.sh: dockerd did not answer within 30 s (see ${TMPDIR:-/tmp}/pharos-dockerd.log)" >&2; exit 1; }
