package dev.meadow.cli.common;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where Meadow's build lives: the repository root that holds the packaged services. */
public final class MeadowHome {

    private MeadowHome() {}

    /** {@code MEADOW_HOME} if set, else the repository the running {@code cli/target/meadow.jar} was built in. */
    public static Path root() {
        String env = System.getenv("MEADOW_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        Path jar = runningJar();
        // <root>/cli/target/meadow.jar
        Path root = jar.getParent() == null ? null : jar.getParent().getParent();
        if (root != null
                && root.getParent() != null
                && Files.isDirectory(root.getParent().resolve("gateway"))) {
            return root.getParent();
        }
        throw new UserError("cannot tell where Meadow is installed; set MEADOW_HOME to the repository root");
    }

    /** The jar (or classes directory) this code runs from: child processes reuse it as their classpath. */
    public static Path runningJar() {
        try {
            return Path.of(MeadowHome.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The packaged Quarkus application of a service module. */
    public static Path serviceJar(Path root, String module) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UserError(module + " is not built (" + jar + " is missing); run ./mvnw package -DskipTests");
        }
        return jar;
    }

    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
