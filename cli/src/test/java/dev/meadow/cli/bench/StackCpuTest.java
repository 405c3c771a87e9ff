package dev.meadow.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StackCpuTest {

    @Test
    void namesEachProcessOfTheStackByItsCommandLine() {
        assertThat(StackCpu.component(
                        "java -Xmx512m -cp /m/meadow.jar dev.meadow.devstack.DevStackMain kafka /d/kafka 9092"))
                .isEqualTo("kafka");
        assertThat(StackCpu.component("java -cp x dev.meadow.devstack.DevStackMain object-store /d/objects 9000"))
                .isEqualTo("object-store");
        assertThat(StackCpu.component(
                        "/usr/bin/java -Xmx768m -jar /m/generator-service/target/quarkus-app/quarkus-run.jar"))
                .isEqualTo("generator");
        assertThat(StackCpu.component("java -jar /m/gateway/target/quarkus-app/quarkus-run.jar"))
                .isEqualTo("gateway");
        assertThat(StackCpu.component("/d/database/pgsql-0123/bin/postgres -D /d/database/data -p 5432"))
                .isEqualTo("postgres");
        assertThat(StackCpu.component("postgres: checkpointer ")).isEqualTo("postgres");
        assertThat(StackCpu.component("sleep 5")).isEqualTo("other");
    }

    @Test
    void measuresWhatEachComponentSpentBetweenTwoReadings() {
        assertThat(StackCpu.between(
                        Map.of("gateway", Duration.ofMillis(500)),
                        Map.of("gateway", Duration.ofMillis(800), "generator", Duration.ofMillis(90))))
                .containsEntry("gateway", Duration.ofMillis(300))
                .containsEntry("generator", Duration.ofMillis(90));
    }

    @Test
    void findsAStackByItsDataDirectoryHoweverItWasWritten() {
        assertThat(StackCpu.argumentAfter(
                        "java -cp m.jar dev.meadow.devstack.DevStackMain kafka /d/./x/../data/kafka 9092",
                        "dev.meadow.devstack.DevStackMain kafka "))
                .isEqualTo(java.nio.file.Path.of("/d/data/kafka"));
        assertThat(StackCpu.argumentAfter("postgres -D /d/data2/database -p 5432", " -D "))
                .isNotEqualTo(java.nio.file.Path.of("/d/data/database"));
        assertThat(StackCpu.argumentAfter("sleep 5", " -D ")).isNull();
    }
}
