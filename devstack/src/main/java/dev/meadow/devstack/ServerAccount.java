package dev.meadow.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operating-system account the embedded PostgreSQL runs as. Stock PostgreSQL refuses to run as root, and a
 * server run as root hands root to whoever gets a superuser session: so when this process is root, the server
 * runs as a dedicated unprivileged account ({@value #DEFAULT_NAME}, or {@code MEADOW_DATABASE_OS_USER}), created
 * if missing, that owns only the server's own files. Otherwise it runs as the current user.
 */
public record ServerAccount(String name, boolean switched) {

    public static final String DEFAULT_NAME = "meadow-db";
    public static final String NAME_VARIABLE = "MEADOW_DATABASE_OS_USER";

    /** The account for this process: a dedicated one when it runs as root. */
    public static ServerAccount forThisProcess() throws IOException {
        if (!runningAsRoot()) {
            return new ServerAccount(System.getProperty("user.name"), false);
        }
        String name = System.getenv().getOrDefault(NAME_VARIABLE, DEFAULT_NAME);
        if (!name.matches("[a-z_][a-z0-9_-]{0,30}")) {
            throw new IllegalArgumentException(NAME_VARIABLE + " '" + name + "' is not a user name");
        }
        ensureExists(name);
        return new ServerAccount(name, true);
    }

    static boolean runningAsRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private static void ensureExists(String name) throws IOException {
        if (exists(name)) {
            return;
        }
        // A system account with no home, no shell and no password: nobody logs in as it.
        run(List.of(
                "useradd",
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                name));
        if (!exists(name)) {
            throw new IOException("could not create the database's account '" + name + "'");
        }
    }

    private static boolean exists(String name) throws IOException {
        try {
            FileSystemsHolder.LOOKUP.lookupPrincipalByName(name);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        }
    }

    private static void run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // None of this process's secrets (the database's passwords come in its environment).
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
            // 9: the name exists (another process created it meanwhile), which is what was wanted.
            if (process.exitValue() != 0 && process.exitValue() != 9) {
                throw new IOException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The words that run a command as this account: {@code setpriv} drops to its user and groups (and no process
     * it starts can gain privileges back); nothing when no switch is needed.
     */
    public List<String> commandPrefix() {
        if (!switched) {
            return List.of();
        }
        return List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups", "--no-new-privs", "--");
    }

    /** Gives {@code path} (not following a link) to this account; a no-op without a switch. */
    public void own(Path path) throws IOException {
        if (switched) {
            PosixFileAttributeView view =
                    Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            view.setOwner(user());
            view.setGroup(group());
        }
    }

    /** Puts {@code path} in this account's group, keeping its owner; a no-op without a switch. */
    public void shareWithGroup(Path path) throws IOException {
        if (switched) {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setGroup(group());
        }
    }

    private UserPrincipal user() throws IOException {
        return FileSystemsHolder.LOOKUP.lookupPrincipalByName(name);
    }

    private GroupPrincipal group() throws IOException {
        return FileSystemsHolder.LOOKUP.lookupPrincipalByGroupName(name);
    }

    /**
     * Whether this account can reach {@code directory}: every directory above it lets the account through. Root's
     * home (mode 700) does not, so a data directory under it cannot hold the database's files.
     */
    public boolean canReach(Path directory) throws IOException {
        if (!switched) {
            return true;
        }
        for (Path p = directory.toAbsolutePath().normalize().getParent(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue;
            }
            PosixFileAttributes attributes = Files.readAttributes(p, PosixFileAttributes.class);
            Set<PosixFilePermission> permissions = attributes.permissions();
            boolean ownedByAccount = attributes.owner().getName().equals(name);
            boolean throughOwner = ownedByAccount && permissions.contains(PosixFilePermission.OWNER_EXECUTE);
            boolean throughGroup = attributes.group().getName().equals(name)
                    && permissions.contains(PosixFilePermission.GROUP_EXECUTE);
            boolean throughOthers = permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
            if (!(throughOwner || throughGroup || throughOthers)) {
                return false;
            }
        }
        return true;
    }

    private static final class FileSystemsHolder {
        static final UserPrincipalLookupService LOOKUP =
                FileSystems.getDefault().getUserPrincipalLookupService();
    }
}
