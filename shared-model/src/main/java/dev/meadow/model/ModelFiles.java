package dev.meadow.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Checksums of a model directory's files, so that a copied or downloaded model can be checked before use. */
public final class ModelFiles {

    private ModelFiles() {}

    /** SHA-256 of every regular file below {@code dir} except those named in {@code exclude}, by relative path. */
    public static Map<String, String> checksums(Path dir, Set<String> exclude) {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                if (!exclude.contains(relative)) {
                    sums.put(relative, sha256(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return sums;
    }

    /** Fails with a message naming the first file that is missing or differs. */
    public static void verify(Path dir, Map<String, String> expected) {
        if (expected == null || expected.isEmpty()) {
            throw new InvalidModelException(dir + ": the model card lists no file checksums");
        }
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            Path file = dir.resolve(entry.getKey()).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                throw new InvalidModelException(dir + ": file " + entry.getKey() + " is missing");
            }
            if (!sha256(file).equals(entry.getValue())) {
                throw new InvalidModelException(
                        dir + ": file " + entry.getKey() + " does not match its checksum (corrupt or modified)");
            }
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStreamSink.INSTANCE);
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {

        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
