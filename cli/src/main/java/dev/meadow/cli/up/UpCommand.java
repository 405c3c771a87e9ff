package dev.meadow.cli.up;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.MeadowHome;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Component;
import dev.meadow.devstack.DatabaseLogins;
import dev.meadow.devstack.EmbeddedDatabase;
import dev.meadow.devstack.EmbeddedKafka;
import dev.meadow.devstack.FreePorts;
import dev.meadow.devstack.ServerAccount;
import dev.meadow.messaging.KafkaAccess;
import dev.meadow.messaging.KafkaConnection;
import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.messaging.TopicReplication;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meadow up}: the whole system on this machine, until Ctrl-C. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start Kafka, the object store, PostgreSQL and Meadow's services on this machine.",
            "Stops everything it started on Ctrl-C or SIGTERM."
        })
public final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Where topics, objects, models and logs live (default: ~/.meadow).")
    Path data = Path.of(System.getProperty("user.home"), ".meadow");

    @Option(
            names = "--generators",
            paramLabel = "N",
            defaultValue = "1",
            description = "Generator processes sharing the work in one consumer group (default: ${DEFAULT-VALUE}).")
    int generators;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port (default: ${DEFAULT-VALUE}).")
    int gatewayPort;

    @Option(
            names = "--listen",
            paramLabel = "ADDRESS",
            defaultValue = StackLauncher.LOOPBACK,
            description = {
                "Address the gateway listens on (default: ${DEFAULT-VALUE}, this machine only; "
                        + "0.0.0.0 opens it to the network).",
                "The broker, the store and the other services always listen on this machine only."
            })
    String listen;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--s3-port", defaultValue = "9000", description = "Object store port (default: ${DEFAULT-VALUE}).")
    int objectStorePort;

    @Option(
            names = "--database-port",
            defaultValue = "5432",
            description = "Port of the embedded PostgreSQL that holds the gallery (default: ${DEFAULT-VALUE}).")
    int databasePort;

    @Option(
            names = "--database-url",
            paramLabel = "JDBC_URL",
            description = {
                "Use this PostgreSQL instead of an embedded one, e.g. "
                        + "jdbc:postgresql://db.example:5432/meadow; the gateway creates its tables.",
                "The password comes from MEADOW_DATABASE_PASSWORD."
            })
    String databaseUrl;

    @Option(
            names = "--database-user",
            defaultValue = "meadow",
            description = "User for --database-url (default: ${DEFAULT-VALUE}).")
    String databaseUser;

    @Option(
            names = "--startup-timeout",
            defaultValue = "PT3M",
            description = "How long each component may take to become healthy (default: 3 minutes).")
    Duration startupTimeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Path dataDir = data.toAbsolutePath();
        Path logs = dataDir.resolve("logs");
        Files.createDirectories(logs);
        Credentials credentials = Credentials.loadOrCreate(dataDir.resolve("credentials.properties"));

        out.printf("Meadow: data in %s, logs in %s%n", dataDir, logs);
        Supervisor supervisor = new Supervisor(logs, out, startupTimeout);
        Thread hook = new Thread(supervisor::stopAll, "meadow-up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String bootstrap = "127.0.0.1:" + kafkaPort;
            // The administrator's listener: on a port of its own, chosen anew at every start.
            int kafkaAdminPort = FreePorts.pick();
            Map<String, Object> kafkaAdmin = KafkaConnection.scram(
                            "127.0.0.1:" + kafkaAdminPort, EmbeddedKafka.ADMIN_USER, credentials.kafkaAdminPassword())
                    .properties();
            String s3 = "http://127.0.0.1:" + objectStorePort;
            Path root = MeadowHome.root();
            List<ComponentSpec> services = services(
                    root,
                    dataDir,
                    StackLauncher.connection(
                            bootstrap, s3, credentials.accessKey(), credentials.secretKey(), credentials.apiKey()),
                    databaseUrl == null
                            ? EmbeddedDatabase.logins(databasePort, credentials.database())
                            : DatabaseLogins.single(
                                    databaseUrl, databaseUser, System.getenv("MEADOW_DATABASE_PASSWORD")),
                    credentials.kafkaPasswords());
            List<ComponentSpec> infrastructure = new ArrayList<>(List.of(
                    StackLauncher.devstack(
                            "kafka",
                            dataDir.resolve("kafka"),
                            kafkaPort,
                            Map.of(
                                    "MEADOW_KAFKA_ADMIN_PASSWORD", credentials.kafkaAdminPassword(),
                                    "MEADOW_KAFKA_ADMIN_PORT", String.valueOf(kafkaAdminPort)),
                            HealthProbe.kafka(kafkaAdmin),
                            bootstrap),
                    StackLauncher.devstack(
                            "object-store",
                            dataDir.resolve("objects"),
                            objectStorePort,
                            Map.of(
                                    "MEADOW_S3_ACCESS_KEY", credentials.accessKey(),
                                    "MEADOW_S3_SECRET_KEY", credentials.secretKey()),
                            HealthProbe.httpAnswers(s3),
                            s3)));
            if (databaseUrl == null) {
                String url = EmbeddedDatabase.jdbcUrl(databasePort);
                infrastructure.add(StackLauncher.devstack(
                        "database",
                        dataDir.resolve("database"),
                        databasePort,
                        credentials.database().environment(),
                        HealthProbe.database(
                                url,
                                EmbeddedDatabase.READER,
                                credentials.database().reader()),
                        url));
                describeDatabasePlacement(dataDir.resolve("database"), out);
            }
            supervisor.startAll(infrastructure);
            List<String> created = TopicProvisioner.ensureTopics(kafkaAdmin, TopicReplication.SINGLE_BROKER);
            if (!created.isEmpty()) {
                out.printf("  %-14s created %d topics%n", "kafka", created.size());
            }
            try (Admin admin = Admin.create(kafkaAdmin)) {
                KafkaAccess.apply(admin, credentials.kafkaPasswords());
            }
            out.printf("  %-14s a user per component, each allowed only its topics%n", "kafka");
            String galleryUrl = "http://"
                    + (StackLauncher.isWildcard(listen) || listen.equals(StackLauncher.LOOPBACK)
                            ? "localhost"
                            : StackLauncher.urlHost(listen))
                    + ":" + gatewayPort + "/";
            try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                    s3, credentials.accessKey(), credentials.secretKey(), "us-east-1", "meadow-"))) {
                store.ensureBuckets();
                ShippedModels.seed(
                        root.resolve("models"),
                        store,
                        KafkaConnection.scram(
                                        bootstrap,
                                        Component.PUBLISHER.principal(),
                                        credentials.kafkaPasswords().get(Component.PUBLISHER))
                                .properties(),
                        galleryUrl,
                        out);
            }
            supervisor.startAll(services);

            writeClientConfig(
                    dataDir,
                    galleryUrl,
                    credentials.apiKey(),
                    bootstrap,
                    "127.0.0.1:" + kafkaAdminPort,
                    s3,
                    databaseUrl == null ? EmbeddedDatabase.jdbcUrl(databasePort) : databaseUrl,
                    databaseUrl == null ? EmbeddedDatabase.READER : databaseUser);
            out.printf(Locale.ROOT, "All healthy in %.1f s.%n", supervisor.elapsedSeconds());
            out.printf("Gallery: %s%n", galleryUrl);
            out.printf("The meadow client reads its API key from %s%n", dataDir.resolve("client.properties"));
            out.println("Press Ctrl-C to stop.");
            out.flush();

            // Components that die are restarted (and reported); this returns only for one that keeps dying.
            ManagedProcess dead = supervisor.superviseUntilGivenUp();
            err.println("meadow: "
                    + supervisor
                            .failure(dead, "keeps dying (last exit code " + dead.exitValue() + ")")
                            .getMessage());
            err.println("meadow: stopping everything else");
            return 1;
        } catch (StartupFailure failure) {
            err.println("meadow: " + failure.getMessage());
            err.println("meadow: stopping what was started");
            return 1;
        } finally {
            supervisor.stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Already running: it finds nothing left to stop.
            }
        }
    }

    private void validate() {
        try {
            InetAddress address = InetAddress.getByName(listen);
            if (!address.isAnyLocalAddress() && NetworkInterface.getByInetAddress(address) == null) {
                throw new UserError("--listen " + listen + " is not an address of this machine");
            }
        } catch (IOException e) {
            throw new UserError("--listen " + listen + " is not an address: " + e.getMessage());
        }
        if (generators < 1 || generators > 24) {
            throw new UserError("--generators must be between 1 and 24 (the embeddings topic has 24 partitions)");
        }
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql://")) {
            throw new UserError("--database-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), "
                    + "not '" + databaseUrl + "'");
        }
        List<Integer> ports =
                new ArrayList<>(List.of(kafkaPort, objectStorePort, gatewayPort, gatewayPort + 1, gatewayPort + 10));
        if (databaseUrl == null) {
            ports.add(databasePort);
        }
        for (int i = 0; i < generators; i++) {
            ports.add(gatewayPort + 2 + i);
        }
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                throw new UserError("port " + port + " is already in use (is another meadow up running?); "
                        + "choose other ports with --port, --kafka-port, --s3-port or --database-port");
            }
        }
    }

    private List<ComponentSpec> services(
            Path root,
            Path dataDir,
            Map<String, String> connection,
            DatabaseLogins database,
            Map<Component, String> kafkaPasswords) {
        Path work = dataDir.resolve("work");
        List<ComponentSpec> services = new ArrayList<>();
        Map<String, String> gatewayConnection =
                StackLauncher.kafkaLogin(connection, Component.GATEWAY, kafkaPasswords.get(Component.GATEWAY));
        gatewayConnection.put("QUARKUS_HTTP_HOST", listen);
        gatewayConnection.putAll(database.environment());
        services.add(StackLauncher.service(root, "gateway", "gateway", gatewayPort, "512m", work, gatewayConnection));
        services.add(StackLauncher.service(
                root,
                "embedder",
                "embedder-service",
                gatewayPort + 1,
                "2g",
                work,
                StackLauncher.kafkaLogin(connection, Component.EMBEDDER, kafkaPasswords.get(Component.EMBEDDER))));
        Map<String, String> generatorConnection =
                StackLauncher.kafkaLogin(connection, Component.GENERATOR, kafkaPasswords.get(Component.GENERATOR));
        for (int i = 0; i < generators; i++) {
            String name = generators == 1 ? "generator" : "generator-" + (i + 1);
            services.add(StackLauncher.service(
                    root, name, "generator-service", gatewayPort + 2 + i, "1g", work, generatorConnection));
        }
        services.add(StackLauncher.service(
                root,
                "trainer",
                "trainer-service",
                gatewayPort + 10,
                "3g",
                work,
                StackLauncher.kafkaLogin(connection, Component.TRAINER, kafkaPasswords.get(Component.TRAINER))));
        return services;
    }

    /**
     * Run as root, the database runs as an account of its own, which cannot enter root's home: its files then live
     * elsewhere, and the user should know where.
     */
    private static void describeDatabasePlacement(Path dir, PrintWriter out) throws IOException {
        Path files = EmbeddedDatabase.filesFor(dir);
        if (!files.equals(dir.toAbsolutePath().normalize())) {
            out.printf(
                    "  %-14s runs as %s, which cannot enter %s: its files are in %s%n",
                    "database", ServerAccount.forThisProcess().name(), dir.getParent(), files);
        }
    }

    /** Where the meadow client finds the gateway and its API key: readable by the owner only, like the credentials. */
    public static void writeClientConfig(
            Path dataDir,
            String gatewayUrl,
            String apiKey,
            String kafka,
            String kafkaAdmin,
            String s3,
            String database,
            String databaseUser)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("gateway", gatewayUrl);
        p.setProperty("api-key", apiKey);
        p.setProperty("kafka", kafka);
        p.setProperty("kafka-admin", kafkaAdmin);
        p.setProperty("s3", s3);
        p.setProperty("database", database);
        p.setProperty("database-user", databaseUser);
        Path file = dataDir.resolve("client.properties");
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, ownerOnly);
        } else {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "Written by meadow up: where the meadow client finds the gateway");
        }
    }
}
