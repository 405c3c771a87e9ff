package dev.meadow.gateway.service.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import dev.meadow.image.ImageFiles;

/**
 * Extracts an uploaded zip of images, refusing anything unsafe: entries that would land outside the target
 * directory, files that are not JPEG or PNG pictures, nested archives, images over the size limits, and archives
 * that inflate far beyond their size (decompression bombs). Limits are enforced on the bytes actually read, not on
 * what the archive declares.
 */
public final class ArchiveExtractor {

    /** Extracted pictures by file name, the captions file if the archive had one, and the litter left out. */
    public record Extracted(Map<String, Path> images, Path captions, List<String> litter) {}

    private final GatewayConfig.Datasets limits;

    public ArchiveExtractor(GatewayConfig.Datasets limits) {
        this.limits = limits;
    }

    /** The captions file an archive may hold instead of COCO annotations. */
    public static final String CAPTIONS_FILE = "captions.jsonl";

    /** Longest file name of an entry, in characters (file systems stop at 255 bytes). */
    static final int MAX_NAME_LENGTH = 200;

    /** Files that archiving tools and file browsers leave behind; never pictures. */
    private static final Set<String> LITTER = Set.of("thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r");

    /** Pictures are checked by decoding them to about this many pixels a side. */
    private static final int CHECKED_SIDE = 64;

    /** Below this much output, the whole archive's ratio is not checked (a tiny zip of text compresses well). */
    private static final long RATIO_FLOOR = 1024 * 1024;

