package dev.meadow.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes picture files without ever holding more pixels than the caller needs: an 8192x8192 16-bit PNG would be a
 * 512 MB raster, while training and CLIP only look at a few hundred pixels a side.
 */
public final class ImageFiles {

    /** A picture file's format and size, read from its header alone. */
    public record Header(String format, int width, int height) {}

    private ImageFiles() {}

    /** The header, or null when no installed reader knows the file. Formats are lower case: jpeg, png, bmp, gif. */
    public static Header header(Path file) throws IOException {
        return withReader(
                file,
                reader -> new Header(
                        reader.getFormatName().toLowerCase(Locale.ROOT), reader.getWidth(0), reader.getHeight(0)));
    }

    /**
     * The picture, reading only every n-th pixel of every n-th row where that keeps its shorter side at least
     * {@code minSide} (the decoder still reads every byte, so a corrupt file fails here). Null when no installed
     * reader knows the file.
     */
    public static BufferedImage read(Path file, int minSide) throws IOException {
        return withReader(file, reader -> {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            int step = Math.max(1, Math.min(width, height) / Math.max(1, minSide));
            // A long, thin picture keeps its shorter side yet may not hold more than 4 minSide² pixels.
            while ((long) (width / step) * (height / step) > 4L * minSide * minSide) {
                step++;
            }
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            return reader.read(0, param);
        });
    }

    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(Path file, ReaderWork<T> work) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(in);
            if (reader == null) {
                return null;
            }
            try {
                reader.setInput(in, true, true);
                return work.apply(reader);
            } finally {
                reader.dispose();
            }
        }
    }

    private static ImageReader readerFor(ImageInputStream in) {
        if (in == null) {
            return null;
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        return readers.hasNext() ? readers.next() : null;
    }
}
