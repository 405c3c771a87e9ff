package dev.meadow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meadow.contracts.ModelKind;
import org.junit.jupiter.api.Test;

class StorageLayoutTest {

    private final StorageLayout layout = new StorageLayout("test-");

    @Test
    void keysDeriveFromIdsAlone() {
        assertThat(layout.imageKey("b1-000003")).isEqualTo("b1-000003.png").isEqualTo(layout.imageKey("b1-000003"));
        assertThat(layout.bucket(Bucket.IMAGES)).isEqualTo("test-images");
        assertThat(layout.snapshotImageKey("s1", "000001.png")).isEqualTo("s1/images/000001.png");
        assertThat(layout.modelPrefix(ModelKind.CVAE, "v3")).isEqualTo("cvae/v3/");
        assertThat(layout.snapshotImageEmbeddingsKey("s1", "clip-a")).isEqualTo("s1/clip-a/images.emb");
    }

    @Test
    void idsThatCouldEscapeTheirPrefixAreRefused() {
        assertThatThrownBy(() -> layout.imageKey("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.snapshotPrefix("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.checkpointPrefix("")).isInstanceOf(IllegalArgumentException.class);
    }
}
