package dev.meadow.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka, the object store and (for the gateway) PostgreSQL together, as the services see them:
 * {@link #serviceConfig()} gives the settings that point a Meadow service at this stack.
 */
public final class DevStack implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final Path objectStoreDir;
    private final int objectStorePort;
    private EmbeddedObjectStore objectStore;
    private final String accessKey;
    private final String secretKey;
    private final Path databaseDir;
    private final DatabasePasswords databasePasswords;
    private int databasePort;
    private EmbeddedDatabase database;

    private DevStack(
            EmbeddedKafka kafka,
            EmbeddedObjectStore objectStore,
            Path objectStoreDir,
            String accessKey,
            String secretKey,
            EmbeddedDatabase database,
            Path databaseDir,
            DatabasePasswords databasePasswords) {
        this.kafka = kafka;
        this.database = database;
        this.databaseDir = databaseDir;
        this.databasePasswords = databasePasswords;
        this.databasePort = database == null ? 0 : database.port();
        this.objectStore = objectStore;
        this.objectStoreDir = objectStoreDir;
        this.objectStorePort = objectStore.endpoint().getPort();
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts the broker and the store on free ports, keeping their state under {@code dataDir}. */
    public static DevStack start(Path dataDir) throws Exception {
        return start(dataDir, false);
    }

    /** The same, and with {@code withDatabase} a PostgreSQL server too (what the gateway needs). */
    public static DevStack start(Path dataDir, boolean withDatabase) throws Exception {
        if (withDatabase) {
            // The server may run as its own account (when this is root): it passes through, without listing.
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x--x"));
        }
        String accessKey = "meadow-" + randomHex(4);
        String secretKey = randomHex(20);
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0, 0, randomHex(16));
        EmbeddedObjectStore store = null;
        try {
            Path objects = dataDir.resolve("objects");
            store = EmbeddedObjectStore.start(objects, 0, accessKey, secretKey);
            Path databaseDir = dataDir.resolve("database");
            DatabasePasswords passwords = DatabasePasswords.generate();
            EmbeddedDatabase database =
                    withDatabase ? EmbeddedDatabase.start(databaseDir, 0, passwords, logOf(dataDir)) : null;
            return new DevStack(kafka, store, objects, accessKey, secretKey, database, databaseDir, passwords);
        } catch (Exception e) {
            if (store != null) {
                store.close();
            }
            kafka.close();
            throw e;
        }
    }

    private static ProcessBuilder.Redirect logOf(Path dataDir) {
        return ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile());
    }

    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The administrator's Kafka client properties (super user, on its own listener): what tests write and read with. */
    public Map<String, Object> kafkaAdmin() {
        return kafka.adminConnection();
    }

    /** The Kafka administrator's password, for tests that start a second broker the services already log in to. */
    public String kafkaAdminPassword() {
        return kafka.adminPassword();
    }

    /** A component's Kafka client properties: SCRAM-SHA-512 on the components' listener. */
    public Map<String, Object> kafkaLogin(String user, String password) {
        return kafka.clientConnection(user, password);
    }

    /** Where components connect to Kafka (SCRAM-SHA-512). */
    public String kafkaClientBootstrap() {
        return kafka.clientBootstrap();
    }

    public String objectStoreEndpoint() {
        return "http://127.0.0.1:" + objectStorePort;
    }

    /** Takes the object store down (for outage tests); its files stay. */
    public synchronized void stopObjectStore() throws Exception {
        if (objectStore != null) {
            objectStore.close();
            objectStore = null;
        }
    }

    /** Brings the object store back on the same port and directory. */
    public synchronized void startObjectStore() throws Exception {
        if (objectStore == null) {
            objectStore = EmbeddedObjectStore.start(objectStoreDir, objectStorePort, accessKey, secretKey);
        }
    }

    /** Takes the database down (for outage tests); its files stay. */
    public synchronized void stopDatabase() throws Exception {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** Brings the database back on the same port and directory. */
    public synchronized void startDatabase() throws Exception {
        if (database == null) {
            database = EmbeddedDatabase.start(
                    databaseDir, databasePort, databasePasswords, logOf(databaseDir.getParent()));
        }
    }

    /** The database's JDBC URL; only with a database. */
    public String databaseUrl() {
        return databaseLogins().jdbcUrl();
    }

    /** How the gateway logs in to the database: a role per job; only with a database. */
    public DatabaseLogins databaseLogins() {
        if (databasePort == 0) {
            throw new IllegalStateException("this stack was started without a database");
        }
        return EmbeddedDatabase.logins(databasePort, databasePasswords);
    }

    /** A connection as the schema's owner, for tests that look into the gallery or change it behind its back. */
    public Connection connectAsOwner() throws SQLException {
        DatabaseLogins.Login owner = databaseLogins().owner();
        return DriverManager.getConnection(databaseUrl(), owner.user(), owner.password());
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /**
     * The configuration properties (as Quarkus names them) that connect a service to this stack. The service logs in
     * to Kafka as the administrator: which component may do what is {@code KafkaAccess}'s to grant, and the tests
     * of the packaged services (and of {@code KafkaAccess} itself) run each component as its own user.
     */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.adminBootstrap());
        config.put("meadow.kafka.username", EmbeddedKafka.ADMIN_USER);
        config.put("meadow.kafka.password", kafka.adminPassword());
        kafka.adminConnection().forEach((name, value) -> config.put("kafka." + name, value.toString()));
        config.put("meadow.s3.endpoint", objectStoreEndpoint());
        config.put("meadow.s3.access-key", accessKey);
        config.put("meadow.s3.secret-key", secretKey);
        if (databasePort != 0) {
            config.putAll(databaseLogins().properties());
        }
        return config;
    }

    @Override
    public void close() throws Exception {
        try {
            stopDatabase();
        } finally {
            try {
                stopObjectStore();
            } finally {
                kafka.close();
            }
        }
    }
}
