package dev.meadow.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {

    @TempDir
    Path dir;

    private final Instant built = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void aMissingArchiveIsRecordedAndACurrentOneIsUsed() throws IOException {
        Path app = application(built);
        Path jdk = jdk(built.minusSeconds(86_400));
        Path archive = dir.resolve("class-data/gateway.jsa");

        assertThat(ClassDataSharing.options(archive, app, jdk))
                .containsExactly("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=error");
        assertThat(archive.getParent()).isDirectory();

        write(archive, built.plusSeconds(60));
        assertThat(ClassDataSharing.options(archive, app, jdk))
                .containsExactly("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=error");
    }

    @Test
    void anArchiveOlderThanAnyFileOfTheApplicationOrTheJdkIsRecordedAgain() throws IOException {
        Path app = application(built);
        Path jdk = jdk(built.minusSeconds(86_400));
        Path archive = write(dir.resolve("class-data/gateway.jsa"), built.plusSeconds(60));
        assertThat(ClassDataSharing.isCurrent(archive, app, jdk)).isTrue();

        // A library deep inside a Quarkus application, rebuilt after the archive was recorded.
        write(app.resolve("lib/main/dev.meadow.service-common.jar"), built.plusSeconds(120));
        assertThat(ClassDataSharing.isCurrent(archive, app, jdk)).isFalse();
        assertThat(ClassDataSharing.options(archive, app, jdk))
                .first()
                .asString()
                .startsWith("-XX:ArchiveClassesAtExit");
        assertThat(archive)
                .as("the stale archive is gone until the JVM writes a new one")
                .doesNotExist();

        write(archive, built.plusSeconds(180));
        assertThat(ClassDataSharing.isCurrent(archive, app, jdk)).isTrue();
        jdk(built.plusSeconds(240)); // the JDK was upgraded
        assertThat(ClassDataSharing.isCurrent(archive, app, jdk)).isFalse();
    }

    @Test
    void anEmptyArchiveIsNotUsed() throws IOException {
        Path jar = write(dir.resolve("meadow.jar"), built);
        Path archive = dir.resolve("kafka.jsa");
        Files.write(archive, new byte[0]);
        Files.setLastModifiedTime(archive, FileTime.from(built.plusSeconds(60)));

        assertThat(ClassDataSharing.isCurrent(archive, jar, jdk(built.minusSeconds(60))))
                .isFalse();
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
