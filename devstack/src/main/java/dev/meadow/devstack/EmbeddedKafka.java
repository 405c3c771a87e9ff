package dev.meadow.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one process) running the real Apache Kafka server.
 *
 * <p>The data directory is formatted once with Kafka's own storage tool and reused afterwards, so topics and
 * records survive a restart on the same directory.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker on {@code dataDir}, listening on {@code brokerPort} (0 picks a free port).
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort) throws IOException {
        Files.createDirectories(dataDir);
        int port = brokerPort == 0 ? FreePorts.pick() : brokerPort;
        int controllerPort = FreePorts.pick();
        Path logDir = dataDir.resolve("logs");
        Path configFile = dataDir.resolve("server.properties");

        Properties config = brokerConfig(logDir, port, controllerPort);
        try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            config.store(out, "Written by Meadow devstack on every start");
        }
        formatOnce(dataDir, logDir, configFile);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, "127.0.0.1:" + port);
    }

    private static Properties brokerConfig(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic must fit on it.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "8");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // Topics are created by Meadow with their declared partition counts, never implicitly.
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "1");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "4");
        p.setProperty("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.setProperty("message.max.bytes", String.valueOf(8 * 1024 * 1024));
        // The log cleaner's key map, zeroed at every start: 128 MB by default (0.5 s of CPU here, a quarter of the
        // heap). 32 MB holds about 1.26 million keys per pass; a larger backlog is cleaned in more passes.
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        return p;
    }

    private static void formatOnce(Path dataDir, Path logDir, Path configFile) throws IOException {
        // Formatted before: the server checks meta.properties itself. The storage tool costs a start 0.4 s of CPU.
        if (Files.isRegularFile(logDir.resolve("meta.properties"))) {
            return;
        }
        Path clusterIdFile = dataDir.resolve("cluster.id");
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, randomClusterId());
        }
        String clusterId = Files.readString(clusterIdFile).trim();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = StorageTool.execute(
                new String[] {
                    "format", "--config", configFile.toString(), "--cluster-id", clusterId, "--ignore-formatted"
                },
                new PrintStream(log, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IOException("Kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    private static String randomClusterId() {
        // Kafka cluster ids are 16 random bytes in URL-safe base64.
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
