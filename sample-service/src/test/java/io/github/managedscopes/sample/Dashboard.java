package io.github.managedscopes.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PromQL of a Grafana dashboard: each panel's queries and each template variable's query,
 * with Grafana's variables substituted as Grafana would.
 */
final class Dashboard {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    private final JsonNode json;

    private final Map<String, String> queries = new LinkedHashMap<>();

    private Dashboard(JsonNode json) {
        this.json = json;
        collect(json.path("panels"));
    }

    static Dashboard read(Path file) throws IOException {
        return new Dashboard(JsonMapper.builder().build().readTree(Files.readString(file)));
    }

    /** Each panel query by "panel title [refId]", rows' panels included. */
    Map<String, String> queries() {
        return this.queries;
    }

    /** The query of the template variable {@code name}. */
    String variableQuery(String name) {
        for (JsonNode variable : this.json.path("templating").path("list")) {
            if (name.equals(variable.path("name").asString())) {
                JsonNode query = variable.path("query");
                return query.isObject() ? query.path("query").asString() : query.asString();
            }
        }
        throw new IllegalArgumentException("The dashboard has no template variable '" + name + "'");
    }

    /** {@code promql} with each {@code $name} and {@code ${name}} replaced; fails if one has no value. */
    static String substitute(String promql, Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(promql);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
            assertThat(values).as("a value for $%s in %s", name, promql).containsKey(name);
            matcher.appendReplacement(result, Matcher.quoteReplacement(values.get(name)));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private void collect(JsonNode panels) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    this.queries.put(panel.path("title").asString() + " [" + target.path("refId").asString() + "]",
                            target.path("expr").asString());
                }
            }
            collect(panel.path("panels"));
        }
    }

}
