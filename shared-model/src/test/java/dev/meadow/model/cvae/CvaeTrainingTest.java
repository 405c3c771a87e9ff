package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.model.InvalidModelException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class CvaeTrainingTest {

    @TempDir
    static Path dir;

    private static CvaeData data;
    private static CvaeTraining.Spec spec;

    @BeforeAll
    static void data() {
        data = CvaeFixtures.synthData(40, 32, 5);
        spec = new CvaeTraining.Spec(
                CvaePreset.TINY_32, ConditioningMode.MIXED, CvaeFixtures.quick(3), "clip-test", "synth-40");
    }

    private static final CvaeTraining.Listener QUIET = new CvaeTraining.Listener() {};

    @Test
    void sameSeedSameRun() {
        CvaeTraining.Spec oneEpoch = new CvaeTraining.Spec(
                spec.preset(), spec.conditioning(), spec.settings().withEpochs(1), "clip-test", "synth-40");
        var a = CvaeTraining.train(data, oneEpoch, dir.resolve("same-a"), QUIET);
        var b = CvaeTraining.train(data, oneEpoch, dir.resolve("same-b"), QUIET);
        assertThat(b.history())
                .isEqualTo(a.history().stream()
                        .map(r -> new EpochReport(
                                r.epoch(),
                                r.train(),
                                r.validation(),
                                b.history().get(0).seconds(),
                                b.history().get(0).imagesPerSecond()))
                        .toList());
    }

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun() throws IOException {
        CvaeTraining.Outcome uninterrupted = CvaeTraining.train(data, spec, dir.resolve("whole"), QUIET);

        Path interrupted = dir.resolve("interrupted");
        CvaeTraining.Spec firstPart = new CvaeTraining.Spec(
                spec.preset(), spec.conditioning(), spec.settings().withEpochs(2), "clip-test", "synth-40");
        CvaeTraining.train(data, firstPart, interrupted, QUIET);
        assertThat(CvaeTraining.epochsDone(interrupted)).isEqualTo(2);
        boolean[] resumed = new boolean[1];
        CvaeTraining.Outcome rest = CvaeTraining.train(data, spec, interrupted, new CvaeTraining.Listener() {
            @Override
            public void started(int firstEpoch, int epochs, int train, int validation, List<EpochReport> history) {
                resumed[0] = history.size() == 2 && firstEpoch == 3;
            }
        });
        assertThat(resumed[0]).isTrue();
        assertThat(losses(rest)).isEqualTo(losses(uninterrupted));

        DecoderCard a = CvaeTraining.export(uninterrupted, spec, CvaeFixtures.DIM, "m-a", dir.resolve("model-a"));
        DecoderCard b = CvaeTraining.export(rest, spec, CvaeFixtures.DIM, "m-b", dir.resolve("model-b"));
        assertThat(b.bestEpoch()).isEqualTo(a.bestEpoch());
        try (Decoder da = Decoder.load(dir.resolve("model-a"));
                Decoder db = Decoder.load(dir.resolve("model-b"))) {
            float[] c = CvaeFixtures.unitVectors(3, new java.util.SplittableRandom(1));
            assertThat(db.decode(c, new long[] {1, 2, 3})).containsExactly(da.decode(c, new long[] {1, 2, 3}));
        }
    }

    @Test
    void aWarmStartWithTheSameSettingsGoesOnExactlyAsAResumeWould() {
        CvaeTraining.Spec fourEpochs = new CvaeTraining.Spec(
                spec.preset(), spec.conditioning(), spec.settings().withEpochs(4), "clip-test", "synth-40");
        CvaeTraining.Outcome uninterrupted = CvaeTraining.train(data, fourEpochs, dir.resolve("warm-whole"), QUIET);
        Path source = dir.resolve("warm-source");
        CvaeTraining.Spec firstPart = new CvaeTraining.Spec(
                spec.preset(), spec.conditioning(), spec.settings().withEpochs(2), "clip-test", "synth-40");
        CvaeTraining.train(data, firstPart, source, QUIET);

        CvaeTraining.Spec warm = warmFrom(source, spec.settings().withEpochs(1), "synth-40");
        Path target = dir.resolve("warm-target");
        CvaeTraining.Outcome fineTuned = CvaeTraining.train(data, warm, target, QUIET);

        assertThat(fineTuned.history()).hasSize(1);
        assertThat(losses(fineTuned)).containsExactly(losses(uninterrupted).get(2));
        CvaeTraining.State state = CvaeTraining.readState(target);
        assertThat(state.warmStart())
                .isEqualTo(new CvaeTraining.WarmStart(
                        source.toString(), 2, CvaeTraining.readState(source).globalStep()));
        // The source is read, never written.
        assertThat(CvaeTraining.epochsDone(source)).isEqualTo(2);

        // A warm start from a warm-started run counts every epoch behind it.
        CvaeTraining.Spec again = warmFrom(target, spec.settings().withEpochs(1), "synth-40");
        CvaeTraining.Outcome second = CvaeTraining.train(data, again, dir.resolve("warm-second"), QUIET);
        assertThat(losses(second)).containsExactly(losses(uninterrupted).get(3));
        CvaeTraining.State secondState = CvaeTraining.readState(dir.resolve("warm-second"));
        assertThat(secondState.warmStart().epochsBefore()).isEqualTo(3);
        assertThat(secondState.globalStep())
                .isEqualTo(CvaeTraining.readState(dir.resolve("warm-whole")).globalStep());
    }

    @Test
    void aWarmStartFromAnotherSplitOrNoCheckpointIsRefusedBeforeAnyWork() {
        Path source = dir.resolve("warm-other-split");
        CvaeTraining.train(
                data,
                new CvaeTraining.Spec(
                        spec.preset(), spec.conditioning(), spec.settings().withEpochs(1), "clip-test", "synth-40"),
                source,
                QUIET);
        CvaeTraining.Spec otherSeed =
                warmFrom(source, spec.settings().withEpochs(1).withSeed(8), "synth-40");
        Path target = dir.resolve("warm-refused");
        assertThatThrownBy(() -> CvaeTraining.checkWarmStart(otherSeed, CvaeFixtures.DIM, data.count(), target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the same images and split");
        assertThatThrownBy(() -> CvaeTraining.train(data, otherSeed, target, QUIET))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(target).doesNotExist();

        CvaeTraining.Spec otherData = warmFrom(source, spec.settings().withEpochs(1), "synth-other");
        assertThatThrownBy(() -> CvaeTraining.checkWarmStart(otherData, CvaeFixtures.DIM, data.count(), target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("40 images of synth-40");
        CvaeTraining.Spec sameData = warmFrom(source, spec.settings().withEpochs(1), "synth-40");
        assertThatThrownBy(() -> CvaeTraining.checkWarmStart(sameData, CvaeFixtures.DIM, 41, target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the same images and split");
        CvaeTraining.checkWarmStart(sameData, CvaeFixtures.DIM, data.count(), target);

        CvaeTraining.Spec fromNothing =
                warmFrom(dir.resolve("no-such-run"), spec.settings().withEpochs(1), "synth-40");
        assertThatThrownBy(() -> CvaeTraining.checkWarmStart(fromNothing, CvaeFixtures.DIM, data.count(), target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no finished epoch");
    }

    private static List<Object> losses(CvaeTraining.Outcome outcome) {
        return outcome.history().stream()
                .map(r -> (Object) List.of(r.train(), r.validation()))
                .toList();
    }

    @Test
    void exportedDecoderMatchesTheCheckpointAndIsChecked() throws IOException {
        CvaeTraining.Spec oneEpoch = new CvaeTraining.Spec(
                spec.preset(), ConditioningMode.IMAGE, spec.settings().withEpochs(1), "clip-test", "synth-40");
        CvaeTraining.Outcome outcome = CvaeTraining.train(data, oneEpoch, dir.resolve("export-work"), QUIET);
        Path model = dir.resolve("export-model");
        DecoderCard card = CvaeTraining.export(outcome, oneEpoch, CvaeFixtures.DIM, "tiny-1", model);
        assertThat(card.files()).containsKey("saved_model.pb").containsKey("variables/variables.index");
        assertThat(card.clipModelId()).isEqualTo("clip-test");
        assertThat(card.history()).hasSize(1);

        int n = 4;
        float[] c = CvaeFixtures.unitVectors(n, new java.util.SplittableRandom(2));
        float[] z = new float[n * 128];
        for (int i = 0; i < n; i++) {
            System.arraycopy(Decoder.latent(100 + i, 128), 0, z, i * 128, 128);
        }
        float[] reference = DecoderExport.decodeFromCheckpoint(
                outcome.bestCheckpoint(), CvaePreset.TINY_32, CvaeFixtures.DIM, z, c, n);
        try (Decoder decoder = Decoder.load(model)) {
            // Batch normalisation is folded into the convolutions at export: equal up to float rounding.
            assertThat(decoder.decodeLatents(c, z, n)).containsExactly(reference, within(1e-4f));
            List<BufferedImage> images = decoder.decodeImages(c, new long[] {100, 101, 102, 103});
            assertThat(images)
                    .hasSize(4)
                    .allSatisfy(i -> assertThat(i.getWidth()).isEqualTo(32));
        }

        Files.write(model.resolve("variables/variables.index"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Decoder.load(model))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("variables/variables.index does not match its checksum");
        assertThatThrownBy(() -> Decoder.load(dir.resolve("export-work")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is not a Meadow decoder: model.json is missing");
    }

    @Test
    void aDifferentTrainingRefusesSomebodyElsesCheckpoint() {
        CvaeTraining.Spec image = new CvaeTraining.Spec(
                spec.preset(), ConditioningMode.IMAGE, spec.settings().withEpochs(1), "clip-test", "synth-40");
        CvaeTraining.train(data, image, dir.resolve("mine"), QUIET);
        CvaeTraining.Spec text = new CvaeTraining.Spec(
                spec.preset(), ConditioningMode.TEXT, spec.settings().withEpochs(1), "clip-test", "synth-40");
        assertThatThrownBy(() -> CvaeTraining.train(data, text, dir.resolve("mine"), QUIET))
                .hasMessageContaining("holds a checkpoint of a different training");
        // Resuming with another loss weight would change the training half-way through.
        CvaeTraining.Spec otherKl = new CvaeTraining.Spec(
                spec.preset(),
                ConditioningMode.IMAGE,
                spec.settings().withEpochs(2).withKlWeight(0.1f),
                "clip-test",
                "synth-40");
        assertThatThrownBy(() -> CvaeTraining.train(data, otherKl, dir.resolve("mine"), QUIET))
                .hasMessageContaining("holds a checkpoint of a different training");
    }

    /** {@link #spec}'s preset and conditioning with {@code settings}, warm-started from {@code source}. */
    private static CvaeTraining.Spec warmFrom(Path source, TrainingSettings settings, String dataset) {
        return new CvaeTraining.Spec(spec.preset(), spec.conditioning(), settings, "clip-test", dataset, null, source);
    }
}
