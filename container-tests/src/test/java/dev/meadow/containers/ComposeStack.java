package dev.meadow.containers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.meadow.devstack.FreePorts;
import dev.meadow.messaging.KafkaConnection;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.DockerComposeContainer;

/**
 * docker-compose.yml as it ships, with docker-compose.local.yml (the images built here) and a test overlay that
 * publishes the brokers and the store on loopback: three brokers, S3Proxy, PostgreSQL, the gateway, the embedder,
 * three generators and the trainer, each in its own container on the project's network. One per test JVM; tests may
 * kill, pause and disconnect containers and must leave the stack whole again.
 */
final class ComposeStack implements AutoCloseable {

    static final String API_KEY = "mdw_containers_test_key";
    static final String ACCESS_KEY = "meadow-containers";
    static final String SECRET_KEY = "containers-test-secret-0123456789";
    static final int GENERATORS = 3;
    private static final String PROJECT_PREFIX = "meadowit";
    static final String KAFKA_ADMIN_PASSWORD = "containers-test-kafka-admin";
    static final List<String> SERVICES = List.of(
            "kafka-certs",
            "kafka-1",
            "kafka-2",
            "kafka-3",
            "minio",
            "postgres",
            "seed-models",
            "gateway",
            "embedder",
            "generator",
            "trainer");

    private static ComposeStack instance;

    private final DockerComposeContainer<?> compose;
    private final DockerClient docker = DockerClientFactory.instance().client();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path logs;
    final int gatewayPort;
    final int s3Port;
    final List<Integer> kafkaPorts;
    final ObjectStore store;
    private final Path kafkaTrust;

    static synchronized ComposeStack get() throws Exception {
        if (instance == null) {
            instance = new ComposeStack();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }

    private ComposeStack() throws Exception {
        Path root = Path.of(System.getProperty("meadow.root", ".."))
                .toAbsolutePath()
                .normalize();
        logs = Path.of(System.getProperty("meadow.containers.logs", "target/container-logs"));
        Files.createDirectories(logs);
        gatewayPort = FreePorts.pick();
        s3Port = FreePorts.pick();
        kafkaPorts = List.of(FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MEADOW_TAG", System.getProperty("meadow.image-tag", "latest"));
        env.put("MEADOW_S3_ACCESS_KEY", ACCESS_KEY);
        env.put("MEADOW_S3_SECRET_KEY", SECRET_KEY);
        env.put("MEADOW_GATEWAY_API_KEYS", API_KEY);
        env.put("MEADOW_DATABASE_PASSWORD", "containers-test-database");
        env.put("MEADOW_DATABASE_OWNER_PASSWORD", "containers-test-owner");
        env.put("MEADOW_DATABASE_WRITER_PASSWORD", "containers-test-writer");
        env.put("MEADOW_DATABASE_READER_PASSWORD", "containers-test-reader");
        env.put("MEADOW_KAFKA_ADMIN_PASSWORD", KAFKA_ADMIN_PASSWORD);
        env.put("MEADOW_KAFKA_BROKER_PASSWORD", "containers-test-kafka-broker");
        for (String component : List.of("GATEWAY", "EMBEDDER", "GENERATOR", "TRAINER", "PUBLISHER")) {
            env.put("MEADOW_KAFKA_" + component + "_PASSWORD", "containers-test-kafka-" + component.toLowerCase());
        }
        env.put("MEADOW_GATEWAY_PORT", String.valueOf(gatewayPort));
        env.put("MEADOW_GATEWAY_BIND", "127.0.0.1");
        env.put("TEST_S3_PORT", String.valueOf(s3Port));
        for (int i = 0; i < 3; i++) {
            env.put("TEST_KAFKA_" + (i + 1) + "_PORT", String.valueOf(kafkaPorts.get(i)));
        }
        requireImages(env.get("MEADOW_TAG"));
        removeLeftovers();
        File test = Path.of(ComposeStack.class
                        .getResource("/docker-compose.test.yml")
                        .toURI())
                .toFile();
        compose = new DockerComposeContainer<>(
                        PROJECT_PREFIX,
                        List.of(
                                root.resolve("docker-compose.yml").toFile(),
                                root.resolve("docker-compose.local.yml").toFile(),
                                test))
                .withEnv(env)
                .withPull(false)
                .withRemoveVolumes(true)
                .withServices(SERVICES.toArray(String[]::new))
                .withScaledService("generator", GENERATORS);
        try {
            compose.start();
            awaitHealthy(Duration.ofMinutes(6));
        } catch (RuntimeException | Error | InterruptedException e) {
            // Nothing else would stop them: the reaper is off, and no shutdown hook exists yet.
            saveLogs("start");
            compose.stop();
            throw e;
        }
        store = new ObjectStore(
                new ObjectStoreSettings("http://127.0.0.1:" + s3Port, ACCESS_KEY, SECRET_KEY, "us-east-1", "meadow-"));
        // The certificate the brokers' TLS chains to, as every client in the stack trusts it.
        kafkaTrust = logs.toAbsolutePath().resolve("kafka-ca.pem");
        copyFromContainer(containerId("gateway", 1), "/etc/meadow/kafka/ca.pem", kafkaTrust);
    }

    private void copyFromContainer(String containerId, String path, Path target) throws java.io.IOException {
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                docker.copyArchiveFromContainerCmd(containerId, path).exec())) {
            if (tar.getNextEntry() == null) {
                throw new java.io.IOException(path + " is not in container " + containerId);
            }
            Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The images are built beforehand, never pulled: say which command makes a missing one. */
    private void requireImages(String tag) {
        for (String name :
                List.of("kafka", "s3proxy", "postgres", "cli", "gateway", "embedder", "generator", "trainer")) {
            String image = "meadow/" + name + ":" + tag;
            try {
                docker.inspectImageCmd(image).exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                throw new IllegalStateException("image " + image + " is missing: build the images first with "
                        + "./mvnw -B package -DskipTests -Pimages (and -Dmeadow.base-image=meadow/jre-base:17 "
                        + "where no registry is reachable)");
            }
        }
    }

    /** Containers, volumes and networks of an earlier run that was killed before it could stop them. */
    private void removeLeftovers() {
        for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
            if (c.getLabels().getOrDefault("com.docker.compose.project", "").startsWith(PROJECT_PREFIX)) {
                docker.removeContainerCmd(c.getId())
                        .withForce(true)
                        .withRemoveVolumes(true)
                        .exec();
            }
        }
        docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getName().startsWith(PROJECT_PREFIX))
                .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
        docker.listVolumesCmd().exec().getVolumes().stream()
                .filter(v -> v.getName().startsWith(PROJECT_PREFIX))
                .forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
    }

