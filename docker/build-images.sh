#!/usr/bin/env bash
# The images that are not Quarkus services, from the repository root, after the jars are built. Run by the
# containers module under -Pimages (./mvnw -B package -DskipTests -Pimages builds everything).
#   BASE_IMAGE  the Java base (default eclipse-temurin:17-jre; meadow/jre-base:17 from docker/build-base-image.sh
#               where no registry can be reached)
#   IMAGE_TAG   the tag (default latest)
set -euo pipefail
base="${BASE_IMAGE:-eclipse-temurin:17-jre}"
tag="${IMAGE_TAG:-latest}"
cd "$(dirname "$0")/.."
for image in kafka s3proxy postgres cli; do
  from="$base"
  # PostgreSQL 15 is a Debian bookworm package: Meadow's own base has it; a pulled JRE base may not be Debian.
  if [[ "$image" == postgres && "$base" != meadow/jre-base:* ]]; then
    from="${POSTGRES_BASE_IMAGE:-debian:bookworm-slim}"
  fi
  docker build --build-arg BASE_IMAGE="$from" -f "docker/$image/Dockerfile" -t "meadow/$image:$tag" .
  echo "built meadow/$image:$tag"
done
