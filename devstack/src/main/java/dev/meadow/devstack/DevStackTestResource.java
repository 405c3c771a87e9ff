package dev.meadow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.commons.io.FileUtils;

/**
 * Starts a real Kafka broker and object store for a Quarkus test run and points the service at them.
 * Use it with {@code @WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)} on
 * every test class of a module, so that Quarkus starts once per module.
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {

    private static DevStack stack;
    private Path dataDir;

    /** The running stack, for tests that need to talk to Kafka or the store directly. */
    public static DevStack stack() {
        if (stack == null) {
            throw new IllegalStateException("DevStackTestResource has not started");
        }
        return stack;
    }

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("meadow-devstack-");
            stack = DevStack.start(dataDir, withDatabase());
            return stack.serviceConfig();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("devstack failed to start", e);
        }
    }

    /** Whether the service under test needs PostgreSQL too. */
    protected boolean withDatabase() {
        return false;
    }

    @Override
    public void stop() {
        try {
            if (stack != null) {
                stack.close();
                stack = null;
            }
        } catch (Exception e) {
            throw new IllegalStateException("devstack failed to stop", e);
        } finally {
            FileUtils.deleteQuietly(dataDir == null ? null : dataDir.toFile());
        }
    }
}