    /** Waits until every partition of every topic has all its replicas in sync (after a broker came back). */
    void awaitFullyReplicated(Duration timeout) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(kafkaAdmin())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                java.util.Set<String> names = admin.listTopics(
                                new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                        .names()
                        .get();
                List<String> behind = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream()
                                .filter(p -> p.isr().size() < p.replicas().size())
                                .map(p -> t.name() + "-" + p.partition()))
                        .toList();
                if (behind.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("partitions still under-replicated after " + timeout + ": " + behind);
                }
                Thread.sleep(1000);
            }
        }
    }

    /** The brokers' published listener (SASL over TLS), where the test overlay lets the administrator in. */
    String kafkaBootstrap() {
        return kafkaPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The administrator's Kafka login: for tests that read every result and look at the cluster. */
    Map<String, Object> kafkaAdmin() {
        return new KafkaConnection(
                        kafkaBootstrap(),
                        "SASL_SSL",
                        KafkaConnection.PLAIN,
                        "admin",
                        KAFKA_ADMIN_PASSWORD,
                        java.util.Optional.of(kafkaTrust.toString()))
                .properties();
    }

    /** The running and stopped containers of one compose service, by container number. */
    List<Container> containers(String service) {
        return docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of("com.docker.compose.service", service))
                .exec()
                .stream()
                .filter(c -> c.getLabels()
                        .getOrDefault("com.docker.compose.project", "")
                        .startsWith(PROJECT_PREFIX))
                .sorted(java.util.Comparator.comparing(c -> c.getLabels().get("com.docker.compose.container-number")))
                .toList();
    }

    String containerId(String service, int number) {
        return containers(service).get(number - 1).getId();
    }

    InspectContainerResponse inspect(String containerId) {
        return docker.inspectContainerCmd(containerId).exec();
    }

    /** The host name a container's services report as their instance id. */
    String hostName(String containerId) {
        return inspect(containerId).getConfig().getHostName();
    }

    String network(String containerId) {
        return inspect(containerId)
                .getNetworkSettings()
                .getNetworks()
                .keySet()
                .iterator()
                .next();
    }

    void kill(String containerId) {
        docker.killContainerCmd(containerId).exec();
    }

    void start(String containerId) {
        docker.startContainerCmd(containerId).exec();
    }

    /** Starts a one-shot container again and waits for its exit code. */
    int runToCompletion(String containerId, Duration timeout) {
        start(containerId);
        return docker.waitContainerCmd(containerId)
                .start()
                .awaitStatusCode(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void restart(String containerId) {
        docker.restartContainerCmd(containerId).withTimeout(30).exec();
    }

    /** Freezes every process of the container; the freezer refuses now and then ("unable to freeze"): retried. */
    void pause(String containerId) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                docker.pauseContainerCmd(containerId).exec();
                return;
            } catch (com.github.dockerjava.api.exception.InternalServerErrorException e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    void unpause(String containerId) {
        docker.unpauseContainerCmd(containerId).exec();
    }

    void disconnect(String containerId, String network) {
        docker.disconnectFromNetworkCmd()
                .withContainerId(containerId)
                .withNetworkId(network)
                .withForce(true)
                .exec();
    }

    /** Joins the network again under its compose service name, so that the others find it as before. */
    void connect(String containerId, String network, String service) {
        docker.connectToNetworkCmd()
                .withContainerId(containerId)
                .withNetworkId(network)
                .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork()
                        .withAliases(service, containerId.substring(0, 12)))
                .exec();
    }

    /** Waits until every long-running container is healthy and the seeding has finished. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String waiting = "";
        while (System.nanoTime() < deadline) {
            waiting = notHealthy();
            if (waiting.isEmpty()) {
                return;
            }
            Thread.sleep(1000);
        }
        saveLogs("unhealthy");
        throw new AssertionError("not healthy within " + timeout + ": " + waiting);
    }

    private String notHealthy() {
        StringBuilder waiting = new StringBuilder();
        java.util.Set<String> missing = new java.util.TreeSet<>(SERVICES);
        for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
            if (!c.getLabels().getOrDefault("com.docker.compose.project", "").startsWith(PROJECT_PREFIX)) {
                continue;
            }
            String service = c.getLabels().get("com.docker.compose.service");
            missing.remove(service);
            InspectContainerResponse state = inspect(c.getId());
            boolean ok = "seed-models".equals(service) || "kafka-certs".equals(service)
                    ? !state.getState().getRunning()
                            && Long.valueOf(0).equals(state.getState().getExitCodeLong())
                    : state.getState().getHealth() != null
                            && "healthy".equals(state.getState().getHealth().getStatus());
            if (!ok) {
                waiting.append(service).append(' ');
            }
        }
        missing.forEach(service -> waiting.append(service).append("(missing) "));
        return waiting.toString().trim();
    }

    /** Every container's log so far, one file each, for a failure's post-mortem. */
    void saveLogs(String label) {
        for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
            if (!c.getLabels().getOrDefault("com.docker.compose.project", "").startsWith(PROJECT_PREFIX)) {
                continue;
            }
            String name = c.getNames()[0].replace("/", "");
            StringBuilder text = new StringBuilder();
            try {
                docker.logContainerCmd(c.getId())
                        .withStdOut(true)
                        .withStdErr(true)
                        .withTail(3000)
                        .exec(
                                new com.github.dockerjava.api.async.ResultCallback.Adapter<
                                        com.github.dockerjava.api.model.Frame>() {
                                    @Override
                                    public void onNext(com.github.dockerjava.api.model.Frame frame) {
                                        text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                                    }
                                })
                        .awaitCompletion(20, java.util.concurrent.TimeUnit.SECONDS);
                Files.writeString(logs.resolve(label + "-" + name + ".log"), text);
            } catch (Exception e) {
                // A post-mortem aid only: the test's own failure says what went wrong.
            }
        }
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
                        .header("Content-Type", contentType)
                        .header("Authorization", "Bearer " + API_KEY)
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        saveLogs("end");
        try {
            store.close();
        } finally {
            compose.stop();
        }
    }
}
