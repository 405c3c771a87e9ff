package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code meadow eval} measured for one decoder, as written to {@code report.json}.
 *
 * @param temperature scale of the latents the images were drawn with (1 in reports written before it was recorded)
 * @param candidates pictures drawn per prompt, the conditioning CLIP keeping the closest (1: no reranking, as in
 *     reports written before it was recorded)
 * @param conditionNoise how far each picture's condition was drawn from its prompt's (0: not at all, as in reports
 *     written before it was recorded)
 * @param rPrecision share of images whose own prompt the judge ranks first among it and {@code distractors} others
 * @param frechetDistance between judge image embeddings of the generated and of the real images; null without real
 *     images
 * @param pictures sharpness and grid of the generated pictures beside those of the real ones; null in reports
 *     written before they were measured
 * @param diversity how much a prompt's pictures differ from seed to seed; null in reports written before it was
 *     measured
 * @param attributes per attribute key: accuracy of the generated images against the prompt's truth
 * @param detectors per attribute key: accuracy of the detector on unseen renders, and whether it was used
 * @param sceneJudgeModelId the scene judge that read the objects (animals, barn, mountains, ...); null when only
 *     colours were read
 * @param variety the seed spread as a share of that of renders of the same scene descriptions; null without scene
 *     ground truth, and in reports written before it was measured
 * @param edges the edge-column measure; null in reports written before it was measured
 * @param priorModelId the prior each picture's condition was drawn from; null when the prompts' text embeddings (with
 *     the decoder's condition noise) were the conditions
 */
public record EvalReport(
        String id,
        String modelId,
        String preset,
        String conditioning,
        int imageSize,
        String clipModelId,
        String judgeModelId,
        Integer bestEpoch,
        Double bestValidationLoss,
        int images,
        long seed,
        Double temperature,
        Integer candidates,
        Double conditionNoise,
        int distractors,
        double rPrecision,
        double rPrecisionAt5,
        double meanCosine,
        double clipScore,
        Double frechetDistance,
        Double realFrechetFloor,
        int realImages,
        PictureScores pictures,
        Diversity diversity,
        Map<String, AttributeScore> attributes,
        Map<String, DetectorScore> detectors,
        List<Sample> samples,
        double seconds,
        Instant createdAt,
        String sceneJudgeModelId,
        Variety variety,
        EdgeColumns edges,
        String priorModelId) {

    /** The accuracy on unseen renders an attribute detector needs before its attribute is judged at all. */
    public static final double REQUIRED_DETECTOR_ACCURACY = 0.95;

    public static final String FILE_NAME = "report.json";

    public EvalReport {
        temperature = temperature == null ? 1.0 : temperature;
        candidates = candidates == null ? 1 : candidates;
        conditionNoise = conditionNoise == null ? 0.0 : conditionNoise;
    }

    /**
     * Measures of the pictures themselves (see {@code PictureSpectrum}): the share of spectral power at high
     * frequencies, and the share of that at the frequencies stride-2 layers imprint; means over the generated
     * pictures and over the real ones, brought to the decoder's size (null without real pictures). No grid below 64
     * pixels.
     */
    public record PictureScores(double sharpness, Double grid, Double realSharpness, Double realGrid) {

        /** Sharpness as a share of the real pictures'; 1 is as sharp as they are. Null without real pictures. */
        public Double relativeSharpness() {
            return realSharpness == null || realSharpness == 0 ? null : sharpness / realSharpness;
        }

        /** Grid share as a multiple of the real pictures'; 1 is no more grid than they have. */
        public Double relativeGrid() {
            return grid == null || realGrid == null || realGrid == 0 ? null : grid / realGrid;
        }
    }

    /**
     * The judge's cosine distance between draws of one prompt with different seeds, as a share of that between
     * draws of different prompts.
     *
     * @param prompts prompts drawn several times
     * @param draws pictures per prompt
     * @param withinPrompts mean 1 - cos between two draws of one prompt
     * @param betweenPrompts mean 1 - cos between the first draws of two prompts
     */
    public record Diversity(int prompts, int draws, double withinPrompts, double betweenPrompts) {

        /** 0: every seed draws the same picture; 1: a prompt's seeds differ as much as different prompts do. */
        public Double seedSpread() {
            return betweenPrompts == 0 ? null : withinPrompts / betweenPrompts;
        }
    }

    /**
     * Seed variety: how far apart a prompt's pictures are from seed to seed (as a share of how far apart different
     * prompts' are), divided by the same share for Pastoral-Synth renders of the prompt's scene description with the
     * layout drawn afresh (horizon, clouds, where the animals stand). 1: the seeds vary a prompt's picture as much as
     * the scenes they imitate vary.
     *
     * @param prompts prompts drawn and rendered several times
     * @param draws pictures and renders per prompt
     * @param judge in judge-CLIP space (1 - cos)
     * @param pixels in pixels (root mean square difference)
     */
    public record Variety(int prompts, int draws, Spread judge, Spread pixels) {}

    /**
     * Mean distances between draws of one prompt and between first draws of different prompts, for the decoder and
     * for the renders.
     */
    public record Spread(double withinPrompts, double betweenPrompts, double rendersWithin, double rendersBetween) {

        public Double decoderSpread() {
            return betweenPrompts == 0 ? null : withinPrompts / betweenPrompts;
        }

        public Double rendersSpread() {
            return rendersBetween == 0 ? null : rendersWithin / rendersBetween;
        }

        /** The decoder's spread as a share of the renders'. */
        public Double variety() {
            Double decoder = decoderSpread();
            Double renders = rendersSpread();
            return decoder == null || renders == null || renders == 0 ? null : decoder / renders;
        }
    }

    /**
     * Lines along the left and right edges: in the mean horizontal-gradient profile of the pictures (one value per
     * column), how far the strongest column within 8 pixels of an edge stands out from the interior's median, in
     * units of the interior's robust deviation; for the generated pictures and for the real ones.
     */
    public record EdgeColumns(double anomaly, Double realAnomaly) {

        /** The generated pictures' anomaly as a multiple of the real ones'; 1 is no more edge lines than they have. */
        public Double relative() {
            return realAnomaly == null || realAnomaly == 0 ? null : anomaly / realAnomaly;
        }
    }

    /**
     * @param images images whose prompt states this attribute
     * @param misread per value the prompt asked for, how many of its images the detector read as each other value;
     *     values read right are not listed (null in reports written before it was recorded)
     * @param misreadExamples the first few pictures of each misreading, so that a reader can see whether the
     *     decoder or the detector is wrong (empty in older reports)
     */
    public record AttributeScore(
            double accuracy, int images, Map<String, Map<String, Integer>> misread, List<Sample> misreadExamples) {

        public AttributeScore(double accuracy, int images) {
            this(accuracy, images, null, null);
        }

        public AttributeScore {
            misreadExamples = misreadExamples == null ? List.of() : misreadExamples;
        }

        /** The misreadings, most frequent first, as "field as grass 12". */
        public List<String> commonestMisreadings(int limit) {
            if (misread == null) {
                return List.of();
            }
            return misread.entrySet().stream()
                    .flatMap(asked -> asked.getValue().entrySet().stream()
                            .map(read -> Map.entry(asked.getKey() + " as " + read.getKey(), read.getValue())))
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(limit)
                    .map(e -> e.getKey() + " " + e.getValue())
                    .toList();
        }
    }

    /** Every picture file the report names: its samples and the attributes' misread examples. */
    public boolean namesPicture(String file) {
        return samples.stream().anyMatch(s -> s.file().equals(file))
                || EvalReportSummary.misreadExamples(this).stream()
                        .anyMatch(s -> s.file().equals(file));
    }

    public record DetectorScore(double accuracyOnRenders, double accuracyOnBlurredRenders, boolean used) {}

    /** One generated image kept with the report. */
    public record Sample(
            String file,
            String prompt,
            long seed,
            int rank,
            Map<String, String> expected,
            Map<String, String> detected) {}
}
