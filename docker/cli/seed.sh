#!/usr/bin/env bash
# As the administrator (its own listener): creates the topics with the replication the environment asks for
# (MEADOW_KAFKA_REPLICATION_FACTOR), and gives each component its Kafka user and only its rights.
# As the publisher: publishes the shipped CLIP model and decoder, activating each only where none of its kind is
# active (so a model trained or activated since survives the next `up`), and publishes the judge CLIP.
# Running again is harmless: passwords and rights are set anew, a model already in the store is announced as it is.
set -euo pipefail
meadow() { java -XX:MaxRAMPercentage=50 -jar /app/meadow.jar "$@"; }
# The services wait for this container to succeed (Compose 1.29 gives up on them if it fails once): a cluster still
# electing its controllers is waited for here, not failed on.
for attempt in $(seq 1 30); do
  if (
    export MEADOW_KAFKA_USERNAME=admin MEADOW_KAFKA_PASSWORD="$MEADOW_KAFKA_ADMIN_PASSWORD" \
      MEADOW_KAFKA_SASL_MECHANISM=PLAIN KAFKA_BOOTSTRAP_SERVERS="$MEADOW_KAFKA_ADMIN_BOOTSTRAP_SERVERS"
    meadow setup-kafka
  ); then
    break
  fi
  if ((attempt == 30)); then
    echo "seed-models: Kafka could not be set up" >&2
    exit 1
  fi
  echo "seed-models: Kafka not ready (attempt $attempt of 30); again in 5 s" >&2
  sleep 5
done
export MEADOW_KAFKA_USERNAME=publisher MEADOW_KAFKA_PASSWORD="$MEADOW_KAFKA_PUBLISHER_PASSWORD"
meadow publish-model /app/models/meadow-clip-v1 --activate-if-none
# The prior first: the decoder that draws through it is activated with it, and v6 stays published beside them.
meadow publish-model /app/models/meadow-prior-v1
meadow publish-model /app/models/small-64-resize-reflect-v7 --activate-if-none
meadow publish-model /app/models/small-64-resize-clip-v6 --activate-if-none
meadow publish-model /app/models/judge/meadow-judge-clip-v1
