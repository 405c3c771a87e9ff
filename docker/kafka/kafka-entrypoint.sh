#!/usr/bin/env bash
# Writes server.properties from the environment, formats the storage once, and runs the broker.
#   KAFKA_NODE_ID                   this node's id (1, 2, 3)
#   KAFKA_CONTROLLER_QUORUM_VOTERS  e.g. 1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093
#   KAFKA_CLUSTER_ID                one id shared by every node (22 characters of URL-safe base64)
#   KAFKA_ADVERTISED_HOST           the name clients reach this node by (default: the host name)
#   KAFKA_REPLICATION_FACTOR        copies of the offsets and transaction-state topics (default 3)
#   KAFKA_MIN_INSYNC_REPLICAS       copies a write needs, for every topic (default 2)
#   KAFKA_EXTERNAL_ADDRESS          host:port that clients outside the containers' network reach port 19092 by
#                                   (publish 19092 there); unset: no such listener
#   KAFKA_EXTRA_PROPERTIES          more server.properties lines, newline separated
set -euo pipefail

: "${KAFKA_NODE_ID:?set KAFKA_NODE_ID}"
: "${KAFKA_CONTROLLER_QUORUM_VOTERS:?set KAFKA_CONTROLLER_QUORUM_VOTERS}"
: "${KAFKA_CLUSTER_ID:?set KAFKA_CLUSTER_ID}"
host="${KAFKA_ADVERTISED_HOST:-$(hostname)}"
replicas="${KAFKA_REPLICATION_FACTOR:-3}"
min_isr="${KAFKA_MIN_INSYNC_REPLICAS:-2}"
data=/var/lib/kafka/data
listeners="PLAINTEXT://:9092,CONTROLLER://:9093"
advertised="PLAINTEXT://${host}:9092"
protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
if [[ -n "${KAFKA_EXTERNAL_ADDRESS:-}" ]]; then
  listeners="${listeners},EXTERNAL://:19092"
  advertised="${advertised},EXTERNAL://${KAFKA_EXTERNAL_ADDRESS}"
  protocols="${protocols},EXTERNAL:PLAINTEXT"
fi
config=/var/lib/kafka/server.properties

cat >"$config" <<PROPERTIES
process.roles=broker,controller
node.id=${KAFKA_NODE_ID}
controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS}
listeners=${listeners}
advertised.listeners=${advertised}
controller.listener.names=CONTROLLER
listener.security.protocol.map=${protocols}
inter.broker.listener.name=PLAINTEXT
log.dirs=${data}
offsets.topic.replication.factor=${replicas}
transaction.state.log.replication.factor=${replicas}
transaction.state.log.min.isr=${min_isr}
share.coordinator.state.topic.replication.factor=${replicas}
share.coordinator.state.topic.min.isr=${min_isr}
default.replication.factor=${replicas}
min.insync.replicas=${min_isr}
offsets.topic.num.partitions=8
transaction.state.log.num.partitions=4
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
message.max.bytes=8388608
${KAFKA_EXTRA_PROPERTIES:-}
PROPERTIES

classpath='/opt/kafka/libs/*'
# --ignore-formatted: a restarted node keeps its data and its cluster id.
java -cp "$classpath" kafka.tools.StorageTool format --cluster-id "$KAFKA_CLUSTER_ID" --config "$config" \
  --ignore-formatted
exec java ${KAFKA_HEAP_OPTS} -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaConfig=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config=warn \
  -cp "$classpath" kafka.Kafka "$config"
