#!/usr/bin/env bash
# The README's two commands as a new user runs them, on a fresh Debian root made with
# debootstrap: clone the project, `./run build`, `./run test -q`, with the time of each.
#
#   sudo benchmarks/fresh_root.sh [SUITE] [ROOT]     SUITE: trixie (default), bookworm, …
#
# The root gets the suite's security updates, as an installed Debian has them (on Debian 13
# they bring LibreOffice 26.8 instead of 25.2); RELEASE_ONLY=1 keeps the release's own
# versions.
#
# Needs root (debootstrap, chroot, mounts) and a reachable Debian mirror. The root is kept
# (ROOT, default /var/tmp/publisher-roots/SUITE) so a second run reuses its base system;
# the clone inside it is made anew each time. Prints a summary line per step.
set -euo pipefail
suite=${1:-trixie}
root=${2:-/var/tmp/publisher-roots/$suite}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
project=$(cd "$(dirname "$0")/.." && pwd)

[ "$(id -u)" -eq 0 ] || { echo "fresh_root.sh: run as root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }

if [ ! -x "$root/usr/bin/git" ]; then
  echo "debootstrap $suite into $root"
  debootstrap --variant=minbase --include=ca-certificates,git,procps "$suite" "$root" "$mirror" >/dev/null
fi

sources="$root/etc/apt/sources.list.d/security.list"
if [ -z "${RELEASE_ONLY:-}" ]; then
  echo "deb ${SECURITY_MIRROR:-http://deb.debian.org/debian-security} $suite-security main" > "$sources"
else
  rm -f "$sources"
fi

mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
for fs in proc sys dev dev/pts; do
  mountpoint -q "$root/$fs" || { mount --bind "/$fs" "$root/$fs"; mounted+=("$root/$fs"); }
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The host's own certificate authorities (a proxy's, say), so the root reaches the package
# registries as the host does.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
fi

# A fresh clone of the committed project (what a user gets), with the shared test data
# beside it as in CI when it exists.
rm -rf "$root/home/editor"
mkdir -p "$root/home/editor"
git clone -q "$project" "$root/home/editor/publisher"
[ -d "$project/../shared" ] && cp -r "$project/../shared" "$root/home/editor/shared"

step() {  # NAME COMMAND…: run in the root, print its time and outcome
  local name=$1 start end status
  shift
  start=$(date +%s)
  set +e
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 CI="${CI:-}" PIP_CERT=/etc/ssl/certs/ca-certificates.crt bash -c "cd /home/editor/publisher && $*" > "$root/home/editor/$name.log" 2>&1
  status=$?
  set -e
  end=$(date +%s)
  printf '%-6s %4d s  exit %d  %s\n' "$name" $((end - start)) "$status" "$(tail -n 1 "$root/home/editor/$name.log")"
  return $status
}

echo "$(. "$root/etc/os-release" && echo "$PRETTY_NAME")"
step build ./run build
step test ./run test -q -p no:cacheprovider
chroot "$root" bash -c 'echo "python: $(python3 --version)"; echo "LibreOffice: $(soffice --version 2>/dev/null | head -1)"'
