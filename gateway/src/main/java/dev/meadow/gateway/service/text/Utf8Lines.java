package dev.meadow.gateway.service.text;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 text, split on bytes (a line feed never occurs inside a UTF-8 sequence) so that each is decoded
 * strictly on its own and a bad byte is blamed on its line; no line longer than a limit is ever held, and a
 * byte-order mark at the start is dropped. Lines end with LF, CRLF or CR.
 */
public final class Utf8Lines implements Closeable {

    /** A line that is too long or not UTF-8; {@link #line()} is its number, from 1. */
    public static final class BadLine extends RuntimeException {

        private final int line;
        private final boolean tooLong;

        BadLine(int line, boolean tooLong) {
            super("line " + line + (tooLong ? " is too long" : " is not UTF-8"), null, false, false);
            this.line = line;
            this.tooLong = tooLong;
        }

        public int line() {
            return line;
        }

        /** Longer than the limit; otherwise not valid UTF-8. */
        public boolean tooLong() {
            return tooLong;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int number;
    private boolean afterCarriageReturn;

    public Utf8Lines(InputStream in, int maxLineBytes) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.maxLineBytes = maxLineBytes;
    }

    /** The number of the line last returned. */
    public int number() {
        return number;
    }

    /** The next line without its terminator, or null at the end. */
    public String next() throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            boolean skipLineFeed = afterCarriageReturn && b == '\n';
            afterCarriageReturn = b == '\r';
            if (skipLineFeed) {
                continue;
            }
            if (b == '\n' || b == '\r') {
                return decode();
            }
            if (line.size() == maxLineBytes) {
                throw new BadLine(number + 1, true);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : decode();
    }

    private String decode() {
        number++;
        byte[] bytes = line.toByteArray();
        int start = number == 1
                        && bytes.length >= 3
                        && bytes[0] == (byte) 0xEF
                        && bytes[1] == (byte) 0xBB
                        && bytes[2] == (byte) 0xBF
                ? 3
                : 0;
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadLine(number, false);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
