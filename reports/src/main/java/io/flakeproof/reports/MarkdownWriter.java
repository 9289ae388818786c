package io.flakeproof.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Renders a {@link Doc} as Markdown, each chart an SVG file beside it. */
final class MarkdownWriter {

    private MarkdownWriter() {
    }

    /** The Markdown text; charts are referenced as {@code NAME.svg} in the same directory. */
    static String render(Doc doc) {
        final StringBuilder b = new StringBuilder(1 << 16);
        for (Doc.Block block : doc.blocks()) {
            if (block instanceof Doc.Heading h) {
                b.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Doc.Para p) {
                b.append(p.text()).append("\n\n");
            } else if (block instanceof Doc.Code c) {
                b.append("```sh\n").append(c.text()).append("\n```\n\n");
            } else if (block instanceof Doc.Bullets l) {
                l.items().forEach(i -> b.append("- ").append(i).append('\n'));
                b.append('\n');
            } else if (block instanceof Doc.Table t) {
                b.append(row(t.header())).append('|');
                t.header().forEach(h -> b.append(" --- |"));
                b.append('\n');
                t.rows().forEach(r -> b.append(row(r)));
                b.append('\n');
            } else if (block instanceof Doc.Chart c) {
                b.append("![").append(c.caption().replace("[", "(").replace("]", ")")).append("](")
                        .append(c.name()).append(".svg)\n\n*").append(c.caption()).append("*\n\n");
            }
        }
        return b.toString();
    }

    private static String row(java.util.List<String> cells) {
        final StringBuilder b = new StringBuilder("|");
        cells.forEach(c -> b.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |"));
        return b.append('\n').toString();
    }

    /** Writes {@code REPORT.md} and every chart's SVG file into {@code dir}. */
    static void write(Doc doc, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Doc.Chart c : doc.charts()) {
            Files.writeString(dir.resolve(c.name() + ".svg"), c.svg(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("REPORT.md"), render(doc), StandardCharsets.UTF_8);
    }
}
