package dev.meadow.gateway.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.service.config.KafkaTopicsConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Measures how many records each of Meadow's consumer groups has yet to process, and shows it on {@code /q/metrics}
 * as {@code meadow_consumer_lag{group, topic}}: committed records after the group's position, over all partitions.
 * Measured here rather than in the consumers so that it is there when a group has no instance at all (scaling from
 * zero). NaN while the broker cannot be asked.
 */
@Startup
@ApplicationScoped
public class ConsumerLag {

    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    /** One measured group and the topic it reads. */
    record GroupTopic(String group, String topic) {

        static GroupTopic parse(String pair) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException(
                        "meadow.gateway.consumer-lag.groups: '" + pair + "' is not group:topic");
            }
            return new GroupTopic(
                    pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
        }
    }

    private final List<GroupTopic> measured;
    private final Map<GroupTopic, Double> lag = new ConcurrentHashMap<>();
    /** Those whose last measurement failed: a failure is logged once, when it starts. */
    private final Set<GroupTopic> failing = ConcurrentHashMap.newKeySet();

    private final Admin admin;
    private final ScheduledExecutorService scheduler;

    public ConsumerLag(GatewayConfig config, KafkaTopicsConfig kafka, MeterRegistry registry) {
        this.measured =
                config.consumerLag().groups().stream().map(GroupTopic::parse).toList();
        Duration interval = config.consumerLag().interval();
        if (measured.isEmpty() || interval.isZero()) {
            admin = null;
            scheduler = null;
            return;
        }
        for (GroupTopic g : measured) {
            lag.put(g, Double.NaN);
            Gauge.builder("meadow.consumer.lag", lag, m -> m.getOrDefault(g, Double.NaN))
                    .description("Records of the topic that the consumer group has not processed yet")
                    .tag("group", g.group())
                    .tag("topic", g.topic())
                    .register(registry);
        }
        Properties p = new Properties();
        p.putAll(kafka.connection());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "meadow-gateway-lag");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(interval.toMillis()));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(interval.toMillis()));
        admin = Admin.create(p);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::measure, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void measure() {
        for (GroupTopic g : measured) {
            try {
                lag.put(g, (double) lagOf(g));
                failing.remove(g);
            } catch (Exception e) {
                if (failing.add(g)) {
                    LOG.warnf("Cannot measure the lag of %s on %s: %s", g.group(), g.topic(), e.getMessage());
                }
                lag.put(g, Double.NaN);
            }
        }
    }

    private long lagOf(GroupTopic g) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.group())
                .partitionsToOffsetAndMetadata()
                .get();
        List<TopicPartition> partitions =
                admin.describeTopics(List.of(g.topic())).allTopicNames().get().get(g.topic()).partitions().stream()
                        .map(info -> new TopicPartition(g.topic(), info.partition()))
                        .toList();
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        return lag(partitions, committed, start, end);
    }

    /** Per partition: end minus the committed position, or minus the start where the group has committed none. */
    static long lag(
            List<TopicPartition> partitions,
            Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, Long> start,
            Map<TopicPartition, Long> end) {
        long total = 0;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata position = committed.get(tp);
            long first = start.getOrDefault(tp, 0L);
            // A position below the log's start (records deleted by retention) counts from what is still there.
            long from = position == null ? first : Math.max(position.offset(), first);
            total += Math.max(0, end.getOrDefault(tp, from) - from);
        }
        return total;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        // read_committed: the end of a partition is its last stable offset, as the consumers see it.
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get()
                .forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    @PreDestroy
    void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            admin.close(Duration.ofSeconds(2));
        }
    }
}
