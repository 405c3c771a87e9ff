package dev.meadow.service.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.storage.ObjectNotFoundException;
import dev.meadow.storage.ObjectStoreException;
import org.junit.jupiter.api.Test;

class ModelLoadingTest {

    /** A model whose files are a directory named after the id they declare; "broken" ones do not open. */
    static final class FakeModel implements AutoCloseable {
        final String declaredId;
        boolean closed;

        FakeModel(String declaredId) {
            this.declaredId = declaredId;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    final List<String> reports = new ArrayList<>();
    final List<FakeModel> opened = new ArrayList<>();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicReference<String> misfit = new AtomicReference<>();

    final ModelLoading.Reporter reporter = new ModelLoading.Reporter() {
        @Override
        public void loaded(ModelKind kind, String modelId) {
            reports.add("loaded " + kind.id() + " " + modelId);
        }

        @Override
        public void refused(ModelKind kind, String modelId, String reason) {
            reports.add("refused " + kind.id() + " " + modelId + ": " + reason);
        }
    };

    final AtomicReference<String> mismatch = new AtomicReference<>();

    final ModelType<FakeModel> type = ModelType.of(
                    ModelKind.CVAE,
                    dir -> {
                        opens.incrementAndGet();
                        String name = dir.getFileName().toString();
                        if (name.equals("broken")) {
                            throw new IllegalStateException("variables do not match their checksum");
                        }
                        if (name.equals("exhausted")) {
                            throw new UnsupportedOperationException("native memory exhausted");
                        }
                        FakeModel model = new FakeModel(name);
                        opened.add(model);
                        return model;
                    },
                    e -> e instanceof IllegalStateException,
                    model -> model.declaredId)
            .verifiedBy((model, published) -> mismatch.get())
            .fittedBy((model, published) -> misfit.get());

    static ModelPublished published(String id, long at) {
        return new ModelPublished(
                ModelPublished.CURRENT_VERSION,
                ModelKind.CVAE,
                id,
                "cvae/" + id + "/",
                "tiny-32",
                "clip-a",
                null,
                32,
                16,
                null,
                null,
                null,
                null,
                Instant.ofEpochMilli(at),
                null,
                null);
    }

    ModelLoading<FakeModel> loading(Function<ModelPublished, Path> fetch) {
        return new ModelLoading<>(type, fetch, reporter);
    }

    @Test
    void aModelThatOpensAndFitsIsReportedOnceItServes() {
        ModelLoading<FakeModel> loading = loading(p -> Path.of("/cache", p.modelId()));
        FakeModel model = loading.load(published("v1", 1));

        assertThat(model.declaredId).isEqualTo("v1");
        assertThat(model.closed).isFalse();
        assertThat(reports).isEmpty();
        loading.serving(published("v1", 1));
        assertThat(reports).containsExactly("loaded cvae v1");
    }

    @Test
    void aFailureThatIsNotInTheFilesIsNoRefusalAndIsTriedAgain() {
        ModelLoading<FakeModel> loading = loading(p -> Path.of("/cache", "exhausted"));

        assertThatThrownBy(() -> loading.load(published("v1", 1)))
                .isInstanceOf(UnsupportedOperationException.class)
                .isNotInstanceOf(ModelRefusedException.class);
        assertThatThrownBy(() -> loading.load(published("v1", 1))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(opens).hasValue(2);
        assertThat(reports).isEmpty();
    }

    @Test
    void filesThatDoNotMatchTheirPublicationAreRefusedForGood() {
        ModelLoading<FakeModel> loading = loading(p -> Path.of("/cache", p.modelId()));
        mismatch.set("its files make 32-dimensional embeddings, not the 16 it was published with");

        assertThatThrownBy(() -> loading.load(published("v1", 1))).isInstanceOf(ModelRefusedException.class);
        mismatch.set(null);
        assertThatThrownBy(() -> loading.load(published("v1", 1))).isInstanceOf(ModelRefusedException.class);
        assertThat(opens).hasValue(1);
        assertThat(opened).singleElement().satisfies(m -> assertThat(m.closed).isTrue());
    }

    @Test
    void aModelIsClosedWhenItsChecksThrow() {
        ModelLoading<FakeModel> loading = new ModelLoading<>(
                type.fittedBy((model, published) -> {
                    throw new IllegalStateException("the catalog is not readable");
                }),
                p -> Path.of("/cache", p.modelId()),
                reporter);

        assertThatThrownBy(() -> loading.load(published("v1", 1))).hasMessage("the catalog is not readable");
        assertThat(opened).singleElement().satisfies(m -> assertThat(m.closed).isTrue());
    }

    @Test
    void brokenFilesAreRefusedOnceAndNotOpenedAgainUntilPublishedAgain() {
        ModelLoading<FakeModel> loading = loading(p -> Path.of("/cache", "broken"));

        assertThatThrownBy(() -> loading.load(published("v1", 1)))
                .isInstanceOf(ModelRefusedException.class)
                .hasMessage("cvae model v1 is refused: variables do not match their checksum");
        assertThatThrownBy(() -> loading.load(published("v1", 1)))
                .isInstanceOf(ModelRefusedException.class)
                .extracting(e -> ((ModelRefusedException) e).reason())
                .isEqualTo("variables do not match their checksum");
        assertThat(opens).hasValue(1);
        assertThat(reports).containsExactly("refused cvae v1: variables do not match their checksum");

        // Published again (new files, say): tried again.
        assertThatThrownBy(() -> loading.load(published("v1", 2))).isInstanceOf(ModelRefusedException.class);
        assertThat(opens).hasValue(2);
    }

    @Test
    void filesThatDeclareAnotherModelAreRefusedAndClosed() {
        ModelLoading<FakeModel> loading = loading(p -> Path.of("/cache", "v0"));

        assertThatThrownBy(() -> loading.load(published("v1", 1)))
                .isInstanceOf(ModelRefusedException.class)
                .hasMessageEndingWith("the files published as v1 hold v0");
        assertThat(opened).singleElement().satisfies(m -> assertThat(m.closed).isTrue());
        assertThatThrownBy(() -> loading.load(published("v1", 1))).isInstanceOf(ModelRefusedException.class);
        assertThat(opens).as("remembered as broken").hasValue(1);
    }

    @Test
    void aModelThatDoesNotFitIsRefusedButAskedAgainNextTime() {
        ModelLoading<FakeModel> loading = loading(p -> Path.of("/cache", p.modelId()));
        misfit.set("it was trained against CLIP clip-a but the active CLIP is clip-b");

        assertThatThrownBy(() -> loading.load(published("v1", 1)))
                .isInstanceOf(ModelRefusedException.class)
                .hasMessageContaining("the active CLIP is clip-b");
        assertThat(opened).singleElement().satisfies(m -> assertThat(m.closed).isTrue());

        misfit.set(null);
        assertThat(loading.load(published("v1", 1)).closed).isFalse();
        assertThat(reports)
                .containsExactly("refused cvae v1: it was trained against CLIP clip-a but the active CLIP is clip-b");
    }

    @Test
    void anUnreachableStoreIsNoRefusal() {
        ModelLoading<FakeModel> loading = loading(p -> {
            throw new ObjectStoreException("connection refused");
        });

        assertThatThrownBy(() -> loading.load(published("v1", 1)))
                .isInstanceOf(ObjectStoreException.class)
                .isNotInstanceOf(ModelRefusedException.class);
        assertThat(reports).isEmpty();
    }

    @Test
    void filesMissingFromTheStoreAreARefusal() {
        ModelLoading<FakeModel> loading = loading(p -> {
            throw new ObjectNotFoundException("meadow-models", p.objectPrefix() + "model.json");
        });

        assertThatThrownBy(() -> loading.load(published("v1", 1)))
                .isInstanceOf(ModelRefusedException.class)
                .hasMessageContaining("its files are missing from the object store");
        assertThat(reports).singleElement().asString().startsWith("refused cvae v1: its files are missing");
    }
}
