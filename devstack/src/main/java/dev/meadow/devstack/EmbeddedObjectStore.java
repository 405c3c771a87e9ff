package dev.meadow.devstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible object store: S3Proxy in front of a plain directory, one sub-directory per bucket.
 * Objects written here are ordinary files, so they survive a restart on the same directory.
 */
public final class EmbeddedObjectStore implements AutoCloseable {

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private EmbeddedObjectStore(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /**
     * Starts the store on {@code dataDir}, listening on {@code port} (0 picks a free port), accepting requests
     * signed (AWS V2 or V4) with the given key pair.
     */
    public static EmbeddedObjectStore start(Path dataDir, int port, String accessKey, String secretKey)
            throws Exception {
        Files.createDirectories(dataDir);
        Properties overrides = new Properties();
        overrides.setProperty(
                "jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials(accessKey, secretKey)
                .overrides(overrides)
                .build(BlobStoreContext.class);
        URI endpoint = URI.create("http://127.0.0.1:" + (port == 0 ? FreePorts.pick() : port));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        awaitStarted(proxy, Duration.ofSeconds(30));
        return new EmbeddedObjectStore(proxy, context, endpoint);
    }

    private static void awaitStarted(S3Proxy proxy, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within " + timeout + ": " + proxy.getState());
            }
            Thread.sleep(20);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
