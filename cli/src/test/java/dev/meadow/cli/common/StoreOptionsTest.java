package dev.meadow.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOptionsTest {

    @TempDir
    Path dir;

    private UpData localStack() throws Exception {
        Files.writeString(dir.resolve(UpData.CLIENT), "s3=http://127.0.0.1:9100\nkafka=127.0.0.1:9192\n");
        Files.writeString(dir.resolve(UpData.CREDENTIALS), "s3.access-key=local\ns3.secret-key=local-secret\n");
        return new UpData(dir);
    }

    @Test
    void withNothingGivenTheLocalStackIsUsedWholeWithItsBroker() throws Exception {
        StoreOptions.Target target = StoreOptions.target(null, null, " ", localStack());
        assertThat(target.endpoint()).isEqualTo("http://127.0.0.1:9100");
        assertThat(target.accessKey()).isEqualTo("local");
        assertThat(target.secretKey()).isEqualTo("local-secret");
        assertThat(target.kafka()).contains("127.0.0.1:9192");
        assertThat(target.source()).isEqualTo(dir.toString());
    }

    @Test
    void givenKeysNeverMixWithTheLocalStacks() throws Exception {
        UpData up = localStack();
        StoreOptions.Target target = StoreOptions.target(null, "k", "s", up);
        assertThat(target.endpoint()).isEqualTo(StoreOptions.DEFAULT_ENDPOINT);
        assertThat(target.kafka()).isEmpty();
        assertThatThrownBy(() -> StoreOptions.target("http://minio:9000", null, null, up))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("--access-key and --secret-key");
        assertThatThrownBy(() -> StoreOptions.target(null, "k", null, up)).isInstanceOf(UserError.class);
    }

    @Test
    void aDirectoryWithoutMeadowUpIsNamed() throws Exception {
        assertThatThrownBy(() -> StoreOptions.target(null, null, null, new UpData(dir)))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(dir.resolve(UpData.CREDENTIALS) + " does not exist");
        Files.writeString(dir.resolve(UpData.CREDENTIALS), "api-key=x\n");
        assertThatThrownBy(() -> StoreOptions.target(null, null, null, new UpData(dir)))
                .hasMessageContaining("has no object store keys");
    }
}
