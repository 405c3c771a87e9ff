#!/usr/bin/env bash
# Publishes the shipped CLIP model and decoder, activating each only where none of its kind is active (so a
# model trained or activated since survives the next `up`), and publishes the judge CLIP. Creating the topics
# with the replication the environment asks for (MEADOW_KAFKA_REPLICATION_FACTOR) comes with the first one.
# Publishing again is harmless: a model already in the store is announced as it is.
set -euo pipefail
meadow() { java -XX:MaxRAMPercentage=50 -jar /app/meadow.jar "$@"; }
meadow publish-model /app/models/meadow-clip-v1 --activate-if-none
meadow publish-model /app/models/small-64-resize-clip-v6 --activate-if-none
meadow publish-model /app/models/judge/meadow-judge-clip-v1
