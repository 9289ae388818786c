package io.flakeproof.reports;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one command of the verification, bounded in time, its output into a file. */
final class Proc {

    private Proc() {
    }

    /**
     * Runs {@code command} in {@code dir}, stdout and stderr into {@code log}, and returns its exit code.
     *
     * @throws IOException when it cannot start, or when it runs past {@code timeoutSeconds} (it is killed)
     */
    static int run(List<String> command, Path dir, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("FLAKEPROOF_JAVA_OPTS");
        final Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            throw new IOException(String.join(" ", command) + " ran past " + timeoutSeconds + " s; its output: " + log);
        }
        return p.exitValue();
    }

    /** Starts {@code command} in the background, output into {@code log}. */
    static Process start(List<String> command, Path dir, Path log) throws IOException {
        final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("FLAKEPROOF_JAVA_OPTS");
        return pb.start();
    }

    /** Whether an executable of that name is on the PATH. */
    static boolean onPath(String name) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, name).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
