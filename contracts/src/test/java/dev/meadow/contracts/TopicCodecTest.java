package dev.meadow.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TopicCodecTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");

    private static GenerationRequest request() {
        return GenerationRequest.of("b1-000001", "b1", 1, "a cow in the grass", 7, null, NOW);
    }

    @Test
    void generationRequestRoundTripsThroughJson() {
        byte[] bytes = Topics.PROMPTS.encode(request());
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"version\":1")
                .contains("\"seed\":7");
        assertThat(Topics.PROMPTS.decode(bytes)).isEqualTo(request());
    }

    @Test
    void bestOfNIsOptionalAndChecked() {
        String json = new String(Topics.PROMPTS.encode(request()), StandardCharsets.UTF_8);
        GenerationRequest older =
                Topics.PROMPTS.decode(json.replace(",\"candidates\":null", "").getBytes(StandardCharsets.UTF_8));
        assertThat(older.candidates()).isNull();
        assertThat(older.candidateCount()).isEqualTo(1);

        GenerationRequest best = request().withCandidates(16);
        assertThat(Topics.PROMPTS.decode(Topics.PROMPTS.encode(best)).candidateCount())
                .isEqualTo(16);
        assertThatThrownBy(() -> Topics.PROMPTS.encode(request().withCandidates(65)))
                .hasMessageContaining("candidates is 65; it must be between 1 and 64");
        assertThatThrownBy(() -> Topics.PROMPTS.encode(best.withTowards(new Towards("snow", 0.5))))
                .hasMessageContaining("a strip keeps one latent");
    }

    @Test
    void embeddedPromptKeepsItsVector() {
        EmbeddedPrompt embedded = EmbeddedPrompt.of(request(), new float[] {0.6f, -0.8f}, "clip-1", 12, NOW);
        byte[] json = Topics.EMBEDDINGS.encode(embedded);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"embedding\":\"mpkZP83MTL8=\"");
        EmbeddedPrompt decoded = Topics.EMBEDDINGS.decode(json);
        assertThat(decoded.embedding()).containsExactly(0.6f, -0.8f);
        String broken = new String(json, StandardCharsets.UTF_8).replace("mpkZP83MTL8=", "mpkZP83MTL");
        assertThatThrownBy(() -> Topics.EMBEDDINGS.decode(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidMessageException.class);
        assertThat(decoded.request()).isEqualTo(request());
    }

    @Test
    void modelEventsArePolymorphicOnOneTopic() {
        ModelPublished published = new ModelPublished(
                1,
                ModelKind.CVAE,
                "cvae-7",
                "cvae/cvae-7/",
                "small-64",
                "clip-1",
                ConditioningMode.IMAGE_NOISE,
                64,
                512,
                "snap-1",
                "run-1",
                1234.5,
                9,
                NOW,
                null,
                null);
        ModelActivated activated = ModelActivated.of(ModelKind.CVAE, "cvae-7", NOW);
        assertThat(Topics.MODELS.decode(Topics.MODELS.encode(published))).isEqualTo(published);
        assertThat(Topics.MODELS.decode(Topics.MODELS.encode(activated))).isEqualTo(activated);
        assertThat(new String(Topics.MODELS.encode(published), StandardCharsets.UTF_8))
                .contains("\"type\":\"published\"")
                .contains("\"conditioning\":\"image+noise\"");
        assertThat(published.key()).isEqualTo("cvae/cvae-7");
        assertThat(activated.key()).isEqualTo("cvae/active");
    }

    @Test
    void malformedJsonIsRejectedWithAReason() {
        assertThatThrownBy(() -> Topics.PROMPTS.decode("{\"version\":1,".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("malformed GenerationRequest on prompts");
        assertThatThrownBy(() -> Topics.PROMPTS.decode(new byte[0])).hasMessage("empty record on prompts");
    }

    @Test
    void everyProblemOfAnInvalidRecordIsNamed() {
        String json = """
                {"version":1,"jobId":"../etc/passwd","batchId":"b1","index":0,"prompt":"  ","seed":3,
                 "submittedAt":"2026-11-26T10:15:30Z"}""";
        assertThatThrownBy(() -> Topics.PROMPTS.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("jobId '../etc/passwd' must be")
                .hasMessageContaining("prompt is missing or blank");
    }

    @Test
    void aNewerSchemaVersionIsRefusedRatherThanMisread() {
        String json = """
                {"version":2,"jobId":"j","batchId":"b1","index":0,"prompt":"sheep","seed":3,
                 "submittedAt":"2026-11-26T10:15:30Z"}""";
        assertThatThrownBy(() -> Topics.PROMPTS.decode(json.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("version 2 is not supported");
    }

    @Test
    void missingPrimitiveFieldsAreNotSilentlyZero() {
        String json = """
                {"version":1,"jobId":"j","batchId":"b1","index":0,"prompt":"sheep",
                 "submittedAt":"2026-11-26T10:15:30Z"}""";
        assertThatThrownBy(() -> Topics.PROMPTS.decode(json.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("field 'seed'");
    }

    @Test
    void invalidRecordsAreNeverEncoded() {
        GenerationRequest tooLong =
                GenerationRequest.of("j", "b", 0, "x".repeat(GenerationRequest.MAX_PROMPT_LENGTH + 1), 1, null, NOW);
        assertThatThrownBy(() -> Topics.PROMPTS.encode(tooLong))
                .hasMessageContaining("refusing to publish")
                .hasMessageContaining("the maximum is " + GenerationRequest.MAX_PROMPT_LENGTH);
    }

    @Test
    void embeddingsWithNonFiniteValuesAreRejected() {
        EmbeddedPrompt bad = EmbeddedPrompt.of(request(), new float[] {0.1f, Float.NaN}, "clip-1", 1, NOW);
        assertThat(bad.problems()).containsExactly("embedding[1] is not a finite number");
    }

    @Test
    void resultsMustSayWhyTheyFailed() {
        GenerationResult failed = new GenerationResult(
                1,
                "j",
                "b",
                0,
                GenerationResult.Status.FAILED,
                "p",
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                NOW,
                null,
                null,
                null);
        assertThat(failed.problems()).containsExactly("failureReason is missing or blank");
    }

    @Test
    void topicNamesAreUniqueAndEmbeddingsScaleToTwelveGenerators() {
        Set<String> names = new HashSet<>();
        for (Topic<?> topic : Topics.ALL) {
            assertThat(names.add(topic.name())).as(topic.name()).isTrue();
            assertThat(names.add(topic.deadLetterTopic())).isTrue();
        }
        assertThat(Topics.EMBEDDINGS.partitions()).isGreaterThanOrEqualTo(12);
        assertThat(Topics.SNAPSHOT_EMBEDDINGS.partitions())
                .as("training happens in order")
                .isEqualTo(1);
        assertThat(Topics.MODELS.config()).containsEntry("cleanup.policy", "compact");
    }
}
