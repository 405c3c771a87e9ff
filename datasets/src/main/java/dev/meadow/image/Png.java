package dev.meadow.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;

import org.w3c.dom.Node;

/** PNG encoding with text chunks ({@code tEXt}), which is where generated images carry their parameters. */
public final class Png {

    private static final String FORMAT = "javax_imageio_png_1.0";
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** On generated pictures the fastest level comes within 2% of level 6's size at half its cost. */
    private static final int DEFLATE_LEVEL = 1;

    private Png() {}

    public static byte[] encode(BufferedImage image) {
        return encode(image, Map.of());
    }

    /**
     * Encodes the image as 8-bit RGB (alpha, if any, is dropped) with one {@code tEXt} chunk per entry (keys of 1-79
     * Latin-1 characters). Written directly rather than through ImageIO, whose writer tries every row filter and costs
     * about a millisecond per 64x64 image: a generator writes one PNG per request, so that millisecond is a
     * visible part of the pipeline's CPU.
     */
    public static byte[] encode(BufferedImage image, Map<String, String> text) {
        int width = image.getWidth();
        int height = image.getHeight();
        ByteArrayOutputStream out = new ByteArrayOutputStream(width * height * 2 + 1024);
        out.writeBytes(SIGNATURE);
        ByteBuffer header = ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        chunk(out, "IHDR", header.array());
        for (Map.Entry<String, String> entry : text.entrySet()) {
            byte[] keyword = keyword(entry.getKey());
            byte[] value = latin1(entry.getValue()).getBytes(StandardCharsets.ISO_8859_1);
            byte[] data = Arrays.copyOf(keyword, keyword.length + 1 + value.length);
            System.arraycopy(value, 0, data, keyword.length + 1, value.length);
            chunk(out, "tEXt", data);
        }
        byte[] compressed = deflate(filteredRows(image));
        chunk(out, "IDAT", compressed);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** Rows of RGB bytes, each led by filter type 1 ("Sub"), which suits smooth pictures and costs one subtraction. */
    private static byte[] filteredRows(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        int stride = 1 + width * 3;
        byte[] rows = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int o = y * stride;
            rows[o++] = 1;
            int previous = 0;
            for (int x = 0; x < width; x++) {
                int p = argb[y * width + x];
                rows[o++] = (byte) ((p >> 16) - (previous >> 16));
                rows[o++] = (byte) ((p >> 8) - (previous >> 8));
                rows[o++] = (byte) (p - previous);
                previous = p;
            }
        }
        return rows;
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A tEXt keyword: 1-79 printable Latin-1 characters, no leading, trailing or doubled spaces. */
    private static byte[] keyword(String key) {
        boolean printable = key.chars().allMatch(c -> (c >= 32 && c <= 126) || (c >= 161 && c <= 255));
        if (key.isEmpty()
                || key.length() > 79
                || !printable
                || key.startsWith(" ")
                || key.endsWith(" ")
                || key.contains("  ")) {
            throw new IllegalArgumentException("not a PNG text keyword: \"" + key + "\"");
        }
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** tEXt chunks are Latin-1: characters outside it become '?'. */
    private static String latin1(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            b.append(c < 256 ? c : '?');
        }
        return b.toString();
    }

    public static BufferedImage decode(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new IllegalArgumentException("not a readable image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("PNG decoding failed", e);
        }
    }

    /** The text chunks of a PNG, in file order. */
    public static Map<String, String> readText(byte[] png) {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in);
            IIOMetadata metadata = reader.getImageMetadata(0);
            Map<String, String> text = new LinkedHashMap<>();
            Node root = metadata.getAsTree(FORMAT);
            for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
                if ("tEXt".equals(node.getNodeName())) {
                    for (Node entry = node.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        IIOMetadataNode e = (IIOMetadataNode) entry;
                        text.put(e.getAttribute("keyword"), e.getAttribute("value"));
                    }
                }
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("PNG metadata could not be read", e);
        } finally {
            reader.dispose();
        }
    }
}
