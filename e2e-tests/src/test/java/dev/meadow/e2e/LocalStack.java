package dev.meadow.e2e;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.cli.up.ComponentSpec;
import dev.meadow.cli.up.StackLauncher;
import dev.meadow.cli.up.Supervisor;
import dev.meadow.contracts.Component;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.FreePorts;
import dev.meadow.messaging.KafkaAccess;
import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.messaging.TopicReplication;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import org.apache.kafka.clients.admin.Admin;

/**
 * One running Meadow for all end-to-end tests of this JVM: a real broker and object store in this process, and the
 * packaged services as their own processes, exactly as {@code meadow up} starts them. Tests may kill and restart
 * components; {@link #close()} stops everything.
 */
final class LocalStack implements AutoCloseable {

    static final String API_KEY = "mdw_e2e_test_key";

    private static LocalStack instance;

    final DevStack devstack;
    final ObjectStore store;
    final Supervisor supervisor;
    final Map<String, ComponentSpec> components = new LinkedHashMap<>();
    private final java.util.Set<String> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final int gatewayPort;
    private final Path root =
            Path.of(System.getProperty("meadow.root", "..")).toAbsolutePath().normalize();
    private final Path work;
    private final Map<String, String> connection;
    private final Map<Component, String> kafkaPasswords = new EnumMap<>(Component.class);
    private final Map<String, String> gatewayConnection;
    private final HttpClient http = HttpClient.newHttpClient();
    private final TraceCollector traces;

    static synchronized LocalStack get() throws Exception {
        if (instance == null) {
            instance = new LocalStack();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }

    private LocalStack() throws Exception {
        Path data = Files.createTempDirectory("meadow-e2e-");
        work = data.resolve("work");
        devstack = DevStack.start(data, true);
        TopicProvisioner.ensureTopics(devstack.kafkaAdmin(), TopicReplication.SINGLE_BROKER);
        // As under meadow up: every component logs in as its own user, allowed only what Topics declares.
        for (Component component : Component.values()) {
            kafkaPasswords.put(component, DevStack.randomHex(16));
        }
        try (Admin admin = Admin.create(devstack.kafkaAdmin())) {
            KafkaAccess.apply(admin, kafkaPasswords);
        }
        store = new ObjectStore(new ObjectStoreSettings(
                devstack.objectStoreEndpoint(), devstack.accessKey(), devstack.secretKey(), "us-east-1", "meadow-"));
        store.ensureBuckets();
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaLogin(Component.PUBLISHER))) {
            seeding.publish(TinyModels.get().clip(), true);
            seeding.publish(TinyModels.get().decoder(), true);
        }
        connection = StackLauncher.connection(
                devstack.kafkaClientBootstrap(),
                devstack.objectStoreEndpoint(),
                devstack.accessKey(),
                devstack.secretKey(),
                API_KEY);
        // Tracing is off by default; here every service exports to a collector, as it would in production.
        traces = new TraceCollector();
        connection.put("OTEL_SDK_DISABLED", "false");
        connection.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        connection.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        connection.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        Path logs = Path.of(System.getProperty("meadow.e2e.logs", "target/e2e-logs"));
        Files.createDirectories(logs);
        supervisor = new Supervisor(logs, new PrintWriter(System.out, true), Duration.ofMinutes(3));
        gatewayPort = FreePorts.pick();
        gatewayConnection = environmentOf(Component.GATEWAY);
        gatewayConnection.putAll(devstack.databaseLogins().environment());
        add(StackLauncher.service(root, "gateway", "gateway", gatewayPort, "512m", work, gatewayConnection));
        add(StackLauncher.service(
                root,
                "embedder",
                "embedder-service",
                FreePorts.pick(),
                "768m",
                work,
                environmentOf(Component.EMBEDDER)));
        add(StackLauncher.service(
                root,
                "generator-1",
                "generator-service",
                FreePorts.pick(),
                "768m",
                work,
                environmentOf(Component.GENERATOR)));
        add(StackLauncher.service(
                root, "trainer", "trainer-service", FreePorts.pick(), "1g", work, environmentOf(Component.TRAINER)));
        supervisor.startAll(new ArrayList<>(components.values()));
        // As under meadow up: a component that dies on its own is started again (one killed by a test is not).
        Thread watcher = new Thread(
                () -> {
                    try {
                        supervisor.superviseUntilGivenUp();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "e2e-supervisor");
        watcher.setDaemon(true);
        watcher.start();
    }

    private Map<String, String> environmentOf(Component component) {
        return StackLauncher.kafkaLogin(connection, component, kafkaPasswords.get(component));
    }

    /** A component's own Kafka login, with only its rights: for tests that act as one. */
    Map<String, Object> kafkaLogin(Component component) {
        return devstack.kafkaLogin(component.principal(), kafkaPasswords.get(component));
    }

    private void add(ComponentSpec spec) {
        components.put(spec.name(), spec);
    }

    /** Starts another generator instance in the same consumer group. */
    void startGenerator(String name) throws Exception {
        ComponentSpec spec = StackLauncher.service(
                root, name, "generator-service", FreePorts.pick(), "768m", work, environmentOf(Component.GENERATOR));
        add(spec);
        supervisor.startAll(List.of(spec));
    }

    /** Starts another gateway on the same database and broker; returns its port. */
    int startGateway(String name) throws Exception {
        int port = FreePorts.pick();
        ComponentSpec spec = StackLauncher.service(root, name, "gateway", port, "512m", work, gatewayConnection);
        add(spec);
        supervisor.startAll(List.of(spec));
        return port;
    }

    /** What the services' traces exported. */
    TraceCollector traces() {
        return traces;
    }

    void kill(String name) {
        killed.add(name);
        supervisor.kill(name);
    }

    void restart(String name) throws Exception {
        supervisor.startAll(List.of(components.get(name)));
        killed.remove(name);
    }

    /** The components running now: all started, less those a test killed and did not restart. */
    List<ComponentSpec> running() {
        return components.values().stream()
                .filter(c -> !killed.contains(c.name()))
                .toList();
    }

    /** The administrator's Kafka login: for tests that feed or inspect topics behind the services' backs. */
    java.util.Map<String, Object> kafkaAdmin() {
        return devstack.kafkaAdmin();
    }

    /** POSTs JSON to the gateway with the API key; returns status and body. */
    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + gatewayPort + path))
                        .header("Content-Type", contentType)
                        .header("Authorization", "Bearer " + API_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + gatewayPort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        supervisor.stopAll();
        traces.close();
        store.close();
        try {
            devstack.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
