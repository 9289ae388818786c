package io.flakeproof.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's content as a list of blocks, written once and rendered twice: as one self-contained
 * HTML page ({@link HtmlWriter}) and as its Markdown twin ({@link MarkdownWriter}). Text is plain;
 * {@code `code`} and {@code **bold**} spans are the only markup, and both renderers understand them.
 */
final class Doc {

    /** One block of the report. */
    sealed interface Block permits Heading, Para, Table, Chart, Code, Bullets {
    }

    /** A section heading; level 1 is the title. */
    record Heading(int level, String text, String anchor) implements Block {
    }

    /** A paragraph. */
    record Para(String text) implements Block {
    }

    /** A table: the header row, then rows of cells (a cell holds inline markup). */
    record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    /** A chart: its file name (without extension), a caption, and the SVG XChart drew. */
    record Chart(String name, String caption, String svg) implements Block {
    }

    /** A command or other preformatted text. */
    record Code(String text) implements Block {
    }

    /** A bulleted list. */
    record Bullets(List<String> items) implements Block {
    }

    private final List<Block> blocks = new ArrayList<>();

    Doc heading(int level, String text) {
        blocks.add(new Heading(level, text, anchor(text)));
        return this;
    }

    Doc para(String text) {
        blocks.add(new Para(text));
        return this;
    }

    Doc table(List<String> header, List<List<String>> rows) {
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    Doc chart(String name, String caption, String svg) {
        blocks.add(new Chart(name, caption, svg));
        return this;
    }

    Doc code(String text) {
        blocks.add(new Code(text));
        return this;
    }

    Doc bullets(List<String> items) {
        blocks.add(new Bullets(List.copyOf(items)));
        return this;
    }

    List<Block> blocks() {
        return blocks;
    }

    List<Chart> charts() {
        return blocks.stream().filter(b -> b instanceof Chart).map(b -> (Chart) b).toList();
    }

    /** A heading's anchor: lower case, letters and digits, words joined by '-' (as GitHub makes them). */
    static String anchor(String text) {
        final StringBuilder b = new StringBuilder();
        for (char c : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                b.append(c);
            } else if (c == ' ' || c == '-') {
                b.append('-');
            }
        }
        return b.toString();
    }
}
