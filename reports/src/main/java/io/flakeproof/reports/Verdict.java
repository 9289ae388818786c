package io.flakeproof.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The verdict, computed from the results alone: red when anything failed (a violation of the fenced
 * protocol, a negative control that found nothing, a weak or unfinished campaign, a jcstress failure,
 * an explorer violation, a failed stage, a failed request under load), or when the proof's own parts
 * are missing (no simulation or jcstress results). Warnings (a missed latency gate) do not turn it red.
 */
record Verdict(boolean green, List<String> failures, List<String> warnings) {

    static Verdict of(Results r) {
        final List<String> failures = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        if (r.fenced().isEmpty()) {
            failures.add("no simulation results for the fenced protocol");
        }
        for (String scenario : Plan.SCENARIOS) {
            if (!r.fenced().isEmpty() && r.fenced().stream().noneMatch(c -> c.scenario().equals(scenario))) {
                failures.add("no fenced campaign ran the `" + scenario + "` scenario");
            }
        }
        for (Results.Campaign c : r.fenced()) {
            final String name = "fenced, " + c.scenario() + ", " + c.policy();
            if (!c.valid()) {
                failures.add(name + ": " + c.json().path("violating_seeds").asLong() + " violating seeds of " + c.seeds());
            }
            if (c.weak()) {
                failures.add(name + ": weak campaign, never reached " + join(c.json().path("missed_coverage")));
            }
            if (c.unfinished() > 0) {
                failures.add(name + ": " + c.unfinished() + " seeds did not finish");
            }
        }
        for (Results.Campaign c : r.windows) {
            if (!c.valid()) {
                failures.add("fenced, partition, window " + c.json().path("window_ms").asText(c.file()) + ": "
                        + c.json().path("violating_seeds").asLong() + " violating seeds");
            }
        }
        if (r.controls().isEmpty() && !r.fenced().isEmpty()) {
            failures.add("no negative control ran: the checkers are not shown to catch anything");
        }
        for (Results.Campaign c : r.controls()) {
            if (c.valid()) {
                failures.add("negative control " + c.protocol() + " (" + c.scenario() + ") found no collision in " + c.seeds()
                        + " seeds: the checkers proved nothing about its flaw");
            }
        }
        if (r.jcstress == null) {
            failures.add("no jcstress results");
        } else {
            final long bad = r.jcstress.path("failed").asLong() + r.jcstress.path("soft_errors").asLong()
                    + r.jcstress.path("hard_errors").asLong();
            if (bad > 0 || r.jcstress.path("exit_code").asInt(0) != 0) {
                failures.add(String.format(Locale.ROOT, "jcstress: %d failed, %d soft and %d hard errors (exit %d)",
                        r.jcstress.path("failed").asLong(), r.jcstress.path("soft_errors").asLong(),
                        r.jcstress.path("hard_errors").asLong(), r.jcstress.path("exit_code").asInt()));
            }
        }
        if (r.explorer != null && explorerViolations(r.explorer) > 0) {
            failures.add("explorer: " + explorerViolations(r.explorer) + " violations");
        }
        if (r.stages != null) {
            for (JsonNode s : r.stages) {
                if (s.path("status").asText().equals("failed")) {
                    failures.add("stage " + s.path("name").asText() + " failed: " + s.path("message").asText());
                }
            }
        }
        if (r.loadNode != null) {
            if (r.loadNode.path("failed").asLong() > 0) {
                failures.add("load: " + r.loadNode.path("failed").asLong() + " requests to the node failed");
            }
            if (r.loadNode.has("gate") && !r.loadNode.path("gate").path("passed").asBoolean()) {
                warnings.add("the node's p99 gate: " + r.loadNode.path("gate").path("verdict").asText());
            }
        }
        return new Verdict(failures.isEmpty(), failures, warnings);
    }

    /** The explorer's violations, whichever of its fields says so ({@code valid?} false counts as one). */
    static long explorerViolations(JsonNode explorer) {
        if (explorer.has("violations")) {
            final JsonNode v = explorer.get("violations");
            return v.isArray() ? v.size() : v.asLong();
        }
        return explorer.path("valid?").asBoolean(true) ? 0 : 1;
    }

    private static String join(JsonNode array) {
        final List<String> items = new ArrayList<>();
        array.forEach(x -> items.add(x.asText()));
        return String.join("; ", items);
    }
}
