package io.flakeproof.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A negative control's shrunk counterexample, read from the timeline that {@code flakeproof simulate
 * --json} writes for it: each node's clock offset over true time, who held which worker from when to
 * when (with the floor and ceiling the timeline names), the injected faults and the mints of the
 * duplicated ID. The timeline's lines are the simulator's own sentences; the patterns below are the
 * one place that reads them.
 */
record Counterexample(int nodeCount, Map<Integer, Offsets> offsets, List<Hold> holds, List<Fault> faults,
        List<Mint> duplicateMints, String duplicatedId, double endSeconds) {

    /** A node's clock offset (ms) at the times (s) the timeline saw it. */
    record Offsets(double[] seconds, double[] ms) {
    }

    /** A node's holding of a worker, from when to when. */
    record Hold(int node, String label, double fromSeconds, double toSeconds) {
    }

    /** An injected fault of the shrunk schedule. */
    record Fault(String label, double atSeconds, double durationSeconds) {
    }

    /** A mint of the duplicated ID. */
    record Mint(int node, double atSeconds) {
    }

    private static final Pattern MINTS = Pattern.compile("^MINTS ID (\\d+)");
    private static final Pattern NODES = Pattern.compile("(\\d+) nodes");
    private static final Pattern TAKES = Pattern.compile("^(?:takes|mints as) worker (\\d+)(.*)$");
    private static final Pattern FLOOR_CEILING = Pattern.compile("above tick (-?\\d+), ceiling (-?\\d+)");
    private static final Pattern ENDS = Pattern.compile("^(?:loses worker|releases worker|a renewal failed|FAULT: node \\d+ crashes"
            + "|process starts)(.*)$");
    private static final Pattern UP_TO = Pattern.compile("mints up to tick (-?\\d+)");

    static Counterexample of(JsonNode violation) {
        final JsonNode timeline = violation.path("timeline");
        final TreeMap<Integer, List<double[]>> offsets = new TreeMap<>();
        final List<Hold> holds = new ArrayList<>();
        final List<Mint> mints = new ArrayList<>();
        final Map<Integer, Object[]> open = new TreeMap<>(); // node -> {label, from}
        int nodes = 0;
        String id = null;
        final Matcher n = NODES.matcher(violation.path("params").asText());
        if (n.find()) {
            nodes = Integer.parseInt(n.group(1));
        }
        double end = 0;
        for (JsonNode e : timeline) {
            end = Math.max(end, e.path("at_ms").asDouble() / 1000);
        }
        end = end * 1.05 + 0.1;
        for (JsonNode e : timeline) {
            final int node = e.path("node").asInt();
            final double t = e.path("at_ms").asDouble() / 1000;
            final String what = e.path("what").asText();
            if (node < 0) {
                continue;
            }
            nodes = Math.max(nodes, node + 1);
            offsets.computeIfAbsent(node, k -> new ArrayList<>()).add(new double[] {t, e.path("clock_offset_ms").asDouble()});
            final Matcher minted = MINTS.matcher(what);
            if (minted.find()) {
                id = minted.group(1);
                mints.add(new Mint(node, t));
                continue;
            }
            final Matcher ends = ENDS.matcher(what);
            if (ends.find() && open.containsKey(node)) {
                final Object[] o = open.remove(node);
                final Matcher upTo = UP_TO.matcher(what);
                holds.add(new Hold(node, o[0] + (upTo.find() ? ", minting up to tick " + upTo.group(1) : ""),
                        (double) o[1], t));
            }
            final Matcher takes = TAKES.matcher(what);
            if (takes.find()) {
                if (open.containsKey(node)) {
                    final Object[] o = open.remove(node);
                    holds.add(new Hold(node, (String) o[0], (double) o[1], t));
                }
                final Matcher fc = FLOOR_CEILING.matcher(takes.group(2));
                open.put(node, new Object[] {"node " + node + " holds worker " + takes.group(1)
                        + (fc.find() ? " (floor tick " + fc.group(1) + ", ceiling " + fc.group(2) + ")" : ""), t});
            }
        }
        for (Map.Entry<Integer, Object[]> o : open.entrySet()) {
            holds.add(new Hold(o.getKey(), (String) o.getValue()[0], (double) o.getValue()[1], end));
        }
        final Map<Integer, Offsets> byNode = new TreeMap<>();
        for (Map.Entry<Integer, List<double[]>> e : offsets.entrySet()) {
            final List<double[]> points = e.getValue();
            final double[] x = new double[points.size() + 1];
            final double[] y = new double[points.size() + 1];
            for (int i = 0; i < points.size(); i++) {
                x[i] = points.get(i)[0];
                y[i] = points.get(i)[1];
            }
            x[points.size()] = end;
            y[points.size()] = y[points.size() - 1];
            byNode.put(e.getKey(), new Offsets(x, y));
        }
        final List<Fault> faults = new ArrayList<>();
        for (JsonNode f : violation.path("shrunk_faults")) {
            faults.add(new Fault(f.path("what").asText(), f.path("at_ms").asDouble() / 1000,
                    f.path("duration_ms").asDouble() / 1000));
        }
        return new Counterexample(Math.max(nodes, 1), byNode, holds, faults, mints, id, end);
    }
}
