package dev.meadow.eval;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

import dev.meadow.contracts.EvalReport;
import dev.meadow.image.ImageArrays;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.model.cvae.ConditionNoise;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.Sampling;

/**
 * Judges a decoder: one image per prompt, each prompted with the conditioning CLIP's TEXT embedding (as users
 * prompt it), then graded by a separately trained judge CLIP and by the attribute detectors.
 */
public final class Evaluation {

    private static final int BATCH = 64;

    /** Prompts drawn {@link #SPREAD_DRAWS} times each for the seed spread: enough for its mean, cheap to draw. */
    static final int SPREAD_PROMPTS = 64;

    static final int SPREAD_DRAWS = 4;

    /** Pictures kept of each misreading (an attribute's value read as another), unless told otherwise. */
    public static final int MISREAD_EXAMPLES = 2;

    /**
     * @param seed latent seed of the first image (image i uses seed + i) and of the distractor draw; the seed
     *     spread's extra draw d of prompt p uses seed + n (d + 1) + p, so that eval seeds one apart share none
     * @param samples how many generated images to keep with the report
     * @param temperature scale of the latents (1: as trained; see {@link Sampling})
     * @param candidates pictures drawn per prompt, of which the conditioning CLIP keeps the closest to the prompt
     *     ({@link ClipReranker}); 1 draws one picture
     * @param conditionNoise each picture's condition drawn from a neighbourhood of its prompt's ({@link
     *     ConditionNoise}); 0 keeps the prompt's, null draws as the decoder's card says (as the services do)
     * @param misreadExamples pictures kept of each way an attribute is misread
     */
    public record Settings(
            long seed,
            int distractors,
            int samples,
            float temperature,
            int candidates,
            Float conditionNoise,
            int misreadExamples) {

        public Settings {
            if (conditionNoise != null) {
                ConditionNoise.check(conditionNoise);
            }
            if (misreadExamples < 0) {
                throw new IllegalArgumentException("misread examples must not be negative, not " + misreadExamples);
            }
        }

        public Settings(
                long seed, int distractors, int samples, float temperature, int candidates, Float conditionNoise) {
            this(seed, distractors, samples, temperature, candidates, conditionNoise, MISREAD_EXAMPLES);
        }

        public Settings(long seed, int distractors, int samples) {
            this(seed, distractors, samples, 1f, 1, null);
        }

        public Settings(long seed, int distractors, int samples, float temperature) {
            this(seed, distractors, samples, temperature, 1, null);
        }

        public Settings(long seed, int distractors, int samples, float temperature, int candidates) {
            this(seed, distractors, samples, temperature, candidates, null);
        }

        /** How {@code decoder} draws under these settings. */
        public Sampling sampling(Decoder decoder) {
            return decoder.sampling(conditionNoise).withTemperature(temperature);
        }

        public static Settings defaults() {
            return new Settings(0, RPrecision.DEFAULT_DISTRACTORS, 32);
        }
    }

    /**
     * The report and its pictures: the samples in the order of {@link EvalReport#samples()}, and the attributes'
     * misread examples by file name.
     */
    public record Outcome(
            EvalReport report, List<BufferedImage> sampleImages, Map<String, BufferedImage> misreadImages) {}

    private Evaluation() {}

