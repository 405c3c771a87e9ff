package dev.meadow.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Security;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.security.plain.internals.PlainSaslServerProvider;
import org.apache.kafka.common.security.scram.internals.ScramSaslServerProvider;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one process) running the real Apache Kafka server,
 * with every connection authenticated and every request authorised.
 *
 * <p>Four listeners, all on loopback: {@code CLIENT} for the components (SCRAM-SHA-512, users made by an
 * administrator), {@code ADMIN} for the administrator's tools (SCRAM-SHA-512, the user {@value #ADMIN_USER} whose
 * password the caller gives, set again at every start), and {@code INTERNAL} and {@code CONTROLLER} for the node
 * talking to itself (PLAIN, passwords made anew at every start, used only once the node has bound those ports). No
 * client ever sends a password in clear: whatever listens on a port a client was told of, SCRAM shows it nothing
 * it could log in with. Kafka's {@code StandardAuthorizer} refuses whatever no ACL allows; only the administrator
 * and the node itself are super users. The configuration, which holds the passwords, is readable by its owner only.
 *
 * <p>The data directory is formatted once with Kafka's own storage tool and reused afterwards, so topics, records,
 * users and ACLs survive a restart on the same directory.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The administrator's user name, on the {@code ADMIN} listener only. */
    public static final String ADMIN_USER = "admin";

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private final KafkaRaftServer server;
    private final String clientBootstrap;
    private final String adminBootstrap;
    private final String adminPassword;

    private EmbeddedKafka(KafkaRaftServer server, String clientBootstrap, String adminBootstrap, String adminPassword) {
        this.server = server;
        this.clientBootstrap = clientBootstrap;
        this.adminBootstrap = adminBootstrap;
        this.adminPassword = adminPassword;
    }

    /**
     * Starts a broker on {@code dataDir}: components connect on {@code clientPort}, the administrator on
     * {@code adminPort} (0 picks a free port for either).
     */
    public static EmbeddedKafka start(Path dataDir, int clientPort, int adminPort, String adminPassword)
            throws IOException {
        if (adminPassword == null || adminPassword.isBlank() || !quotable(adminPassword)) {
            throw new IllegalArgumentException(
                    "the Kafka administrator's password must be set, without quotes, backslashes or line breaks");
        }
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        int port = clientPort == 0 ? FreePorts.pick() : clientPort;
        int admin = adminPort == 0 ? FreePorts.pick() : adminPort;
        Ports ports = new Ports(port, admin, FreePorts.pick(), FreePorts.pick());
        Path logDir = dataDir.resolve("logs");
        Path configFile = dataDir.resolve("server.properties");

        String brokerPassword = DevStack.randomHex(16);
        Properties config = brokerConfig(logDir, ports, brokerPassword);
        Files.deleteIfExists(configFile);
        Files.createFile(
                configFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            config.store(out, "Written by Meadow devstack on every start; holds passwords");
        }
        formatOnce(dataDir, logDir, configFile);

        useThisClassLoadersSaslServers();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        try {
            setAdministratorPassword("127.0.0.1:" + ports.internal(), brokerPassword, adminPassword);
        } catch (IOException | RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new EmbeddedKafka(server, "127.0.0.1:" + port, "127.0.0.1:" + admin, adminPassword);
    }

    /**
     * The administrator's SCRAM credential, set through the node's own listener (which this process has bound, so
     * the node's password goes nowhere else): a data directory keeps working when the password changes.
     */
    private static void setAdministratorPassword(String internal, String brokerPassword, String adminPassword)
            throws IOException {
        Map<String, Object> node = connection(internal, "PLAIN", PLAIN_MODULE, "broker", brokerPassword);
        node.put("default.api.timeout.ms", 60_000);
        try (Admin admin = Admin.create(node)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            ADMIN_USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), adminPassword)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the Kafka administrator's password", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not set the Kafka administrator's password: " + e.getMessage(), e);
        }
    }

    /**
     * Kafka's SASL servers are JCA providers, registered once per JVM by whichever class loader got there first. A
     * broker started from another class loader (a Quarkus test run restarting its resources) would get the first
     * one's servers, whose callbacks its own handlers do not recognise, and refuse every login: register this class
     * loader's instead.
     */
    private static synchronized void useThisClassLoadersSaslServers() {
        Security.removeProvider("Simple SASL/PLAIN Server Provider");
        Security.removeProvider("SASL/SCRAM Server Provider");
        PlainSaslServerProvider.initialize();
        ScramSaslServerProvider.initialize();
    }

    private record Ports(int client, int admin, int internal, int controller) {}

    private static Properties brokerConfig(Path logDir, Ports ports, String brokerPassword) {
        String controllerPassword = DevStack.randomHex(16);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + ports.controller());
        p.setProperty(
                "listeners",
                "CLIENT://127.0.0.1:" + ports.client() + ",ADMIN://127.0.0.1:" + ports.admin()
                        + ",INTERNAL://127.0.0.1:" + ports.internal() + ",CONTROLLER://127.0.0.1:"
                        + ports.controller());
        p.setProperty(
                "advertised.listeners",
                "CLIENT://127.0.0.1:" + ports.client() + ",ADMIN://127.0.0.1:" + ports.admin()
                        + ",INTERNAL://127.0.0.1:" + ports.internal());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty(
                "listener.security.protocol.map",
                "CLIENT:SASL_PLAINTEXT,ADMIN:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "INTERNAL");
        p.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        p.setProperty("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.setProperty("listener.name.client.scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
        p.setProperty("listener.name.admin.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.setProperty("listener.name.admin.scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
        p.setProperty("listener.name.internal.sasl.enabled.mechanisms", "PLAIN");
        p.setProperty("listener.name.internal.plain.sasl.jaas.config", selfLogin("broker", brokerPassword));
        p.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.setProperty("listener.name.controller.plain.sasl.jaas.config", selfLogin("controller", controllerPassword));
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("super.users", "User:" + ADMIN_USER + ";User:broker;User:controller");
        p.setProperty("allow.everyone.if.no.acl.found", "false");
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

    /** Where components connect, with SCRAM-SHA-512 and the users an administrator made. */
    public String clientBootstrap() {
        return clientBootstrap;
    }

    /** Where the administrator connects. */
    public String adminBootstrap() {
        return adminBootstrap;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The administrator's client properties: the {@code ADMIN} listener, SCRAM-SHA-512, super user. */
    public Map<String, Object> adminConnection() {
        return connection(adminBootstrap, "SCRAM-SHA-512", SCRAM_MODULE, ADMIN_USER, adminPassword);
    }

    /** A component's client properties: the {@code CLIENT} listener, SCRAM-SHA-512. */
    public Map<String, Object> clientConnection(String user, String password) {
        return connection(clientBootstrap, "SCRAM-SHA-512", SCRAM_MODULE, user, password);
    }

    private static Map<String, Object> connection(
            String bootstrap, String mechanism, String module, String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", mechanism);
        p.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }

    private static String selfLogin(String user, String password) {
        return PLAIN_MODULE + " required username=\"" + user + "\" password=\"" + password + "\" user_" + user + "=\""
                + password + "\";";
    }

    private static boolean quotable(String value) {
        return value.chars().noneMatch(c -> c == '"' || c == '\\' || c == '\n' || c == '\r');
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
