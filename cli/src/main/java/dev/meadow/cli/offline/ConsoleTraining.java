package dev.meadow.cli.offline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.meadow.cli.common.Progress;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.LossBreakdown;
import dev.meadow.dataset.Snapshot;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.DatasetEmbedder;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.EpochReport;
import dev.meadow.model.cvae.StepListener;
import me.tongfei.progressbar.ProgressBar;

/**
 * Training a decoder at the console, as {@code meadow train} and {@code meadow experiment paper-table} both do:
 * embedding with a progress bar, training with one bar per epoch, and the epoch table at the end.
 */
public final class ConsoleTraining {

    private ConsoleTraining() {}

    /** Embeds a snapshot's images and captions with CLIP, showing progress, and loads its pixels. */
    public static CvaeData embed(Snapshot snapshot, ClipModel clipModel, int imageSize) {
        int items = snapshot.size()
                + snapshot.captionsByImage().values().stream()
                        .mapToInt(java.util.List::size)
                        .sum();
        DatasetEmbedder.Embedded embedded;
        try (ProgressBar bar = Progress.bar("embedding", items)) {
            embedded = DatasetEmbedder.embed(snapshot, clipModel, bar::stepTo);
        }
        return CvaeData.of(snapshot, imageSize, embedded.images(), embedded.captions());
    }

    /**
     * Trains (resuming from {@code workDir}), exports to {@code out} and prints the epoch table.
     *
     * @param conditionNoise the exported decoder's condition noise ({@link CvaeTraining#export})
     */
    public static CvaeTraining.Outcome trainAndExport(
            CvaeData data,
            CvaeTraining.Spec spec,
            Path workDir,
            String id,
            Path out,
            float conditionNoise,
            PrintWriter console) {
        CvaeTraining.Outcome outcome;
        try {
            outcome = CvaeTraining.train(data, spec, workDir, new BarListener(console));
        } catch (IllegalArgumentException | IllegalStateException | InvalidModelException e) {
            throw new UserError(e.getMessage(), e);
        }
        DecoderCard card = CvaeTraining.export(outcome, spec, data.dimension(), id, out, conditionNoise);
        console.println();
        printTable(console, outcome);
        console.printf(
                Locale.ROOT,
                "Decoder %s (%s, %s conditioning, %,d parameters) written to %s%n"
                        + "Best validation loss %.1f at epoch %d.%n",
                card.modelId(),
                card.preset(),
                spec.conditioning(),
                outcome.parameters(),
                out,
                outcome.bestValidation().total(),
                outcome.bestEpoch());
        return outcome;
    }

    /** A part of the loss that only some trainings have: a column when any epoch has it. */
    private record OptionalPart(String header, Function<LossBreakdown, Double> part, String format) {}

    private static final List<OptionalPart> OPTIONAL_PARTS = List.of(
            new OptionalPart("1-cos train / validation", LossBreakdown::clipLoss, " | %6.4f / %6.4f"),
            new OptionalPart("perceptual train / validation", LossBreakdown::perceptualLoss, " | %7.4f / %7.4f"),
            new OptionalPart("adversarial train / validation", LossBreakdown::adversarialLoss, " | %6.3f / %6.3f"),
            new OptionalPart("critic train / validation", LossBreakdown::criticLoss, " | %6.3f / %6.3f"));

    static void printTable(PrintWriter console, CvaeTraining.Outcome outcome) {
        List<OptionalPart> shown = OPTIONAL_PARTS.stream()
                .filter(column ->
                        outcome.history().stream().anyMatch(r -> column.part().apply(r.validation()) != null))
                .toList();
        StringBuilder header = new StringBuilder(
                "epoch | train: total      bce      kl  1-ssim | validation: total      bce      kl  1-ssim |   img/s");
        shown.forEach(column -> header.append(" | ").append(column.header()));
        console.println(header);
        for (EpochReport r : outcome.history()) {
            StringBuilder row = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%5d | %12.1f %8.1f %7.1f %7.4f | %17.1f %8.1f %7.1f %7.4f | %7.1f",
                    r.epoch(),
                    r.train().total(),
                    r.train().bce(),
                    r.train().kl(),
                    r.train().ssimLoss(),
                    r.validation().total(),
                    r.validation().bce(),
                    r.validation().kl(),
                    r.validation().ssimLoss(),
                    r.imagesPerSecond()));
            for (OptionalPart column : shown) {
                row.append(String.format(
                        Locale.ROOT,
                        column.format(),
                        column.part().apply(r.train()),
                        column.part().apply(r.validation())));
            }
            console.println(row.append(r.epoch() == outcome.bestEpoch() ? "  <- best" : ""));
        }
    }

    private static final class BarListener implements CvaeTraining.Listener {

        private final PrintWriter console;
        private int epochs;

        BarListener(PrintWriter console) {
            this.console = console;
        }

        @Override
        public void started(
                int firstEpoch,
                int epochs,
                int trainImages,
                int validationImages,
                java.util.List<EpochReport> history) {
            this.epochs = epochs;
            console.printf(
                    "%s: %d training and %d validation images, epochs %d..%d%n",
                    history.isEmpty() ? "Training" : "Resuming from the last checkpoint",
                    trainImages,
                    validationImages,
                    firstEpoch,
                    epochs);
            console.flush();
        }

        @Override
        public StepListener epochStarted(int epoch) {
            ProgressBar[] bar = new ProgressBar[1];
            return (step, steps, loss) -> {
                if (bar[0] == null) {
                    bar[0] = Progress.bar(String.format("epoch %d/%d", epoch, epochs), steps);
                }
                bar[0].stepTo(step);
                bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.1f", loss));
                if (step == steps) {
                    bar[0].close();
                }
            };
        }
    }
}
