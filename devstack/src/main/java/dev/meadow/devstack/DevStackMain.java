package dev.meadow.devstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one devstack component as its own process, for {@code meadow up}:
 * <pre>
 *   java -cp meadow.jar dev.meadow.devstack.DevStackMain kafka        DATA_DIR PORT
 *   java -cp meadow.jar dev.meadow.devstack.DevStackMain object-store DATA_DIR PORT
 *   java -cp meadow.jar dev.meadow.devstack.DevStackMain database     DATA_DIR PORT
 * </pre>
 * Kafka reads its administrator's password from {@code MEADOW_KAFKA_ADMIN_PASSWORD} and the administrator's port
 * from {@code MEADOW_KAFKA_ADMIN_PORT} (components connect on PORT, the administrator there). The object store reads
 * its key pair from {@code MEADOW_S3_ACCESS_KEY} and {@code MEADOW_S3_SECRET_KEY}, and the
 * database its roles' passwords from {@link DatabasePasswords}' variables, so that no secret shows in a process
 * listing. Prints {@code READY <address>} once serving, then runs until it is
 * terminated, shutting down cleanly.
 */
public final class DevStackMain {

    private DevStackMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: DevStackMain kafka|object-store|database DATA_DIR PORT");
            System.exit(2);
        }
        Path dataDir = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        AutoCloseable component;
        String address;
        switch (args[0]) {
            case "kafka" -> {
                String adminPort = System.getenv("MEADOW_KAFKA_ADMIN_PORT");
                EmbeddedKafka kafka = EmbeddedKafka.start(
                        dataDir,
                        port,
                        adminPort == null || adminPort.isBlank() ? 0 : Integer.parseInt(adminPort),
                        requiredEnv("MEADOW_KAFKA_ADMIN_PASSWORD"));
                component = kafka;
                address = kafka.clientBootstrap() + " (administrator: " + kafka.adminBootstrap() + ")";
            }
            case "object-store" -> {
                String accessKey = requiredEnv("MEADOW_S3_ACCESS_KEY");
                String secretKey = requiredEnv("MEADOW_S3_SECRET_KEY");
                EmbeddedObjectStore store = EmbeddedObjectStore.start(dataDir, port, accessKey, secretKey);
                component = store;
                address = store.endpoint().toString();
            }
            case "database" -> {
                DatabasePasswords passwords;
                try {
                    passwords = DatabasePasswords.from(System::getenv);
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    System.exit(2);
                    return;
                }
                EmbeddedDatabase database =
                        EmbeddedDatabase.start(dataDir, port, passwords, ProcessBuilder.Redirect.INHERIT);
                component = database;
                address = database.jdbcUrl();
                System.out.println(
                        "PostgreSQL runs as " + database.account().name() + ", its files in " + database.home());
            }
            default -> {
                System.err.println("unknown component '" + args[0] + "': expected kafka, object-store or database");
                System.exit(2);
                return;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                component.close();
                            } catch (Exception e) {
                                System.err.println("error while stopping " + args[0] + ": " + e);
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "devstack-shutdown"));
        System.out.println("READY " + address);
        System.out.flush();
        stopped.await();
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println(name + " must be set");
            System.exit(2);
        }
        return value;
    }
}
