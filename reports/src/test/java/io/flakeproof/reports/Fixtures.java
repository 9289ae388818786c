package io.flakeproof.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The results of a real {@code ./flakeproof report --quick} run (its logs left out), in
 * {@code src/test/resources/fixtures/quick-run}, copied for each test so that a test may break one
 * file of it.
 */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static Path quickRun() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/quick-run").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the fixture in {@code dir}. */
    static Path copy(Path dir) throws IOException {
        final Path from = quickRun();
        final Path to = dir.resolve("results");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    /** Rewrites one JSON file of a results copy. */
    static void edit(Path results, String file, Consumer<ObjectNode> change) {
        try {
            final Path p = results.resolve(file);
            final ObjectNode n = (ObjectNode) JSON.readTree(p.toFile());
            change.accept(n);
            JSON.writeValue(p.toFile(), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one run of the command printed and returned. */
    record Run(int code, String out, String err) {
    }

    static Run report(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = ReportCommand.execute(Path.of("").toAbsolutePath(), args, new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** How often {@code regex} matches in {@code text}. */
    static long count(String text, String regex) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
