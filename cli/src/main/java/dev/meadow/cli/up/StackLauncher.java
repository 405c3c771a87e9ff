package dev.meadow.cli.up;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.cli.common.MeadowHome;
import dev.meadow.contracts.Component;
import dev.meadow.devstack.DevStackMain;

/** How each component of a local Meadow is started: the same for {@code meadow up} and the end-to-end tests. */
public final class StackLauncher {

    private StackLauncher() {}

    /** A devstack component (broker, object store or database) as its own process, on this command's classpath. */
    public static ComponentSpec devstack(
            String component, Path dir, int port, Map<String, String> environment, HealthProbe probe, String address) {
        List<String> command =
                new ArrayList<>(List.of(MeadowHome.javaExecutable().toString(), "-Xmx512m"));
        command.addAll(
                classDataSharing(dir.resolveSibling(CLASS_DATA).resolve(component + ".jsa"), MeadowHome.runningJar()));
        command.addAll(C1_JIT);
        command.addAll(List.of(
                "-cp",
                MeadowHome.runningJar().toString(),
                DevStackMain.class.getName(),
                component,
                dir.toString(),
                String.valueOf(port)));
        return new ComponentSpec(component, command, environment, probe, address);
    }

    /**
     * Where the class data sharing archives go ({@link ClassDataSharing}): a service's in the work directory it is
     * given, so that a one-off stack in a temporary directory leaves nothing elsewhere; the broker's, the store's and
     * the database's beside their data directories.
     */
    private static final String CLASS_DATA = "class-data";

    /**
     * Off for stacks that start once in a fresh directory (the end-to-end tests: {@code
     * -Dmeadow.class-data-sharing=false}), where recording would only make every stop slower.
     */
    private static List<String> classDataSharing(Path archive, Path application) {
        if (!Boolean.parseBoolean(System.getProperty("meadow.class-data-sharing", "true"))) {
            return List.of();
        }
        return ClassDataSharing.options(
                archive, application, MeadowHome.javaExecutable().getParent().getParent());
    }

    /**
     * The broker, the object store, the database's wrapper, the gateway and the embedder stop at C1: their work per
     * image is small and C1's code serves it, while C2 kept compiling their per-image paths for thousands of images
     * on two contended cores (on C1 the two together spent about 0.5 ms an image less in a fresh stack's first run,
     * and the dataset and gallery benchmarks lost nothing: docs/performance.md, "Issue 18's targets on one
     * machine"). With {@link #SERVICE_JIT}: a local stack's start is bound by CPU, and half of it went to C2
     * compiling code that runs once (two cores, before the gateway and the embedder moved to C1: 43-46 CPU seconds
     * before, 26-30 after; "Where the compiler goes").
     */
    static final List<String> C1_JIT = List.of("-XX:TieredStopAtLevel=1");

    /**
     * The generator and the trainer compile with C2 only what stays hot: a method after 50,000 calls (HotSpot:
     * 5,000), a loop after 400,000 iterations (40,000). Start-up code is then not compiled twice, and less of a fresh
     * stack's first run is spent compiling.
     */
    static final List<String> SERVICE_JIT = List.of(
            "-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=20000",
            "-XX:Tier4CompileThreshold=60000",
            "-XX:Tier4BackEdgeThreshold=400000");

    /** The JIT a service's JVM gets, by its module: {@link #C1_JIT} for the gateway and the embedder, else {@link #SERVICE_JIT}. */
    static List<String> jit(String module) {
        return module.equals("gateway") || module.equals("embedder-service") ? C1_JIT : SERVICE_JIT;
    }

    /** Where services listen unless told otherwise: this machine only, like the broker and the store. */
    public static final String LOOPBACK = "127.0.0.1";

    /**
     * A packaged Meadow service ({@code <root>/<module>/target/quarkus-app}) as its own process, listening on
     * {@link #LOOPBACK} unless the environment's {@code QUARKUS_HTTP_HOST} says otherwise.
     *
     * @param connection broker, object store and API settings as environment variables
     */
    public static ComponentSpec service(
            Path root,
            String name,
            String module,
            int port,
            String heap,
            Path workDir,
            Map<String, String> connection) {
        Map<String, String> env = new LinkedHashMap<>(connection);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.putIfAbsent("QUARKUS_HTTP_HOST", LOOPBACK);
        env.put("MEADOW_WORK_DIR", workDir.resolve(name).toString());
        // Vert.x's file cache, by default a /tmp/vertx-cache that any local user may rename or replace entries of.
        env.put(
                "QUARKUS_VERTX_CACHE_DIRECTORY",
                workDir.resolve(name).resolve("vertx-cache").toString());
        env.put("MEADOW_INSTANCE_ID", name);
        env.putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
        // oneDNN's CPU kernels, off in TensorFlow Java unless asked: 3.1x the decoding of small-64 here. The user's
        // choice wins.
        if (System.getenv("TF_ENABLE_ONEDNN_OPTS") == null) {
            env.putIfAbsent("TF_ENABLE_ONEDNN_OPTS", "1");
        }
        Path jar = MeadowHome.serviceJar(root, module);
        List<String> command =
                new ArrayList<>(List.of(MeadowHome.javaExecutable().toString(), "-Xmx" + heap));
        command.addAll(classDataSharing(workDir.resolve(CLASS_DATA).resolve(name + ".jsa"), jar.getParent()));
        command.addAll(commonPoolFloor(Runtime.getRuntime().availableProcessors()));
        command.addAll(jit(module));
        command.addAll(List.of("-jar", jar.toString()));
        String host = env.get("QUARKUS_HTTP_HOST");
        String reachable = isWildcard(host) ? LOOPBACK : host;
        return new ComponentSpec(
                name,
                command,
                env,
                HealthProbe.quarkusReady(reachable, port),
                "http://" + urlHost(reachable) + ":" + port);
    }

    /**
     * {@code CompletableFuture}'s async methods without an executor, which the object store client's uploads use,
     * start a new thread for every task while the common pool's parallelism (processors - 1) is below 2: on two
     * cores, one thread per image (docs/performance.md). Two workers keep them on the pool.
     */
    static List<String> commonPoolFloor(int processors) {
        return processors - 1 >= 2 ? List.of() : List.of("-D" + COMMON_POOL_PARALLELISM + "=2");
    }

    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /** A host as it stands in a URL: an IPv6 address in brackets. */
    public static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** 0.0.0.0 or ::, every interface. */
    public static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /**
     * {@code connection} with a component's Kafka login. Topics are created by {@code meadow up} as the
     * administrator; the component's own user may not, so it does not try.
     */
    public static Map<String, String> kafkaLogin(Map<String, String> connection, Component component, String password) {
        Map<String, String> env = new LinkedHashMap<>(connection);
        env.put("MEADOW_KAFKA_USERNAME", component.principal());
        env.put("MEADOW_KAFKA_PASSWORD", password);
        env.put("MEADOW_KAFKA_PROVISION_TOPICS", "false");
        return env;
    }

    /** The environment that connects a service to a broker and an object store. */
    public static Map<String, String> connection(
            String bootstrapServers, String objectStore, String accessKey, String secretKey, String apiKey) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("MEADOW_S3_ENDPOINT", objectStore);
        env.put("MEADOW_S3_ACCESS_KEY", accessKey);
        env.put("MEADOW_S3_SECRET_KEY", secretKey);
        if (apiKey != null) {
            env.put("MEADOW_GATEWAY_API_KEYS", apiKey);
        }
        return env;
    }
}
