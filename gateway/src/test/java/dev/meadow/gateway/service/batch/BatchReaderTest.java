package dev.meadow.gateway.service.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.meadow.gateway.service.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** Byte-level edge cases of prompts files: byte-order marks, bytes that are not UTF-8, and very long lines. */
class BatchReaderTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final int LIMIT = 1000;

    @Test
    void aByteOrderMarkIsIgnoredInEveryFormat() {
        List<BatchItem> text = readAll(withBom("# a comment\n--seed 5 a red barn\n"), BatchFormat.TEXT);
        assertThat(text).hasSize(1);
        assertThat(text.get(0).prompt()).isEqualTo("a red barn");
        assertThat(text.get(0).seed()).isEqualTo(5L);
        assertThat(text.get(0).where()).isEqualTo("line 2");

        List<BatchItem> lines = readAll(withBom("{\"prompt\": \"a cow\", \"seed\": 3}\n"), BatchFormat.JSON_LINES);
        assertThat(lines).extracting(BatchItem::prompt).containsExactly("a cow");

        List<BatchItem> array = readAll(withBom("[\"a sheep\"]"), BatchFormat.JSON);
        assertThat(array).extracting(BatchItem::prompt).containsExactly("a sheep");
    }

    @Test
    void aJsonItemSaysWhetherToDrawThroughThePriorAndNothingElseServesAsAnAnswer() {
        List<BatchItem> lines = readAll(
                bytes("{\"prompt\": \"a cow\", \"prior\": false}\n", "{\"prompt\": \"a sheep\", \"prior\": true}\n"),
                BatchFormat.JSON_LINES);
        assertThat(lines).extracting(BatchItem::prior).containsExactly(false, true);
        assertThatThrownBy(() -> readAll(bytes("{\"prompt\": \"a cow\", \"prior\": \"no\"}\n"), BatchFormat.JSON_LINES))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("line 1: prior must be true or false");
    }

    @Test
    void aByteOrderMarkIsOnlyIgnoredAtTheStart() {
        List<BatchItem> text = readAll(bytes("a cow\n", "\uFEFFa sheep\n"), BatchFormat.TEXT);
        assertThat(text).extracting(BatchItem::prompt).containsExactly("a cow", "\uFEFFa sheep");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheLine() {
        byte[] body = concat(
                bytes("a cow\n", "a sheep\n"), new byte[] {'a', ' ', (byte) 0xC3, (byte) 0x28, '\n'}, bytes("grass\n"));
        for (BatchFormat format : List.of(BatchFormat.TEXT, BatchFormat.JSON_LINES)) {
            byte[] input = format == BatchFormat.TEXT
                    ? body
                    : concat(bytes("\"a cow\"\n", "\"a sheep\"\n"), new byte[] {'"', (byte) 0xFF, '"', '\n'});
            assertThatThrownBy(() -> readAll(input, format))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("line 3: not valid UTF-8; save the file as UTF-8 text");
        }
        byte[] json = concat(bytes("[\"a cow\", \""), new byte[] {(byte) 0xFF}, bytes("\"]"));
        assertThatThrownBy(() -> readAll(json, BatchFormat.JSON))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("item 2: not valid UTF-8");
    }

    @Test
    void aPngIsNotAPromptsFile() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertThatThrownBy(() -> readAll(png, BatchFormat.TEXT))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("line 1: not valid UTF-8; save the file as UTF-8 text");
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedWithoutReadingItAll() {
        for (BatchFormat format : List.of(BatchFormat.TEXT, BatchFormat.JSON_LINES)) {
            CountingInputStream endless = new CountingInputStream(bytes("\"a cow\"\n"), 300_000_000L);
            assertThatThrownBy(() -> readAll(endless, format))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("line 2 is longer than " + LIMIT + " bytes, the limit for one line");
            assertThat(endless.read).as("bytes read of a 300 MB line").isLessThan(200_000L);
        }
    }

    @Test
    void aLineAtTheLimitIsRead() {
        String prompt = "a".repeat(LIMIT);
        assertThat(readAll(bytes(prompt + "\r\n", "b\r", "c"), BatchFormat.TEXT))
                .extracting(BatchItem::where)
                .containsExactly("line 1", "line 2", "line 3");
    }

    @Test
    void aJsonStringLongerThanTheLimitIsRefused() {
        byte[] body = bytes("[\"a cow\", \"" + "a".repeat(LIMIT * 2) + "\"]");
        assertThatThrownBy(() -> readAll(body, BatchFormat.JSON))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("item 2 holds a string longer than " + LIMIT + " characters, the limit for one string");
    }

    private static List<BatchItem> readAll(byte[] body, BatchFormat format) {
        return readAll(new ByteArrayInputStream(body), format);
    }

    private static List<BatchItem> readAll(InputStream body, BatchFormat format) {
        List<BatchItem> items = new ArrayList<>();
        try (BatchReader reader = BatchReader.open(body, format, LIMIT)) {
            BatchItem item;
            while ((item = reader.next()) != null) {
                items.add(item);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return items;
    }

    private static byte[] withBom(String text) {
        return concat(BOM, bytes(text));
    }

    private static byte[] bytes(String... lines) {
        return String.join("", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A head followed by {@code length} bytes of 'a' that are made up as they are read, never held. */
    private static final class CountingInputStream extends InputStream {

        private final byte[] head;
        private final long length;
        long read;

        CountingInputStream(byte[] head, long length) {
            this.head = head;
            this.length = length;
        }

        @Override
        public int read() {
            if (read >= head.length + length) {
                return -1;
            }
            int b = read < head.length ? head[(int) read] : 'a';
            read++;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) {
            int n = 0;
            while (n < count) {
                int b = read();
                if (b < 0) {
                    return n == 0 ? -1 : n;
                }
                buffer[offset + n++] = (byte) b;
            }
            return n;
        }
    }
}
