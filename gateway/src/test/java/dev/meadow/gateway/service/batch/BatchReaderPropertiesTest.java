package dev.meadow.gateway.service.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.meadow.gateway.service.errors.InvalidRequestException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Whatever a client sends, a prompts file either parses or is refused with a reason; nothing else escapes. */
class BatchReaderPropertiesTest {

    /** Pieces that prompt files and JSON batches are made of, so that generated input often almost parses. */
    private static final List<String> PIECES = List.of(
            "--seed",
            "--count",
            "--model",
            "--candidates",
            "--prompt",
            "--batch_size",
            "--",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\"",
            "'",
            "a cow",
            "there's",
            "12",
            "-4294967295",
            "99999999999999999999",
            "#",
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"prompt\"",
            "\"seed\"",
            "\"count\"",
            "\"modelVersion\"",
            "\"candidates\"",
            "null",
            "true",
            "5.5",
            "\"a sheep\"",
            "\\",
            "\\u0000",
            "\u0000",
            "\uD83D\uDC04",
            "\uD83D",
            "\uFEFF",
            "é");

    @Provide
    Arbitrary<String> pieced() {
        return Arbitraries.of(PIECES).list().ofMaxSize(30).map(p -> String.join("", p));
    }

    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.oneOf(pieced(), Arbitraries.strings().all().ofMaxLength(200));
    }

    @Property(tries = 1000)
    void aPromptsFileLineParsesOrIsRefusedNamingItsLine(@ForAll("anything") String line) {
        try {
            BatchItem item = PromptLine.parse(line.strip(), "line 7");
            assertThat(item.where()).isEqualTo("line 7");
            assertThat(item.prompt()).isNotNull();
        } catch (InvalidRequestException e) {
            assertThat(e.getMessage()).startsWith("line 7: ");
        }
    }

    @Property(tries = 500)
    void aTextBatchReadsOrIsRefused(@ForAll("anything") String body) {
        readAll(body, BatchFormat.TEXT);
    }

    @Property(tries = 500)
    void aJsonLinesBatchReadsOrIsRefused(@ForAll("anything") String body) {
        readAll(body, BatchFormat.JSON_LINES);
    }

    @Property(tries = 500)
    void aJsonArrayBatchReadsOrIsRefused(@ForAll("anything") String body) {
        readAll("[" + body, BatchFormat.JSON);
        readAll(body, BatchFormat.JSON);
    }

    @Property(tries = 200)
    void arbitraryBytesReadOrAreRefused(@ForAll @StringLength(max = 300) String text, @ForAll byte[] bytes) {
        for (BatchFormat format : BatchFormat.values()) {
            readAll(new String(bytes, StandardCharsets.ISO_8859_1) + text, format);
        }
    }

    /** Reads every item; an {@link InvalidRequestException} is a refusal, and anything else fails the property. */
    private static void readAll(String body, BatchFormat format) {
        try (BatchReader reader =
                BatchReader.open(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), format, 16 * 1024)) {
            BatchItem item;
            while ((item = reader.next()) != null) {
                assertThat(item.where()).matches("(line|item) \\d+");
            }
        } catch (InvalidRequestException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (Exception e) {
            throw new AssertionError("format " + format + " threw " + e + " for " + body, e);
        }
    }
}
