package dev.meadow.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackLauncherTest {

    @Test
    void servicesOnTwoProcessorsGetTwoCommonPoolWorkers() {
        assertThat(StackLauncher.commonPoolFloor(1))
                .containsExactly("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
        assertThat(StackLauncher.commonPoolFloor(2))
                .containsExactly("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
        assertThat(StackLauncher.commonPoolFloor(3)).isEmpty();
        assertThat(StackLauncher.commonPoolFloor(16)).isEmpty();
    }

    /** With one processor's worth of common pool, every async task gets a thread of its own; with the floor, not. */
    @Test
    @Tag("integration")
    void theFloorKeepsAsyncTasksOnThePoolsWorkers() throws Exception {
        List<String> withoutFloor = List.of("-XX:ActiveProcessorCount=2");
        List<String> withFloor = new ArrayList<>(withoutFloor);
        withFloor.addAll(StackLauncher.commonPoolFloor(2));
        assertThat(threadsFor200Tasks(withoutFloor)).isEqualTo(200);
        assertThat(threadsFor200Tasks(withFloor)).isBetween(1, 2);
    }

    @Test
    void eachServiceKeepsVertxFilesInItsOwnWorkDirectoryNotInTheSharedTmp(@TempDir Path work) throws IOException {
        Path root = work.resolve("root");
        Path jar = root.resolve("gateway/target/quarkus-app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        ComponentSpec gateway = StackLauncher.service(root, "gateway", "gateway", 8080, "256m", work, Map.of());
        assertThat(gateway.environment())
                .containsEntry(
                        "QUARKUS_VERTX_CACHE_DIRECTORY",
                        work.resolve("gateway/vertx-cache").toString());
    }

    @Test
    void theGatewayAndTheEmbedderStopAtC1WhileTheGeneratorAndTheTrainerCompileHotCodeWithC2() {
        assertThat(StackLauncher.jit("gateway")).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(StackLauncher.jit("embedder-service")).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(StackLauncher.jit("generator-service")).isEqualTo(StackLauncher.SERVICE_JIT);
        assertThat(StackLauncher.jit("trainer-service")).isEqualTo(StackLauncher.SERVICE_JIT);
        assertThat(StackLauncher.SERVICE_JIT).noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
    }

    /** A flag this JVM does not know would stop every component from starting. */
    @Test
    @Tag("integration")
    void theJitSettingsAreOnesThisJvmAccepts() throws Exception {
        for (List<String> options : List.of(StackLauncher.C1_JIT, StackLauncher.SERVICE_JIT)) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(options);
            command.add("-XX:+PrintFlagsFinal");
            command.add("-version");
            Process child =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(out).isZero();
            for (String option : options) {
                String[] flag = option.substring("-XX:".length()).split("=");
                assertThat(out).as(option).containsPattern("\\b" + flag[0] + "\\s+=\\s+" + flag[1] + "\\s");
            }
        }
    }

    private static int threadsFor200Tasks(List<String> options) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AsyncThreads.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.exitValue()).as(out).isZero();
        return Integer.parseInt(out);
    }

    /** Runs 200 tasks with {@code supplyAsync} and no executor, as the MinIO client does, one after another. */
    public static final class AsyncThreads {
        public static void main(String[] args) {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 200; i++) {
                CompletableFuture.supplyAsync(() -> threads.add(Thread.currentThread()))
                        .join();
            }
            System.out.println(threads.size());
        }
    }
}
