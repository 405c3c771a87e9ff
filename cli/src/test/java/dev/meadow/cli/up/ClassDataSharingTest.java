package dev.meadow.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {

    @TempDir
    Path dir;

    private final Instant built = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void aMissingArchiveIsRecordedAndTheRecordedOneIsUsed() throws IOException {
        Path app = application(built);
        Path jdk = jdk(built.minusSeconds(86_400));
        Path archive = dir.resolve("class-data/gateway.jsa");

        assertThat(ClassDataSharing.options(archive, app, jdk))
                .containsExactly("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=error");
        jvmWrites(archive);
        assertThat(ClassDataSharing.options(archive, app, jdk))
                .containsExactly("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=error");
    }

    @Test
    void anApplicationRebuiltEvenWhileItRanIsRecordedAgain() throws IOException {
        Path app = application(built);
        Path jdk = jdk(built.minusSeconds(86_400));
        Path archive = dir.resolve("class-data/gateway.jsa");
        ClassDataSharing.options(archive, app, jdk);
        // A library deep inside the Quarkus application is rebuilt; the archive is written after, when it stops.
        write(app.resolve("lib/main/dev.meadow.service-common.jar"), built.plusSeconds(120));
        jvmWrites(archive);

        assertThat(ClassDataSharing.options(archive, app, jdk))
                .first()
                .asString()
                .startsWith("-XX:ArchiveClassesAtExit");
        assertThat(archive)
                .as("the stale archive is gone until the JVM writes a new one")
                .doesNotExist();
        jvmWrites(archive);
        assertThat(ClassDataSharing.options(archive, app, jdk))
                .first()
                .asString()
                .startsWith("-XX:SharedArchiveFile");
    }

    @Test
    void anotherJdkRecordsAgain() throws IOException {
        Path app = application(built);
        Path archive = dir.resolve("kafka.jsa");
        ClassDataSharing.options(archive, app, jdk(built.minusSeconds(60)));
        jvmWrites(archive);

        jdk(built.plusSeconds(240)); // upgraded in place
        assertThat(ClassDataSharing.options(archive, app, dir.resolve("jdk")))
                .first()
                .asString()
                .startsWith("-XX:ArchiveClassesAtExit");
    }

    @Test
    void anEmptyOrUnstampedArchiveIsNotUsed() throws IOException {
        Path jar = write(dir.resolve("meadow.jar"), built);
        Path jdk = jdk(built.minusSeconds(60));
        Path archive = dir.resolve("kafka.jsa");
        String stamp = ClassDataSharing.stamp(jar, jdk);

        Files.write(archive, new byte[0]);
        Files.writeString(dir.resolve("kafka.jsa.stamp"), stamp);
        assertThat(ClassDataSharing.isCurrent(archive, stamp)).isFalse();
        jvmWrites(archive);
        assertThat(ClassDataSharing.isCurrent(archive, stamp)).isTrue();
        Files.delete(dir.resolve("kafka.jsa.stamp"));
        assertThat(ClassDataSharing.isCurrent(archive, stamp)).isFalse();
    }

    @Test
    void whereNoArchiveCanBeWrittenTheComponentStartsWithout() throws IOException {
        Path app = application(built);
        Path blocked = write(dir.resolve("not-a-directory"), built);

        assertThat(ClassDataSharing.options(blocked.resolve("gateway.jsa"), app, jdk(built)))
                .isEqualTo(List.of());
    }

    private static void jvmWrites(Path archive) throws IOException {
        Files.write(archive, new byte[] {7, 7, 7});
    }

    private Path application(Instant when) throws IOException {
        Path app = dir.resolve("quarkus-app");
        write(app.resolve("quarkus-run.jar"), when);
        write(app.resolve("lib/main/dev.meadow.service-common.jar"), when.minusSeconds(30));
        return app;
    }

    private Path jdk(Instant when) throws IOException {
        Path jdk = dir.resolve("jdk");
        write(jdk.resolve("lib/modules"), when);
        return jdk;
    }

    private static Path write(Path file, Instant when) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(file, FileTime.from(when));
        return file;
    }
}