    /**
     * @param realImages held-out real pictures for the Fréchet distance; may be empty
     * @param progress hears the number of prompts' pictures drawn so far, up to {@link #pictures}
     */
    public static Outcome run(
            String reportId,
            Decoder decoder,
            ClipModel conditioning,
            ClipModel judge,
            List<EvalPrompt> prompts,
            List<BufferedImage> realImages,
            AttributeDetectors detectors,
            Settings settings,
            IntConsumer progress) {
        long started = System.nanoTime();
        ClipReranker reranker = new ClipReranker(decoder, conditioning);
        Sampling sampling = settings.sampling(decoder);
        int n = prompts.size();
        List<String> texts = prompts.stream().map(EvalPrompt::prompt).toList();
        float[][] judgeImages = new float[n][];
        List<ClipReranker.Choice> kept = new ArrayList<>();
        List<Map<Attribute, String>> detected = new ArrayList<>(n);
        Map<String, Misread> misreadExamples = new LinkedHashMap<>();
        Map<String, Integer> keptPerMisreading = new HashMap<>();
        List<PictureSpectrum.Measures> generated = new ArrayList<>(n);
        List<BufferedImage> edgePictures = new ArrayList<>(n);
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            float[][] conditions = conditioning.encodeText(texts.subList(start, end));
            long[] seeds = new long[end - start];
            for (int i = start; i < end; i++) {
                seeds[i - start] = settings.seed() + i;
            }
            List<ClipReranker.Choice> choices = reranker.decode(conditions, seeds, sampling, settings.candidates());
            List<BufferedImage> images = ClipReranker.images(choices);
            for (BufferedImage image : images) {
                generated.add(PictureSpectrum.of(image));
            }
            float[][] embedded = judge.encodeImages(images);
            System.arraycopy(embedded, 0, judgeImages, start, end - start);
            List<Map<Attribute, String>> read = detectors.detect(images);
            edgePictures.addAll(images);
            for (int i = start; i < end; i++) {
                Map<Attribute, String> found = read.get(i - start);
                detected.add(found);
                keepMisread(
                        misreadExamples,
                        keptPerMisreading,
                        settings.misreadExamples(),
                        prompts.get(i),
                        found,
                        detectors,
                        i,
                        choices.get(i - start));
                if (kept.size() < settings.samples()) {
                    kept.add(choices.get(i - start));
                }
            }
            progress.accept(end);
        }
        Spreads spreads = n < 2
                ? null
                : seedSpread(
                        reranker, conditioning, judge, prompts, n, settings, sampling, decoder.imageSize(), progress);
        EvalReport.Diversity diversity = spreads == null ? null : spreads.diversity();
        EvalReport.Variety variety = spreads == null ? null : spreads.variety();
        float[][] judgeTexts = judge.encodeText(texts);
        int[] ranks = RPrecision.ranks(judgeImages, texts, judgeTexts, settings.distractors(), settings.seed());
        ClipScore score = ClipScore.of(judgeImages, judgeTexts);

        Double frechet = null;
        Double floor = null;
        if (realImages.size() >= 2) {
            float[][] real = encodeImages(judge, realImages);
            frechet = FrechetDistance.between(judgeImages, real);
            // Two halves of the real images: how far apart same-distribution sets of this size already are.
            float[][] firstHalf = Arrays.copyOfRange(real, 0, real.length / 2);
            float[][] secondHalf = Arrays.copyOfRange(real, real.length / 2, real.length);
            if (firstHalf.length >= 2 && secondHalf.length >= 2) {
                floor = FrechetDistance.between(firstHalf, secondHalf);
            }
        }

