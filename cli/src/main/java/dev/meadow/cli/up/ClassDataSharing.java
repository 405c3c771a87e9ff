package dev.meadow.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * Class data sharing for the JVMs of a local stack. The first start of a component records the classes it loads
 * into an archive, which the JVM writes when the component stops; later starts map that archive instead of loading,
 * parsing and verifying every class again, which is most of the CPU a JVM spends starting (the gateway: about 7 s
 * of CPU to ready without, 6 with; the broker and the services start together on few cores, so CPU is what counts).
 * An archive older than the application or the JDK it was recorded from is recorded again. Java 19 does this by
 * itself ({@code -XX:+AutoCreateSharedArchive}); the services run on 17.
 */
final class ClassDataSharing {

    /** Recording warns of every class it cannot archive, in the component's log; errors are still shown. */
    private static final String QUIET = "-Xlog:cds*=error";

    private ClassDataSharing() {}

    /**
     * The JVM options that use {@code archive}, or record it when it is missing or stale.
     *
     * @param application the jar on the class path, or the directory of a Quarkus application; its newest file dates
     *     it
     * @param jdk the JDK that runs it; an archive is only valid for the JDK that wrote it
     */
    static List<String> options(Path archive, Path application, Path jdk) {
        try {
            if (isCurrent(archive, application, jdk)) {
                return List.of("-XX:SharedArchiveFile=" + archive, QUIET);
            }
            Files.createDirectories(archive.getParent());
            // Gone until the JVM writes a new one at exit: a component killed before that records again next time.
            Files.deleteIfExists(archive);
            return List.of("-XX:ArchiveClassesAtExit=" + archive, QUIET);
        } catch (IOException | UncheckedIOException e) {
            // Only start-up time is at stake: start without an archive rather than not at all.
            return List.of();
        }
    }

    static boolean isCurrent(Path archive, Path application, Path jdk) throws IOException {
        if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
            return false;
        }
        FileTime recorded = Files.getLastModifiedTime(archive);
        return newest(application).compareTo(recorded) < 0
                && newest(jdk.resolve("lib").resolve("modules")).compareTo(recorded) < 0;
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
