package dev.meadow.gateway.service.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.UploadRejectedException;

/**
 * Extracts an uploaded zip of images, refusing anything unsafe: entries that would land outside the target
 * directory, files that are not JPEG or PNG pictures, nested archives, images over the size limits, and archives
 * that inflate far beyond their size (decompression bombs). Limits are enforced on the bytes actually read, not on
 * what the archive declares.
 */
public final class ArchiveExtractor {

    /** Extracted pictures by file name, and the captions file if the archive had one. */
    public record Extracted(Map<String, Path> images, Path captions) {
    }

    private final GatewayConfig.Datasets limits;

    public ArchiveExtractor(GatewayConfig.Datasets limits) {
        this.limits = limits;
    }

    public Extracted extract(Path archive, Path target, String captionsFile) {
        Map<String, Path> images = new LinkedHashMap<>();
        Path captions = null;
        long extracted = 0;
        int entries = 0;
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                String name = entry.getName();
                checkPath(name);
                if (entry.isDirectory() || ignorable(name)) {
                    continue;
                }
                if (++entries > limits.maxEntries()) {
                    throw UploadRejectedException.tooLarge("the archive has more than " + limits.maxEntries()
                            + " files");
                }
                String fileName = name.substring(name.lastIndexOf('/') + 1);
                boolean isCaptions = fileName.equals(captionsFile);
                if (!isCaptions && !isImageName(fileName)) {
                    throw UploadRejectedException.invalid("archive entry " + name + " is not an image "
                            + (isArchiveName(fileName) ? "(nested archives are not accepted)" : "(only JPEG and PNG)"));
                }
                if (!isCaptions && images.containsKey(fileName)) {
                    throw UploadRejectedException.invalid("archive entry " + name + ": two images are named "
                            + fileName);
                }
                Path out = target.resolve(isCaptions ? "captions.upload" : "images/" + fileName).normalize();
                if (!out.startsWith(target)) {
                    throw UploadRejectedException.invalid("archive entry " + name + " escapes the archive");
                }
                long limit = isCaptions ? limits.maxExtractedBytes() : limits.maxImageBytes();
                long written = copyLimited(zip, entry, out, limit, limits.maxExtractedBytes() - extracted);
                extracted += written;
                if (isCaptions) {
                    captions = out;
                } else {
                    checkImage(name, out);
                    images.put(fileName, out);
                }
            }
        } catch (ZipException e) {
            throw UploadRejectedException.invalid("the upload is not a readable zip archive: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Extracted(images, captions);
    }

    private long copyLimited(ZipFile zip, ZipEntry entry, Path out, long fileLimit, long totalLeft)
            throws IOException {
        Files.createDirectories(out.getParent());
        long compressed = Math.max(1, entry.getCompressedSize());
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = zip.getInputStream(entry); OutputStream sink = Files.newOutputStream(out)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > totalLeft) {
                    throw UploadRejectedException.tooLarge("the archive inflates to more than "
                            + limits.maxExtractedBytes() + " bytes");
                }
                if (total > fileLimit) {
                    throw UploadRejectedException.tooLarge("archive entry " + entry.getName() + " is larger than "
                            + fileLimit + " bytes");
                }
                if (total > 1024 * 1024 && total / compressed > limits.maxCompressionRatio()) {
                    throw UploadRejectedException.tooLarge("archive entry " + entry.getName() + " inflates more than "
                            + limits.maxCompressionRatio() + " times its compressed size (a decompression bomb?)");
                }
                sink.write(buffer, 0, n);
            }
        } catch (ZipException e) {
            throw UploadRejectedException.invalid("archive entry " + entry.getName() + " is corrupt: " + e.getMessage());
        }
        return total;
    }

    /** Reads the header for the size first, so that a tiny file declaring a gigantic picture is never decoded. */
    private void checkImage(String name, Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw UploadRejectedException.invalid("archive entry " + name + " is not a readable image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > limits.maxImageSide() || height > limits.maxImageSide()) {
                    throw UploadRejectedException.tooLarge("image " + name + " is " + width + "x" + height
                            + "; the largest side allowed is " + limits.maxImageSide());
                }
                if (reader.read(0) == null) {
                    throw UploadRejectedException.invalid("archive entry " + name + " is not a readable image");
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof UploadRejectedException rejected) {
                    throw rejected;
                }
                throw UploadRejectedException.invalid("archive entry " + name + " is not a readable image");
            } finally {
                reader.dispose();
            }
        }
    }

    private static void checkPath(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.contains("../") || n.equals("..") || n.matches("^[A-Za-z]:.*")) {
            throw UploadRejectedException.invalid("archive entry " + name + " escapes the archive");
        }
    }

    private static boolean ignorable(String name) {
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        return name.startsWith("__MACOSX/") || fileName.startsWith(".");
    }

    private static boolean isImageName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png");
    }

    private static boolean isArchiveName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".zip") || lower.endsWith(".tar") || lower.endsWith(".gz") || lower.endsWith(".7z")
                || lower.endsWith(".rar") || lower.endsWith(".tgz");
    }
}
