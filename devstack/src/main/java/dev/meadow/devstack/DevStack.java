package dev.meadow.devstack;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka and the object store together, as the services see them: {@link #serviceConfig()} gives the settings
 * that point a Meadow service at this stack.
 */
public final class DevStack implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final Path objectStoreDir;
    private final int objectStorePort;
    private EmbeddedObjectStore objectStore;
    private final String accessKey;
    private final String secretKey;

    private DevStack(EmbeddedKafka kafka, EmbeddedObjectStore objectStore, Path objectStoreDir, String accessKey,
            String secretKey) {
        this.kafka = kafka;
        this.objectStore = objectStore;
        this.objectStoreDir = objectStoreDir;
        this.objectStorePort = objectStore.endpoint().getPort();
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts both on free ports, keeping their state under {@code dataDir}. */
    public static DevStack start(Path dataDir) throws Exception {
        String accessKey = "meadow-" + randomHex(4);
        String secretKey = randomHex(20);
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
        try {
            Path objects = dataDir.resolve("objects");
            EmbeddedObjectStore store = EmbeddedObjectStore.start(objects, 0, accessKey, secretKey);
            return new DevStack(kafka, store, objects, accessKey, secretKey);
        } catch (Exception e) {
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
        return config;
    }

    @Override
    public void close() throws Exception {
        try {
            stopObjectStore();
        } finally {
            kafka.close();
        }
    }
}
