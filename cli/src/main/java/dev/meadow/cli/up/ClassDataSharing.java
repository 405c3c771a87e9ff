package dev.meadow.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * Class data sharing for the JVMs of a local stack. The first start of a component records the classes it loads
 * into an archive, which the JVM writes when the component stops; later starts map that archive instead of loading,
 * parsing and verifying every class again, which is much of the CPU a JVM spends starting (the gateway alone: 5.0 s
 * to ready without, 3.8 s with; the broker and the services start together on few cores, so CPU is what counts).
 *
 * <p>An archive belongs to the JDK and the application files it was recorded from. A stamp beside it, written when
 * recording starts, names them (the JVM's version and home, the newest modification time of the JDK's modules and of
 * the application); an archive whose stamp no longer matches is recorded again, so a rebuild or a JDK upgrade, even
 * while the stack runs, never leaves an archive the JVM would silently refuse for ever. Java 19 does this by itself
 * ({@code -XX:+AutoCreateSharedArchive}); the services run on 17.
 */
final class ClassDataSharing {

    /** Recording warns of every class it cannot archive, in the component's log; errors are still shown. */
    private static final String QUIET = "-Xlog:cds*=error";

    private ClassDataSharing() {}

    /**
     * The JVM options that use {@code archive}, or record it when it is missing or stale.
     *
     * @param application the jar on the class path, or the directory of a Quarkus application
     * @param jdk the JDK that runs it: this JVM's own (an archive is only valid for the JDK that wrote it)
     */
    static List<String> options(Path archive, Path application, Path jdk) {
        try {
            String stamp = stamp(application, jdk);
            if (isCurrent(archive, stamp)) {
                return List.of("-XX:SharedArchiveFile=" + archive, QUIET);
            }
            Files.createDirectories(archive.getParent());
            // Gone until the JVM writes a new one at exit: a component killed before that records again next time.
            Files.deleteIfExists(archive);
            Files.writeString(stampOf(archive), stamp, StandardCharsets.UTF_8);
            return List.of("-XX:ArchiveClassesAtExit=" + archive, QUIET);
        } catch (IOException | UncheckedIOException e) {
            // Only start-up time is at stake: start without an archive rather than not at all.
            return List.of();
        }
    }

    static boolean isCurrent(Path archive, String stamp) throws IOException {
        Path recorded = stampOf(archive);
        return Files.isRegularFile(archive)
                && Files.size(archive) > 0
                && Files.isRegularFile(recorded)
                && Files.readString(recorded, StandardCharsets.UTF_8).equals(stamp);
    }

    /** What an archive was recorded from. */
    static String stamp(Path application, Path jdk) throws IOException {
        return "jvm " + System.getProperty("java.vm.version") + " at "
                + jdk.toAbsolutePath().normalize()
                + "\nmodules " + newest(jdk.resolve("lib").resolve("modules")).toMillis()
                + "\napplication " + application.toAbsolutePath().normalize() + " "
                + newest(application).toMillis()
                + "\n";
    }

    private static Path stampOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".stamp");
    }

    private static FileTime newest(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return Files.exists(path) ? Files.getLastModifiedTime(path) : FileTime.fromMillis(0);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> {
                        try {
                            return Files.getLastModifiedTime(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .max(FileTime::compareTo)
                    .orElse(FileTime.fromMillis(0));
        }
    }
}
