package io.flakeproof.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * The id of the cluster a node joined, kept in its data directory: one line, written atomically
 * (a temporary file moved over the old one). {@link io.flakeproof.generator.lease.ClusterPolicy}
 * compares it with the registry's on every acquisition.
 */
final class ClusterIdFile {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private ClusterIdFile() {
    }

    /**
     * The stored id, or null when there is no file (a first start).
     *
     * @throws LeaseUnavailableException when the file cannot be read or holds no id
     */
    static String read(Path file) {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        try {
            final String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!ID.matcher(id).matches()) {
                throw new LeaseUnavailableException("the cluster id kept in " + file + " is not one: '" + id
                        + "'; restore it, or delete the file to join the registry's cluster as a new node");
            }
            return id;
        } catch (IOException e) {
            throw new LeaseUnavailableException("could not read the cluster id kept in " + file + ": " + e);
        }
    }

    /** Stores {@code id}, replacing any stored before. */
    static void write(Path file, String id) throws IOException {
        final Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        final Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
