#!/usr/bin/env bash
# Runs S3Proxy on port 9000 over /data, accepting requests signed with S3_ACCESS_KEY and S3_SECRET_KEY (the names
# MinIO uses, MINIO_ROOT_USER and MINIO_ROOT_PASSWORD, work too, so that one compose file serves both).
set -euo pipefail
access="${S3_ACCESS_KEY:-${MINIO_ROOT_USER:?set S3_ACCESS_KEY}}"
secret="${S3_SECRET_KEY:-${MINIO_ROOT_PASSWORD:?set S3_SECRET_KEY}}"
config="$(mktemp)"
chmod 600 "$config"
cat >"$config" <<PROPERTIES
s3proxy.endpoint=http://0.0.0.0:9000
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${access}
s3proxy.credential=${secret}
jclouds.provider=filesystem-nio2
jclouds.identity=${access}
jclouds.credential=${secret}
jclouds.filesystem.basedir=/data
PROPERTIES
exec java -XX:MaxRAMPercentage=60 -jar /opt/s3proxy/s3proxy.jar --properties "$config"
