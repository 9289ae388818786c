package io.flakeproof.simulation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON result files of {@code simulate} and {@code explore}. */
final class JsonFiles {

    private JsonFiles() {
    }

    /** A pretty-printing JSON writer on {@code file}, its folders created first. */
    static JsonGenerator open(Path file) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        final JsonGenerator g = new JsonFactory().createGenerator(Files.newBufferedWriter(file));
        g.useDefaultPrettyPrinter();
        return g;
    }
}