    public Extracted extract(Path archive, Path target, String captionsFile) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            long archiveBytes = Math.max(1, Files.size(archive));
            List<String> litter = new ArrayList<>();
            List<Entry> entries = survey(zip, archiveBytes, captionsFile, litter);
            Map<String, Path> images = new LinkedHashMap<>();
            Path captions = null;
            long extracted = 0;
            for (Entry entry : entries) {
                Path out = target.resolve(entry.captions() ? "captions.upload" : "images/" + entry.fileName())
                        .normalize();
                if (!out.startsWith(target)) {
                    throw UploadRejectedException.invalid(
                            "archive entry " + shown(entry.name()) + " escapes the archive");
                }
                long limit = entry.captions() ? limits.maxAnnotationsBytes() : limits.maxImageBytes();
                extracted += copyLimited(zip, entry, out, limit, extracted, archiveBytes);
                if (entry.captions()) {
                    captions = out;
                } else {
                    checkImage(entry.name(), out);
                    images.put(entry.fileName(), out);
                }
            }
            return new Extracted(images, captions, litter);
        } catch (ZipException e) {
            throw UploadRejectedException.invalid("the upload is not a readable zip archive: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An archive entry to extract, with its name as a path with forward slashes. */
    private record Entry(ZipEntry zip, String name, String fileName, boolean captions) {}

    /**
     * Everything the central directory tells, checked before a byte is extracted: names, types, the number of
     * files, and what they declare to inflate to. Declared sizes can lie; extraction checks the bytes read too.
     */
    private List<Entry> survey(ZipFile zip, long archiveBytes, String captionsFile, List<String> litter) {
        List<Entry> entries = new ArrayList<>();
        Set<String> fileNames = new HashSet<>();
        long declared = 0;
        int surveyed = 0;
        boolean sawCaptions = false;
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry zipEntry = all.nextElement();
            // Windows tools write backslashes; a zip's separator is the forward slash.
            String name = zipEntry.getName().replace('\\', '/');
            if (++surveyed > limits.maxEntries()) {
                throw UploadRejectedException.tooLarge(
                        "the archive has more than " + limits.maxEntries() + " files, the limit");
            }
            if (name.chars().anyMatch(Character::isISOControl)) {
                throw UploadRejectedException.invalid("archive entry " + shown(name.replaceAll("\\p{Cntrl}", "?"))
                        + " has a control character in its name");
            }
            checkPath(name);
            if (zipEntry.isDirectory() || name.endsWith("/")) {
                continue;
            }
            if (ignorable(name)) {
                litter.add(name);
                continue;
            }
            String fileName = fileName(name);
            if (fileName.length() > MAX_NAME_LENGTH) {
                throw UploadRejectedException.invalid("archive entry " + shown(name) + " has a file name of "
                        + fileName.length() + " characters; the limit is " + MAX_NAME_LENGTH);
            }
            boolean isCaptions = fileName.equals(captionsFile);
            if (captionsFile == null && fileName.equals(CAPTIONS_FILE)) {
                throw UploadRejectedException.invalid("the archive holds " + CAPTIONS_FILE + " and COCO annotations "
                        + "were sent too; send one of them");
            }
            if (!isCaptions && !isImageName(fileName)) {
                throw UploadRejectedException.invalid("archive entry " + shown(name) + " is not an image "
                        + (isArchiveName(fileName) ? "(nested archives are not accepted)" : "(only JPEG and PNG)"));
            }
            if (isCaptions && sawCaptions) {
                throw UploadRejectedException.invalid("the archive holds more than one " + captionsFile);
            }
            sawCaptions |= isCaptions;
            if (!isCaptions && !fileNames.add(fileName)) {
                throw UploadRejectedException.invalid(
                        "archive entry " + shown(name) + ": two images are named " + fileName);
            }
            entries.add(new Entry(zipEntry, name, fileName, isCaptions));
            declared += Math.max(0, zipEntry.getSize());
        }
        if (declared > limits.maxExtractedBytes()) {
            throw UploadRejectedException.tooLarge(
                    "the archive inflates to " + declared + " bytes; the limit is " + limits.maxExtractedBytes());
        }
        checkRatio(declared, archiveBytes);
        return entries;
    }

    private void checkRatio(long inflated, long archiveBytes) {
        if (inflated > RATIO_FLOOR && inflated / archiveBytes > limits.maxCompressionRatio()) {
            throw UploadRejectedException.tooLarge("the archive inflates to " + inflated + " bytes, more than "
                    + limits.maxCompressionRatio() + " times its size (a decompression bomb?)");
        }
    }

    private long copyLimited(
            ZipFile zip, Entry entry, Path out, long fileLimit, long extractedBefore, long archiveBytes)
            throws IOException {
        Files.createDirectories(out.getParent());
        long compressed = Math.max(1, entry.zip().getCompressedSize());
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = zip.getInputStream(entry.zip());
                OutputStream sink = Files.newOutputStream(out)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (extractedBefore + total > limits.maxExtractedBytes()) {
                    throw UploadRejectedException.tooLarge(
                            "the archive inflates to more than " + limits.maxExtractedBytes() + " bytes");
                }
                if (total > fileLimit) {
                    throw UploadRejectedException.tooLarge(
                            "archive entry " + shown(entry.name()) + " is larger than " + fileLimit + " bytes");
                }
                if (total > RATIO_FLOOR && total / compressed > limits.maxCompressionRatio()) {
                    throw UploadRejectedException.tooLarge("archive entry " + shown(entry.name())
                            + " inflates more than " + limits.maxCompressionRatio()
                            + " times its compressed size (a decompression bomb?)");
                }
                checkRatio(extractedBefore + total, archiveBytes);
                sink.write(buffer, 0, n);
            }
        } catch (ZipException e) {
            throw UploadRejectedException.invalid(
                    "archive entry " + shown(entry.name()) + " is corrupt: " + e.getMessage());
        }
        return total;
    }

    /**
     * Reads the header for the format and size first, so that a tiny file declaring a gigantic picture is never
     * decoded; then decodes it subsampled, so that checking a large picture never holds its full raster.
     */
    private void checkImage(String name, Path file) {
        try {
            ImageFiles.Header header = ImageFiles.header(file);
            if (header == null) {
                throw UploadRejectedException.invalid("archive entry " + shown(name) + " is not a readable image");
            }
            if (!header.format().equals("jpeg") && !header.format().equals("png")) {
                throw UploadRejectedException.invalid("archive entry " + shown(name) + " is a "
                        + header.format().toUpperCase(Locale.ROOT) + " image; only JPEG and PNG are accepted");
            }
            if (header.width() > limits.maxImageSide() || header.height() > limits.maxImageSide()) {
                throw UploadRejectedException.tooLarge("image " + shown(name) + " is " + header.width() + "x"
                        + header.height() + "; the largest side allowed is " + limits.maxImageSide());
            }
            if (ImageFiles.read(file, CHECKED_SIDE) == null) {
                throw UploadRejectedException.invalid("archive entry " + shown(name) + " is not a readable image");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UploadRejectedException rejected) {
                throw rejected;
            }
            throw UploadRejectedException.invalid("archive entry " + shown(name) + " is not a readable image");
        }
    }

    private static String shown(String name) {
        return name.length() > 60 ? name.substring(0, 40) + "..." : name;
    }

    private static void checkPath(String name) {
        if (name.startsWith("/") || name.contains("../") || name.equals("..") || name.matches("^[A-Za-z]:.*")) {
            throw UploadRejectedException.invalid("archive entry " + shown(name) + " escapes the archive");
        }
    }

    /**
     * The name an image is known by in a snapshot: its file name without folders, whichever slash they used. Paths
     * in the archive, COCO's {@code file_name} (train2017/x.jpg) and captions.jsonl lines all come to this.
     */
    public static String fileName(String path) {
        String normalised = path.replace('\\', '/');
        return normalised.substring(normalised.lastIndexOf('/') + 1);
    }

    private static boolean ignorable(String name) {
        String fileName = fileName(name);
        return name.startsWith("__MACOSX/")
                || fileName.startsWith(".")
                || LITTER.contains(fileName.toLowerCase(Locale.ROOT));
    }

    private static boolean isImageName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png");
    }

    private static boolean isArchiveName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".zip")
                || lower.endsWith(".tar")
                || lower.endsWith(".gz")
                || lower.endsWith(".7z")
                || lower.endsWith(".rar")
                || lower.endsWith(".tgz");
    }
}
