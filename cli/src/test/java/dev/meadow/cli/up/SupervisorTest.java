package dev.meadow.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.meadow.cli.common.MeadowHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor of {@code meadow up}: a component that dies is started again; one that keeps dying stops all. */
class SupervisorTest {

    @TempDir
    Path logs;

    private final StringWriter output = new StringWriter();
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.stopAll();
        }
    }

    /** A supervisor that reports into {@link #output}, with 10 s for each component to become healthy. */
    private Supervisor supervising(Supervisor.RestartPolicy policy) {
        return new Supervisor(logs, new PrintWriter(output, true), Duration.ofSeconds(10), policy);
    }

    private static ComponentSpec component(String name, String script) {
        return new ComponentSpec(name, List.of("bash", "-c", script), Map.of(), () -> true, "nowhere");
    }

    @Test
    @Tag("integration")
    void aJvmThatCrashesLeavesItsReportBesideItsLogAndTheReportIsNamed() throws Exception {
        supervisor = supervising(
                new Supervisor.RestartPolicy(1, Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofMillis(100)));
        Path classes = Path.of(OutOfMemoryProbe.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Path> reportsHereBefore = hsErrFilesIn(Path.of("").toAbsolutePath());
        supervisor.startAll(List.of(new ComponentSpec(
                "crashy",
                List.of(
                        MeadowHome.javaExecutable().toString(),
                        "-Xmx16m",
                        "-XX:+CrashOnOutOfMemoryError",
                        "-XX:-CreateCoredumpOnCrash",
                        "-cp",
                        classes.toString(),
                        OutOfMemoryProbe.class.getName()),
                Map.of(),
                () -> true,
                "nowhere")));
        long first = pidOf("crashy");

        ManagedProcess gaveUp = supervisor.superviseUntilGivenUp();

        Path report = logs.resolve("crashy-crash-" + first + ".log");
        assertThat(report).content().contains("A fatal error has been detected", "OutOfMemory encountered");
        Path last = logs.resolve("crashy-crash-" + gaveUp.pid() + ".log");
        assertThat(output.toString())
                .contains("; it crashed, report: " + report)
                .contains("; it crashed, report: " + last + "; giving up");
        assertThat(supervisor.failure(gaveUp, "keeps dying").getMessage()).contains("it crashed, report: " + last);
        assertThat(hsErrFilesIn(Path.of("").toAbsolutePath()))
                .as("nothing left in the working directory")
                .isEqualTo(reportsHereBefore);
    }

    @Test
    void aReportOlderThanTheProcessIsNotItsOwn() throws Exception {
        supervisor = supervising(
                new Supervisor.RestartPolicy(0, Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofMillis(100)));
        supervisor.startAll(List.of(component("quitter", "exec sleep 1")));
        // A report a previous run's process left under the id this one now has.
        Path stale = logs.resolve("quitter-crash-" + pidOf("quitter") + ".log");
        Files.writeString(stale, "old");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(1))));

        ManagedProcess gaveUp = supervisor.superviseUntilGivenUp();

        assertThat(output.toString()).contains("quitter").doesNotContain("crashed");
        assertThat(supervisor.failure(gaveUp, "keeps dying").getMessage()).doesNotContain("crashed");
    }

    @Test
    void onlyJavaCommandsAreToldWhereToReportACrash() {
        Path logs = Path.of("/data/logs");
        assertThat(Supervisor.withCrashReportIn(logs, "gateway", List.of("/jdk/bin/java", "-Xmx1g", "-jar", "a.jar")))
                .containsExactly(
                        "/jdk/bin/java", "-XX:ErrorFile=/data/logs/gateway-crash-%p.log", "-Xmx1g", "-jar", "a.jar");
        assertThat(Supervisor.withCrashReportIn(logs, "database", List.of("bash", "-c", "exec sleep 1")))
                .containsExactly("bash", "-c", "exec sleep 1");
    }

    private static List<Path> hsErrFilesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err"))
                    .sorted()
                    .toList();
        }
    }

    private long pidOf(String name) {
        return supervisor.running().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow()
                .pid();
    }

    @Test
    void aComponentKilledWithSigkillIsStartedAgainAndTheOthersKeepRunning() throws Exception {
        supervisor = supervising(
                new Supervisor.RestartPolicy(5, Duration.ofMinutes(1), Duration.ofMillis(200), Duration.ofSeconds(2)));
        supervisor.startAll(List.of(component("kafka", "exec sleep 600"), component("generator", "exec sleep 600")));
        long kafka = pidOf("kafka");
        CompletableFuture<ManagedProcess> gaveUp = CompletableFuture.supplyAsync(() -> {
            try {
                return supervisor.superviseUntilGivenUp();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        for (int round = 1; round <= 2; round++) {
            long generator = pidOf("generator");
            ProcessHandle.of(generator).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> supervisor.running().stream()
                            .anyMatch(p -> p.name().equals("generator") && p.isAlive() && p.pid() != generator));
        }
        assertThat(output.toString())
                .contains("generator      exited with code 137; restarting in 0.2 s (restart 1 of 5 within 60 s)")
                .contains("generator      healthy again after");
        assertThat(pidOf("kafka")).as("the others were left alone").isEqualTo(kafka);
        assertThat(supervisor.running())
                .extracting(ManagedProcess::name)
                .as("a restart keeps the stopping order")
                .containsExactly("kafka", "generator");
        assertThat(ProcessHandle.of(kafka))
                .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(gaveUp).isNotDone();
    }

    @Test
    void aComponentThatKeepsDyingWithinTheWindowStopsTheSupervision() throws Exception {
        supervisor = supervising(
                new Supervisor.RestartPolicy(3, Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofMillis(200)));
        supervisor.startAll(List.of(
                component("steady", "exec sleep 600"), component("embedder", "echo 'no model'; sleep 0.3; exit 3")));
        ManagedProcess dead = CompletableFuture.supplyAsync(() -> {
                    try {
                        return supervisor.superviseUntilGivenUp();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .get(30, TimeUnit.SECONDS);
        assertThat(dead.name()).isEqualTo("embedder");
        assertThat(dead.exitValue()).isEqualTo(3);
        assertThat(output.toString())
                .contains("embedder       exited with code 3; restarting in")
                .contains("(restart 3 of 3 within 60 s)");
        assertThat(supervisor.failure(dead, "kept dying").getMessage()).contains("no model");
    }
}
