package dev.meadow.gateway.service.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

import dev.meadow.gateway.DatasetResourceTest;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import dev.meadow.testing.CocoFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an uploaded archive may hold, and what it costs to find out that it may not. */
class ArchiveExtractorTest {

    @TempDir
    Path dir;

    /** The gateway's default limits, with fewer entries allowed so that tests stay small. */
    record Limits(
            long maxArchiveBytes,
            long maxAnnotationsBytes,
            long maxExtractedBytes,
            int maxCompressionRatio,
            int maxEntries,
            long maxImageBytes,
            int maxImageSide,
            int defaultEpochs,
            int maxEpochs)
            implements GatewayConfig.Datasets {

        static Limits defaults() {
            return new Limits(512L << 20, 256L << 20, 2L << 30, 100, 1000, 20L << 20, 8192, 20, 10_000);
        }

        // Training defaults: not the extractor's business.
        public String defaultPreset() {
            return "small-64";
        }

        public String defaultConditioning() {
            return "image";
        }

        public int defaultBatchSize() {
            return 32;
        }

        public double defaultLearningRate() {
            return 1e-3;
        }

        public long defaultSeed() {
            return 42;
        }

        public double validationFraction() {
            return 0.1;
        }
    }

    private static final byte[] JPEG = CocoFixture.jpeg(new Random(4), true);

    private ArchiveExtractor.Extracted extract(Path archive) {
        return new ArchiveExtractor(Limits.defaults()).extract(archive, dir.resolve("out"), "captions.jsonl");
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        return DatasetResourceTest.zip(dir.resolve(name), entries);
    }

    private long bytesWritten() throws IOException {
        Path out = dir.resolve("out");
        if (!Files.exists(out)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    @Test
    void manyEntriesThatEachInflateLessThanAMegabyteAreRefusedBeforeAnythingIsWritten() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] megabyte = new byte[1 << 20];
        for (int i = 0; i < 500; i++) {
            entries.put("img" + i + ".png", megabyte);
        }
        Path archive = zip("spread-bomb.zip", entries);
        assertThat(Files.size(archive)).isLessThan(1 << 20);
        assertThatThrownBy(() -> extract(archive))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessageContaining("inflates to " + (500L << 20) + " bytes, more than 100 times its size")
                .satisfies(
                        e -> assertThat(((UploadRejectedException) e).status()).isEqualTo(413));
        assertThat(bytesWritten()).as("bytes extracted before the refusal").isZero();
    }

    @Test
    void tooManyEntriesAreRefusedBeforeAnyIsExtracted() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 1001; i++) {
            entries.put("img" + i + ".jpg", JPEG);
        }
        Path archive = zip("many.zip", entries);
        assertThatThrownBy(() -> extract(archive))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("the archive has more than 1000 files, the limit");
        assertThat(bytesWritten()).isZero();
    }

    @Test
    void windowsPathsAreReadAsPaths() throws IOException {
        Path archive = zip(
                "windows.zip",
                Map.of(
                        "dir\\sub.jpg",
                        JPEG,
                        "dir\\captions.jsonl",
                        "{\"image\": \"dir\\\\sub.jpg\", \"caption\": \"a cow\"}\n".getBytes()));
        ArchiveExtractor.Extracted extracted = extract(archive);
        assertThat(extracted.images()).containsOnlyKeys("sub.jpg");
        assertThat(extracted.images().get("sub.jpg")).exists().hasFileName("sub.jpg");
        assertThat(extracted.captions()).exists();
    }

    @Test
    void archiveLitterIsIgnored() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.jpg", JPEG);
        entries.put("Thumbs.db", new byte[] {1, 2, 3});
        entries.put("photos/desktop.ini", "[.ShellClassInfo]".getBytes());
        entries.put(".DS_Store", new byte[] {0, 0, 0, 1});
        entries.put("__MACOSX/._a.jpg", new byte[] {0, 5, 22, 7});
        entries.put("photos/ehthumbs.db", new byte[] {9});
        ArchiveExtractor.Extracted extracted = extract(zip("litter.zip", entries));
        assertThat(extracted.images()).containsOnlyKeys("a.jpg");
    }

    @Test
    void picturesThatAreNeitherJpegNorPngAreRefusedWhateverTheirName() throws IOException {
        BufferedImage picture = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (String format : new String[] {"bmp", "gif"}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(picture, format, bytes);
            Path archive = zip(format + ".zip", Map.of("a.jpg", JPEG, "b.png", bytes.toByteArray()));
            assertThatThrownBy(() -> extract(archive))
                    .isInstanceOf(UploadRejectedException.class)
                    .hasMessage("archive entry b.png is a " + format.toUpperCase() + " image; only JPEG and PNG "
                            + "are accepted");
        }
    }

    @Test
    void namesWithControlCharactersAndASecondCaptionsFileAreRefused() throws IOException {
        assertThatThrownBy(() -> extract(zip("nul.zip", Map.of("a\u0000b.jpg", JPEG))))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("archive entry a?b.jpg has a control character in its name");
        Map<String, byte[]> two = new LinkedHashMap<>();
        two.put("a.jpg", JPEG);
        two.put("captions.jsonl", "{}".getBytes());
        two.put("more/captions.jsonl", "{}".getBytes());
        assertThatThrownBy(() -> extract(zip("two-captions.zip", two)))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("the archive holds more than one captions.jsonl");
    }

    @Test
    void aVeryLongNameIsRefusedNamingTheLimit() throws IOException {
        String name = "a".repeat(296) + ".jpg";
        assertThatThrownBy(() -> extract(zip("long.zip", Map.of(name, JPEG))))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("archive entry " + "a".repeat(40) + "... has a file name of 300 characters; the "
                        + "limit is 200");
    }

    @Test
    void aHugeSixteenBitPngIsCheckedWithoutHoldingItsPixels() throws IOException {
        // 8192 x 8192 16-bit RGBA: 512 MB of pixels in a file of well under a megabyte.
        byte[] png = blankPng(8192, 8192);
        assertThat(png.length).isLessThan(1 << 20);
        Path archive = zip("huge.zip", Map.of("huge.png", png));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ArchiveExtractor.Extracted extracted = extract(archive);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(extracted.images()).containsOnlyKeys("huge.png");
        assertThat(allocated).as("bytes allocated to check the picture").isLessThan(64L << 20);
    }

    /** A valid PNG of zero pixels, 16 bits per RGBA sample, written without holding its raster. */
    static byte[] blankPng(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(header);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {16, 6, 0, 0, 0});
        chunk(out, "IHDR", header.toByteArray());
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(9))) {
            byte[] row = new byte[1 + width * 8];
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        }
        chunk(out, "IDAT", compressed.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
