package io.flakeproof.reports;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link Doc} as one self-contained HTML page: the charts inline as SVG, the style inline,
 * no script, no link to anything outside the file, so it reads the same offline and in any browser.
 */
final class HtmlWriter {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\((#[a-z0-9-]+)\\)");

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;\
            color:#1a1a1a;line-height:1.45}
            table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
            th{background:#f2f2f2}
            code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em}
            pre{background:#f6f6f6;padding:.6em;overflow-x:auto;white-space:pre-wrap}
            figure{margin:1em 0}figcaption{font-size:.9em;color:#444}
            figure svg{max-width:100%;height:auto}
            h1{border-bottom:2px solid #333}h2{border-bottom:1px solid #ccc;margin-top:1.8em}
            """;

    private HtmlWriter() {
    }

    static String render(Doc doc, String title) {
        final StringBuilder b = new StringBuilder(1 << 20);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        for (Doc.Block block : doc.blocks()) {
            if (block instanceof Doc.Heading h) {
                b.append("<h").append(h.level()).append(" id=\"").append(h.anchor()).append("\">")
                        .append(inline(h.text())).append("</h").append(h.level()).append(">\n");
            } else if (block instanceof Doc.Para p) {
                b.append("<p>").append(inline(p.text())).append("</p>\n");
            } else if (block instanceof Doc.Code c) {
                b.append("<pre><code>").append(escape(c.text())).append("</code></pre>\n");
            } else if (block instanceof Doc.Bullets l) {
                b.append("<ul>\n");
                l.items().forEach(i -> b.append("<li>").append(inline(i)).append("</li>\n"));
                b.append("</ul>\n");
            } else if (block instanceof Doc.Table t) {
                b.append("<table>\n<thead><tr>");
                t.header().forEach(h -> b.append("<th>").append(inline(h)).append("</th>"));
                b.append("</tr></thead>\n<tbody>\n");
                for (var row : t.rows()) {
                    b.append("<tr>");
                    row.forEach(c -> b.append("<td>").append(inline(c)).append("</td>"));
                    b.append("</tr>\n");
                }
                b.append("</tbody>\n</table>\n");
            } else if (block instanceof Doc.Chart c) {
                b.append("<figure id=\"chart-").append(c.name()).append("\">\n")
                        .append(Charts.inlineSvg(c.svg(), c.name())).append("\n<figcaption>").append(inline(c.caption()))
                        .append("</figcaption>\n</figure>\n");
            }
        }
        return b.append("</body>\n</html>\n").toString();
    }

    /** Escapes text, then turns {@code `code`}, {@code **bold**} and {@code [text](#anchor)} into HTML. */
    static String inline(String text) {
        String s = escape(text);
        s = replace(CODE, s, m -> "<code>" + m.group(1) + "</code>");
        s = replace(BOLD, s, m -> "<strong>" + m.group(1) + "</strong>");
        return replace(LINK, s, m -> "<a href=\"" + m.group(2) + "\">" + m.group(1) + "</a>");
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> f) {
        final Matcher m = p.matcher(s);
        final StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