        Map<String, EvalReport.AttributeScore> attributes = new LinkedHashMap<>();
        Map<String, EvalReport.DetectorScore> detectorScores = new LinkedHashMap<>();
        for (Attribute attribute : Attribute.values()) {
            if (!detectors.readable().contains(attribute)) {
                continue;
            }
            boolean used = detectors.trusted().contains(attribute);
            detectorScores.put(
                    attribute.key(),
                    new EvalReport.DetectorScore(
                            detectors.accuracyOnRenders().get(attribute),
                            detectors.accuracyOnBlurredRenders().get(attribute),
                            used));
            if (!used) {
                continue;
            }
            int known = 0;
            int right = 0;
            Map<String, Map<String, Integer>> misread = new TreeMap<>();
            List<EvalReport.Sample> examples = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String expected = attribute.of(prompts.get(i).attributes());
                if (expected != null) {
                    known++;
                    String found = detected.get(i).get(attribute);
                    if (expected.equals(found)) {
                        right++;
                    } else {
                        misread.computeIfAbsent(expected, k -> new TreeMap<>()).merge(found, 1, Integer::sum);
                    }
                }
            }
            misreadExamples.forEach((file, example) -> {
                if (example.attribute() == attribute) {
                    examples.add(
                            sample(file, example.index(), example.choice().seed(), texts, ranks, prompts, detected));
                }
            });
            if (known > 0) {
                attributes.put(
                        attribute.key(),
                        new EvalReport.AttributeScore((double) right / known, known, misread, examples));
            }
        }

        List<EvalReport.Sample> samples = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            samples.add(sample(
                    String.format("sample-%03d.png", i), i, kept.get(i).seed(), texts, ranks, prompts, detected));
        }
        DecoderCard card = decoder.card();
        boolean drawsThroughPrior = sampling.prior() && decoder.prior() != null;
        EvalReport report = new EvalReport(
                reportId,
                card.modelId(),
                card.preset(),
                card.conditioning().id(),
                card.imageSize(),
                conditioning.modelId(),
                judge.modelId(),
                card.bestEpoch() > 0 ? card.bestEpoch() : null,
                card.bestValidation() != null ? card.bestValidation().total() : null,
                n,
                settings.seed(),
                Double.valueOf(Float.toString(sampling.temperature())),
                settings.candidates(),
                // A prior draws the condition in place of the noise (Decoder.decode): none was applied.
                Double.valueOf(Float.toString(drawsThroughPrior ? 0f : sampling.conditionNoise())),
                settings.distractors(),
                RPrecision.recallAt(ranks, 1),
                RPrecision.recallAt(ranks, 5),
                score.meanCosine(),
                score.clipScore(),
                frechet,
                floor,
                realImages.size(),
                pictureScores(generated, realImages, card.imageSize()),
                diversity,
                attributes,
                detectorScores,
                samples,
                (System.nanoTime() - started) / 1e9,
                Instant.now(),
                detectors.sceneJudgeId(),
                variety,
                edgeColumns(edgePictures, realImages, card.imageSize()),
                drawsThroughPrior ? decoder.prior().modelId() : null);
        Map<String, BufferedImage> misreadImages = new LinkedHashMap<>();
        misreadExamples.forEach(
                (file, example) -> misreadImages.put(file, example.choice().image()));
        return new Outcome(report, ClipReranker.images(kept), misreadImages);
    }

    /** A picture whose detected attribute is not the one its prompt asked for. */
    private record Misread(Attribute attribute, int index, ClipReranker.Choice choice) {}

    /** Keeps picture {@code index} if it is among the first of a misreading of a judged attribute. */
    private static void keepMisread(
            Map<String, Misread> kept,
            Map<String, Integer> keptPerMisreading,
            int perMisreading,
            EvalPrompt prompt,
            Map<Attribute, String> found,
            AttributeDetectors detectors,
            int index,
            ClipReranker.Choice choice) {
        for (Attribute attribute : detectors.trusted()) {
            String asked = attribute.of(prompt.attributes());
            String read = found.get(attribute);
            if (asked == null || asked.equals(read)) {
                continue;
            }
            String kind = "misread-" + attribute.key() + "-" + asked + "-as-" + read + "-";
            int already = keptPerMisreading.getOrDefault(kind, 0);
            if (already < perMisreading) {
                kept.put(kind + already + ".png", new Misread(attribute, index, choice));
                keptPerMisreading.put(kind, already + 1);
            }
        }
    }

    private static EvalReport.Sample sample(
            String file,
            int i,
            long seed,
            List<String> texts,
            int[] ranks,
            List<EvalPrompt> prompts,
            List<Map<Attribute, String>> detected) {
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> found = new LinkedHashMap<>();
        for (Attribute attribute : Attribute.values()) {
            String read = detected.get(i).get(attribute);
            if (read == null) {
                continue;
            }
            String value = attribute.of(prompts.get(i).attributes());
            if (value != null) {
                expected.put(attribute.key(), value);
            }
            found.put(attribute.key(), read);
        }
        return new EvalReport.Sample(file, texts.get(i), seed, ranks[i], expected, found);
    }

    /** The prompts' pictures an evaluation of {@code prompts} prompts draws: one each, and the seed spread's. */
    public static int pictures(int prompts) {
        return prompts < 2 ? prompts : prompts + Math.min(prompts, SPREAD_PROMPTS) * SPREAD_DRAWS;
    }

    /** The seed spread in judge space, and (where the prompts have scenes) the seed variety against renders. */
    private record Spreads(EvalReport.Diversity diversity, EvalReport.Variety variety) {}

    /**
     * Draws the first prompts {@link #SPREAD_DRAWS} times more, with seeds after the ones the main draw used (a
     * run of n per draw, as the main draw's), as the main draw does (sampling and candidates included): the spread
     * users see when they ask for several seeds. Where the prompts come with their scenes, renders of each scene
     * description with its layout drawn afresh give the reference for the seed variety.
     */
    private static Spreads seedSpread(
            ClipReranker reranker,
            ClipModel conditioning,
            ClipModel judge,
            List<EvalPrompt> evalPrompts,
            int n,
            Settings settings,
            Sampling sampling,
            int size,
            IntConsumer progress) {
        int prompts = Math.min(n, SPREAD_PROMPTS);
        List<String> texts = evalPrompts.stream().map(EvalPrompt::prompt).toList();
        float[][] conditions = conditioning.encodeText(texts.subList(0, prompts));
        float[][][] embeddings = new float[prompts][SPREAD_DRAWS][];
        float[][][] pixels = new float[prompts][SPREAD_DRAWS][];
        int pictures = prompts * SPREAD_DRAWS;
        for (int start = 0; start < pictures; start += BATCH) {
            int end = Math.min(pictures, start + BATCH);
            float[][] batch = new float[end - start][];
            long[] seeds = new long[end - start];
            for (int k = start; k < end; k++) {
                batch[k - start] = conditions[k / SPREAD_DRAWS];
                seeds[k - start] = settings.seed() + (long) n * (k % SPREAD_DRAWS + 1) + k / SPREAD_DRAWS;
            }
            List<BufferedImage> images =
                    ClipReranker.images(reranker.decode(batch, seeds, sampling, settings.candidates()));
            float[][] embedded = judge.encodeImages(images);
            for (int k = start; k < end; k++) {
                embeddings[k / SPREAD_DRAWS][k % SPREAD_DRAWS] = embedded[k - start];
                pixels[k / SPREAD_DRAWS][k % SPREAD_DRAWS] = ImageArrays.toFloats(images.get(k - start));
            }
            progress.accept(n + end);
        }
        EvalReport.Diversity diversity = SeedSpread.of(embeddings);
        List<BufferedImage> renders = SeedVariety.renders(evalPrompts.subList(0, prompts), SPREAD_DRAWS, size);
        if (renders == null) {
            return new Spreads(diversity, null);
        }
        float[][] renderEmbeddings = encodeImages(judge, renders);
        float[][][] renderJudge = new float[prompts][SPREAD_DRAWS][];
        float[][][] renderPixels = new float[prompts][SPREAD_DRAWS][];
        for (int k = 0; k < pictures; k++) {
            renderJudge[k / SPREAD_DRAWS][k % SPREAD_DRAWS] = renderEmbeddings[k];
            renderPixels[k / SPREAD_DRAWS][k % SPREAD_DRAWS] = ImageArrays.toFloats(renders.get(k));
        }
        return new Spreads(diversity, SeedVariety.of(embeddings, pixels, renderJudge, renderPixels));
    }

    /** Edge lines of the generated pictures, and of the real ones at the decoder's size; null below 32 pixels. */
    private static EvalReport.EdgeColumns edgeColumns(
            List<BufferedImage> generated, List<BufferedImage> realImages, int size) {
        if (generated.isEmpty() || size < 4 * EdgeColumns.EDGE) {
            return null;
        }
        return new EvalReport.EdgeColumns(
                EdgeColumns.anomaly(generated, size),
                realImages.isEmpty() ? null : EdgeColumns.anomaly(realImages, size));
    }

    /** The real pictures are measured at the decoder's size, as training prepares them: the measures depend on it. */
    private static EvalReport.PictureScores pictureScores(
            List<PictureSpectrum.Measures> generated, List<BufferedImage> realImages, int size) {
        if (generated.isEmpty()) {
            return null;
        }
        PictureSpectrum.Measures mean = PictureSpectrum.Measures.mean(generated);
        PictureSpectrum.Measures real = PictureSpectrum.mean(realImages.stream()
                .map(image -> ImageArrays.squareResize(image, size))
                .toList());
        return new EvalReport.PictureScores(
                mean.sharpness(),
                mean.grid(),
                real == null ? null : real.sharpness(),
                real == null ? null : real.grid());
    }

    private static float[][] encodeImages(ClipModel judge, List<BufferedImage> images) {
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += BATCH) {
            int end = Math.min(images.size(), start + BATCH);
            System.arraycopy(judge.encodeImages(images.subList(start, end)), 0, out, start, end - start);
        }
        return out;
    }
}
