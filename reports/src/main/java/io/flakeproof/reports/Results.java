package io.flakeproof.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A results directory, as {@link Verification} writes it (or a copy given to {@code --from-results}):
 * every file is optional, and a missing one is reported as "not run".
 */
final class Results {

    /** One campaign's results file, with its name. */
    record Campaign(String file, JsonNode json) {
        String protocol() {
            return json.path("protocol").asText();
        }

        String scenario() {
            return json.path("scenario").asText();
        }

        String policy() {
            return json.path("policy").asText();
        }

        long seeds() {
            return json.path("seeds").asLong();
        }

        boolean control() {
            return !protocol().equals("fenced");
        }

        boolean valid() {
            return json.path("valid?").asBoolean(false);
        }

        boolean weak() {
            return json.path("weak").asBoolean(false);
        }

        long unfinished() {
            return json.path("unfinished_seeds").asLong();
        }

        String command() {
            return "./flakeproof simulate --protocol " + protocol() + " --scenario " + scenario() + " --policy " + policy()
                    + " --from " + json.path("from").asLong(1) + " --seeds " + seeds();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final JsonNode environment;
    final JsonNode stages;
    final List<Campaign> campaigns;
    final List<Campaign> windows;
    final JsonNode drift;
    final JsonNode explorer;
    final JsonNode jcstress;
    final JsonNode jmhThroughput;
    final JsonNode jmhEveryCall;
    final List<JsonNode> everyCallPercentiles;
    final JsonNode loadNode;
    final JsonNode loadBaseline;
    final JsonNode loadBatches;
    final JsonNode postgres;

    private Results(Path dir) throws IOException {
        this.dir = dir;
        environment = read("environment.json");
        stages = read("stages.json");
        campaigns = campaigns(dir.resolve("simulation"));
        windows = campaigns(dir.resolve("window"));
        windows.sort(Comparator.comparingLong(c -> c.json().path("window_ms").asLong(windowOf(c.file()))));
        drift = read("drift.json");
        explorer = read("explorer.json");
        jcstress = read("jcstress.json");
        jmhThroughput = read("jmh-throughput.json");
        jmhEveryCall = read("jmh-everycall.json");
        everyCallPercentiles = new ArrayList<>();
        final Path p = dir.resolve("everycall-percentiles.jsonl");
        if (Files.exists(p)) {
            for (String line : Files.readAllLines(p)) {
                if (!line.isBlank()) {
                    everyCallPercentiles.add(JSON.readTree(line));
                }
            }
        }
        loadNode = read("load-node.json");
        // The floor that `load --baseline` measured in the node's run; an older results directory has it apart.
        loadBaseline = loadNode != null && loadNode.has("floor") ? loadNode.get("floor") : read("load-baseline.json");
        loadBatches = read("load-node-batches.json");
        postgres = read("postgres.json");
    }

    /**
     * Reads the directory.
     *
     * @throws IOException when it does not exist or a file in it is not JSON
     */
    static Results read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no results directory: " + dir);
        }
        return new Results(dir);
    }

    private JsonNode read(String name) throws IOException {
        final Path p = dir.resolve(name);
        return Files.exists(p) ? JSON.readTree(p.toFile()) : null;
    }

    private static long windowOf(String file) {
        try {
            return Long.parseLong(file.replace(".json", ""));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Campaign> campaigns(Path dir) throws IOException {
        final List<Campaign> list = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return list;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                list.add(new Campaign(f.getFileName().toString(), JSON.readTree(f.toFile())));
            }
        }
        return list;
    }

    List<Campaign> fenced() {
        return campaigns.stream().filter(c -> !c.control()).toList();
    }

    List<Campaign> controls() {
        return campaigns.stream().filter(Campaign::control).toList();
    }

    /** A stage's record in stages.json, or null when the run did not record it. */
    JsonNode stage(String name) {
        if (stages == null) {
            return null;
        }
        for (JsonNode s : stages) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    boolean quick() {
        return environment != null && environment.path("quick").asBoolean(false);
    }
}
