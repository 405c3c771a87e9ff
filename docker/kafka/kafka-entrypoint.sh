#!/usr/bin/env bash
# Writes server.properties from the environment, formats the storage once, and runs the broker.
#   KAFKA_NODE_ID                   this node's id (1, 2, 3)
#   KAFKA_CONTROLLER_QUORUM_VOTERS  e.g. 1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093
#   KAFKA_CLUSTER_ID                one id shared by every node (22 characters of URL-safe base64)
#   KAFKA_ADVERTISED_HOST           the name clients reach this node by (default: the host name)
#   KAFKA_REPLICATION_FACTOR        copies of the offsets and transaction-state topics (default 3)
#   KAFKA_MIN_INSYNC_REPLICAS       copies a write needs, for every topic (default 2)
#   KAFKA_ADMIN_PASSWORD            the administrator's password (user admin, PLAIN, on port 9095 only)
#   KAFKA_BROKER_PASSWORD           what the nodes log in to each other with (users broker and controller)
#   KAFKA_EXTERNAL_ADDRESS          host:port that clients outside the containers' network reach port 19092 by
#                                   (publish 19092 there); unset: no such listener
#   KAFKA_EXTERNAL_MECHANISM        who logs in there: SCRAM-SHA-512 (components, the default) or PLAIN (admin)
#   KAFKA_EXTRA_PROPERTIES          more server.properties lines, newline separated
# Every listener is SASL over TLS, with the key store kafka-certs.sh made for this host:
#   9092 CLIENT      the components, SCRAM-SHA-512 (users and ACLs made by `meadow setup-kafka`)
#   9093 CONTROLLER  the KRaft quorum, PLAIN (controller)
#   9094 INTERNAL    replication between brokers, PLAIN (broker)
#   9095 ADMIN       the administrator, PLAIN (admin)
# Only admin, broker and controller are super users; anyone else gets what an ACL allows and nothing more.
set -euo pipefail
umask 077

: "${KAFKA_NODE_ID:?set KAFKA_NODE_ID}"
: "${KAFKA_CONTROLLER_QUORUM_VOTERS:?set KAFKA_CONTROLLER_QUORUM_VOTERS}"
: "${KAFKA_CLUSTER_ID:?set KAFKA_CLUSTER_ID}"
: "${KAFKA_ADMIN_PASSWORD:?set KAFKA_ADMIN_PASSWORD}"
: "${KAFKA_BROKER_PASSWORD:?set KAFKA_BROKER_PASSWORD}"
for secret in "$KAFKA_ADMIN_PASSWORD" "$KAFKA_BROKER_PASSWORD"; do
  if [[ "$secret" == *[\"\\]* || "$secret" == *$'\n'* || "$secret" == *$'\r'* ]]; then
    echo "Kafka passwords may not contain quotes, backslashes or line breaks" >&2
    exit 2
  fi
done
host="${KAFKA_ADVERTISED_HOST:-$(hostname)}"
replicas="${KAFKA_REPLICATION_FACTOR:-3}"
min_isr="${KAFKA_MIN_INSYNC_REPLICAS:-2}"
data=/var/lib/kafka/data
certs=/var/lib/kafka/certs
if [[ ! -s "$certs/$host.p12" ]]; then
  echo "no key store $certs/$host.p12: run the kafka-certs service first (docker/kafka/kafka-certs.sh)" >&2
  exit 2
fi
store_password="$(cat "$certs/store-password")"
listeners="CLIENT://:9092,CONTROLLER://:9093,INTERNAL://:9094,ADMIN://:9095"
advertised="CLIENT://${host}:9092,INTERNAL://${host}:9094,ADMIN://${host}:9095"
protocols="CLIENT:SASL_SSL,CONTROLLER:SASL_SSL,INTERNAL:SASL_SSL,ADMIN:SASL_SSL"
plain="org.apache.kafka.common.security.plain.PlainLoginModule required"
scram="org.apache.kafka.common.security.scram.ScramLoginModule required;"
external=""
if [[ -n "${KAFKA_EXTERNAL_ADDRESS:-}" ]]; then
  listeners="${listeners},EXTERNAL://:19092"
  advertised="${advertised},EXTERNAL://${KAFKA_EXTERNAL_ADDRESS}"
  protocols="${protocols},EXTERNAL:SASL_SSL"
  if [[ "${KAFKA_EXTERNAL_MECHANISM:-SCRAM-SHA-512}" == PLAIN ]]; then
    external="listener.name.external.sasl.enabled.mechanisms=PLAIN
listener.name.external.plain.sasl.jaas.config=${plain} user_admin=\"${KAFKA_ADMIN_PASSWORD}\";"
  else
    external="listener.name.external.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.external.scram-sha-512.sasl.jaas.config=${scram}"
  fi
fi
config=/var/lib/kafka/server.properties

# Holds passwords: the owner's alone (umask 077).
cat >"$config" <<PROPERTIES
process.roles=broker,controller
node.id=${KAFKA_NODE_ID}
controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS}
listeners=${listeners}
advertised.listeners=${advertised}
controller.listener.names=CONTROLLER
listener.security.protocol.map=${protocols}
inter.broker.listener.name=INTERNAL
sasl.mechanism.inter.broker.protocol=PLAIN
sasl.mechanism.controller.protocol=PLAIN
ssl.keystore.type=PKCS12
ssl.keystore.location=${certs}/${host}.p12
ssl.keystore.password=${store_password}
ssl.truststore.type=PKCS12
ssl.truststore.location=${certs}/${host}.p12
ssl.truststore.password=${store_password}
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=${scram}
listener.name.admin.sasl.enabled.mechanisms=PLAIN
listener.name.admin.plain.sasl.jaas.config=${plain} user_admin="${KAFKA_ADMIN_PASSWORD}";
listener.name.internal.sasl.enabled.mechanisms=PLAIN
listener.name.internal.plain.sasl.jaas.config=${plain} username="broker" password="${KAFKA_BROKER_PASSWORD}" user_broker="${KAFKA_BROKER_PASSWORD}";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=${plain} username="controller" password="${KAFKA_BROKER_PASSWORD}" user_controller="${KAFKA_BROKER_PASSWORD}";
${external}
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:broker;User:controller
allow.everyone.if.no.acl.found=false
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
