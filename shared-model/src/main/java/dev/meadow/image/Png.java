package dev.meadow.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import org.w3c.dom.Node;

/** PNG encoding with text chunks ({@code tEXt}), which is where generated images carry their parameters. */
public final class Png {

    private static final String FORMAT = "javax_imageio_png_1.0";

    private Png() {
    }

    public static byte[] encode(BufferedImage image) {
        return encode(image, Map.of());
    }

    /** Encodes the image with one {@code tEXt} chunk per entry (keys of 1-79 Latin-1 characters). */
    public static byte[] encode(BufferedImage image, Map<String, String> text) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            // Light deflate: generated images are small and smooth; the strongest levels cost more than they save.
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.75f);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    param);
            if (!text.isEmpty()) {
                addText(metadata, text);
            }
            writer.write(null, new IIOImage(image, null, metadata), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }

    private static void addText(IIOMetadata metadata, Map<String, String> text) throws IIOInvalidTreeException {
        IIOMetadataNode textNode = new IIOMetadataNode("tEXt");
        for (Map.Entry<String, String> entry : text.entrySet()) {
            IIOMetadataNode chunk = new IIOMetadataNode("tEXtEntry");
            chunk.setAttribute("keyword", entry.getKey());
            chunk.setAttribute("value", latin1(entry.getValue()));
            textNode.appendChild(chunk);
        }
        IIOMetadataNode root = new IIOMetadataNode(FORMAT);
        root.appendChild(textNode);
        metadata.mergeTree(FORMAT, root);
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
