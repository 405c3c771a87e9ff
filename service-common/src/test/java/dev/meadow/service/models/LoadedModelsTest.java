package dev.meadow.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LoadedModelsTest {

    @Test
    void loadsOnceKeepsTheMostRecentlyUsedAndClosesTheRestOnceUnused() {
        List<FakeModel> loads = new ArrayList<>();
        LoadedModels<FakeModel> models = new LoadedModels<>(2, id -> {
            if (id.equals("unknown")) {
                return Optional.empty();
            }
            FakeModel model = new FakeModel(id);
            loads.add(model);
            return Optional.of(model);
        });

        assertThat(models.use("a", m -> m.id)).contains("a");
        assertThat(models.use("a", m -> m.id)).contains("a");
        assertThat(models.use("b", m -> m.id)).contains("b");
        assertThat(models.use("a", m -> m.id)).contains("a");
        assertThat(models.use("unknown", m -> m.id)).isEmpty();
        assertThat(loads).extracting(m -> m.id).containsExactly("a", "b");

        // While "b" is in use, two newer models push it out: it is closed only when its user is done.
        FakeModel whileInUse = models.use("b", b -> {
                    assertThat(models.use("c", c -> c.id)).contains("c");
                    assertThat(models.use("d", d -> d.id)).contains("d");
                    assertThat(b.closed).as("still in use").isFalse();
                    return b;
                })
                .orElseThrow();
        assertThat(whileInUse.closed).isTrue();
        assertThat(loads).extracting(m -> m.id).containsExactly("a", "b", "c", "d");
        assertThat(loads).filteredOn(m -> !m.closed).extracting(m -> m.id).containsExactlyInAnyOrder("c", "d");

        models.close();
        assertThat(loads).allMatch(m -> m.closed);
    }
}
