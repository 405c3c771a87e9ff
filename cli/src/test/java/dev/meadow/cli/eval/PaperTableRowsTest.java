package dev.meadow.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.meadow.cli.eval.PaperTableCommand.Row;
import org.junit.jupiter.api.Test;

class PaperTableRowsTest {

    private final Map<String, Row> rows =
            PaperTableCommand.ROWS.stream().collect(Collectors.toMap(Row::id, Function.identity()));

    @Test
    void everyRowHasItsOwnIdAndThePapersRowsKeepThePapersLoss() {
        assertThat(rows).hasSameSizeAs(PaperTableCommand.ROWS);
        assertThat(rows.values().stream().filter(Row::beyondThePapersLoss).map(Row::id))
                .containsExactlyInAnyOrder(
                        "small-64-resize-image-clip",
                        "small-64-resize-image-clip-perceptual",
                        "small-64-resize-image-clip-critic");
    }

    @Test
    void theSharpnessRowsAddTheirTermToTheClipRow() {
        Row clip = rows.get("small-64-resize-image-clip");
        Row perceptual = rows.get("small-64-resize-image-clip-perceptual");
        Row critic = rows.get("small-64-resize-image-clip-critic");
        for (Row row : new Row[] {perceptual, critic}) {
            assertThat(row.preset()).isEqualTo(clip.preset());
            assertThat(row.mode()).isEqualTo(clip.mode());
            assertThat(row.dropout()).isEqualTo(clip.dropout());
            assertThat(row.clipWeight()).isEqualTo(clip.clipWeight());
            assertThat(row.needsClipTower()).isTrue();
        }
        assertThat(perceptual.perceptualWeight()).isEqualTo(1e4f);
        assertThat(perceptual.adversarialWeight()).isZero();
        assertThat(critic.adversarialWeight()).isEqualTo(1000f);
        assertThat(critic.perceptualWeight()).isZero();
        assertThat(critic.label()).endsWith("patch critic 1000");
    }
}
