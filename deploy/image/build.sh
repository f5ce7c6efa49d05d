#!/usr/bin/env bash
# Builds the Pharos container image without pulling anything (ENVIRONMENT.md "Containers"):
#   - a JRE trimmed by jlink from this machine's JDK 17 (the modules the distribution needs),
#   - its shared libraries (glibc, zlib) copied from this machine, busybox for the entrypoint shell,
#   - the distribution jar from `mvn package` (cli/target/pharos.jar) and the JVM flags of jvm/*.args,
#   - user pharos (10001), /data and /tmp the only places written (run it with --read-only),
# as a rootfs tarball given to `docker import`. One image, every command: `pharos controller`, `pharos agent`.
#
#   deploy/image/build.sh [--tag pharos:local] [--jar cli/target/pharos.jar]
# Prints the image's tag and size (bytes) on the last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tag=pharos:local
jar="$root/cli/target/pharos.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2;;
    --jar) jar="$2"; shift 2;;
    *) echo "build.sh: unknown option '$1' (--tag NAME:TAG, --jar FILE)" >&2; exit 64;;
  esac
done
[ -f "$jar" ] || { echo "build.sh: no distribution jar at $jar: run 'mvn -B -DskipTests -pl cli -am package' first" >&2; exit 66; }
command -v docker >/dev/null || { echo "build.sh: docker is not installed (apt-get install docker.io)" >&2; exit 69; }
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[ -d "$java_home/jmods" ] || { echo "build.sh: $java_home has no jmods: jlink needs a full JDK 17" >&2; exit 69; }
busybox="$(command -v busybox || true)"
[ -n "$busybox" ] && file -L "$busybox" | grep -q 'statically linked' \
  || { echo "build.sh: needs a static busybox (apt-get install busybox-static)" >&2; exit 69; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs"/{bin,etc,tmp,data,opt/pharos/bin,opt/pharos/jvm}

# java.se: Hazelcast members are started with --add-modules java.se (jvm/hazelcast-member.args);
# jdk.unsupported: Netty, Hazelcast (Unsafe); jdk.crypto.ec: Ed25519 and TLS's EC keys; jdk.management:
# the opened com.sun.management.internal; jdk.net: TCP keep-alive options (Hazelcast); jdk.httpserver: `pharos app`; jdk.naming.dns, jdk.zipfs: libraries.
"$java_home/bin/jlink" --module-path "$java_home/jmods" \
  --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.net,jdk.httpserver,jdk.naming.dns,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$rootfs/opt/pharos/jre"
# Debian's JDK keeps its CA certificates outside the JDK: put a copy in the JRE (HTTPS probes need them)
if [ ! -s "$rootfs/opt/pharos/jre/lib/security/cacerts" ] || [ -L "$rootfs/opt/pharos/jre/lib/security/cacerts" ]; then
  rm -f "$rootfs/opt/pharos/jre/lib/security/cacerts"
  cp -L "$java_home/lib/security/cacerts" "$rootfs/opt/pharos/jre/lib/security/cacerts"
fi
# Class data sharing archive of the trimmed JRE's own classes (faster start, less RSS across JVMs)
"$rootfs/opt/pharos/jre/bin/java" -Xshare:dump >/dev/null 2>&1 || true

# the shared libraries the JRE's binaries and the jar's native libraries (Netty's epoll and tcnative, which Ratis
# loads for TLS) need, from this machine (the glibc the JDK was built for)
mkdir -p "$work/native" && (cd "$work/native" && unzip -q -o "$jar" "META-INF/native/*$(uname -m)*.so" 2>/dev/null || true)
find "$rootfs/opt/pharos/jre" "$work/native" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | { xargs -0 ldd 2>/dev/null || true; } | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | sort -u \
  | while read -r lib; do
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done
mkdir -p "$rootfs/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$rootfs/lib64/"

cp "$busybox" "$rootfs/bin/busybox"
for cmd in sh hostname cut cat ls sleep kill wget nc; do ln -s busybox "$rootfs/bin/$cmd"; done
cp "$jar" "$rootfs/opt/pharos/pharos.jar"
cp "$root"/jvm/*.args "$rootfs/opt/pharos/jvm/"
install -m 0755 "$root/deploy/image/pharos-entrypoint" "$rootfs/opt/pharos/bin/pharos"
ln -s /opt/pharos/bin/pharos "$rootfs/bin/pharos"
printf 'root:x:0:0:root:/root:/bin/sh\npharos:x:10001:10001:pharos:/data:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\npharos:x:10001:\n' > "$rootfs/etc/group"
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
chmod 1777 "$rootfs/tmp"
chown 10001:10001 "$rootfs/data"

version="$(unzip -p "$jar" META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Implementation-Version: *//p' | tr -d '\r' || true)"
tar -C "$rootfs" --numeric-owner -cf "$work/rootfs.tar" .
docker import \
  --change 'USER 10001:10001' \
  --change 'WORKDIR /data' \
  --change 'ENV PATH=/opt/pharos/bin:/bin JAVA_HOME=/opt/pharos/jre' \
  --change 'VOLUME ["/data", "/tmp"]' \
  --change 'ENTRYPOINT ["/opt/pharos/bin/pharos"]' \
  --change 'CMD ["--help"]' \
  --change "LABEL org.opencontainers.image.title=pharos org.opencontainers.image.version=${version:-unknown}" \
  "$work/rootfs.tar" "$tag" >/dev/null
echo "$tag $(docker image inspect --format '{{.Size}}' "$tag")"
