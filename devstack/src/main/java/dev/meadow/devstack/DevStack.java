package dev.meadow.devstack;

import java.nio.file.Path;
import java.security.SecureRandom;
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
    private int databasePort;
    private EmbeddedDatabase database;

    private DevStack(
            EmbeddedKafka kafka,
            EmbeddedObjectStore objectStore,
            Path objectStoreDir,
            String accessKey,
            String secretKey,
            EmbeddedDatabase database,
            Path databaseDir) {
        this.kafka = kafka;
        this.database = database;
        this.databaseDir = databaseDir;
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
        String accessKey = "meadow-" + randomHex(4);
        String secretKey = randomHex(20);
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
        EmbeddedObjectStore store = null;
        try {
            Path objects = dataDir.resolve("objects");
            store = EmbeddedObjectStore.start(objects, 0, accessKey, secretKey);
            Path databaseDir = dataDir.resolve("database");
            EmbeddedDatabase database = withDatabase ? EmbeddedDatabase.start(databaseDir, 0) : null;
            return new DevStack(kafka, store, objects, accessKey, secretKey, database, databaseDir);
        } catch (Exception e) {
            if (store != null) {
                store.close();
            }
            kafka.close();
            throw e;
        }
    }

    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
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
            database = EmbeddedDatabase.start(databaseDir, databasePort);
        }
    }

    /** The database's JDBC URL (user {@link EmbeddedDatabase#USER}, no password); only with a database. */
    public String databaseUrl() {
        if (databasePort == 0) {
            throw new IllegalStateException("this stack was started without a database");
        }
        return EmbeddedDatabase.jdbcUrl(databasePort);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The configuration properties (as Quarkus names them) that connect a service to this stack. */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("meadow.s3.endpoint", objectStoreEndpoint());
        config.put("meadow.s3.access-key", accessKey);
        config.put("meadow.s3.secret-key", secretKey);
        if (databasePort != 0) {
            config.put("quarkus.datasource.jdbc.url", databaseUrl());
            config.put("quarkus.datasource.username", EmbeddedDatabase.USER);
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
