#!/usr/bin/env bash
# Builds Meadow's Java base image from Debian packages alone, for machines that cannot pull from an image registry:
# debootstrap a minimal bookworm with the JRE, then 'docker import' it. Built once; later runs reuse it.
#   docker/build-base-image.sh [IMAGE]      (default meadow/jre-base:17; needs root, debootstrap and a Debian mirror)
# Where images can be pulled, skip this and build with -Dmeadow.base-image=eclipse-temurin:17-jre.
set -euo pipefail

image="${1:-meadow/jre-base:17}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image exists: reused"
  exit 0
fi
case "$image" in
  meadow/jre-base:*) ;;
  *) echo "base image $image is not Meadow's own: docker build pulls it"; exit 0 ;;
esac
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }

root="$(mktemp -d /tmp/meadow-base.XXXXXX)"
trap 'rm -rf "$root"' EXIT
# postgresql-15 is in the base so that the gallery's database image needs no mirror at build time.
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,postgresql-15 \
  bookworm "$root" "$mirror" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import --change 'ENV LANG=C.UTF-8' - "$image"
rm -f "$root.log"
echo "built base image $image"
