package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.cli.rest.ApiClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --limit N | --all} of every list verb: how far to follow a paged answer's {@code nextCursor}. */
final class ListOptions {

    /** Items asked for per call: small enough for every service's bounds, large enough to be few calls. */
    static final int PAGE_SIZE = 100;

    @Option(
            names = "--limit",
            defaultValue = "500",
            paramLabel = "N",
            description = "Print at most N items (default ${DEFAULT-VALUE}); says so on stderr when there were more.")
    int limit;

    @Option(names = "--all", description = "Follow every page, however many items.")
    boolean all;

    /** {@link #fetch} with the run's API client, its note going to the run's standard error. */
    List<JsonNode> fetch(CommandSpec spec, String service, String path, Map<String, String> query) {
        return fetch(
                ApiCommands.api(spec), service, path, query, spec.commandLine().getErr());
    }

    /** {@link #fetchByOffset} with the run's API client, its note going to the run's standard error. */
    List<JsonNode> fetchByOffset(CommandSpec spec, String service, String path, Map<String, String> query) {
        return fetchByOffset(
                ApiCommands.api(spec), service, path, query, spec.commandLine().getErr());
    }

    /**
     * Items of every page of {@code path} up to the limit, following {@code nextCursor}; a note on {@code err} when
     * the limit cut the list short, so a truncated list is never taken for the whole fleet.
     */
    List<JsonNode> fetch(ApiClient api, String service, String path, Map<String, String> query, PrintWriter err) {
        if (!all && limit < 1) {
            throw new CliException("--limit must be at least 1 (or use --all)");
        }
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> page = new LinkedHashMap<>(query);
            page.put("limit", String.valueOf(all ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - items.size())));
            page.put("cursor", cursor);
            JsonNode answer = api.get(service, path, page);
            // Some lists (alerts) answer a bare array, without pages.
            JsonNode found = answer.isArray() ? answer : answer.path("items");
            found.forEach(items::add);
            cursor = answer.path("nextCursor").isTextual()
                    ? answer.path("nextCursor").asText()
                    : null;
        } while (cursor != null && (all || items.size() < limit));
        if (!all && (items.size() > limit || cursor != null)) {
            err.println("note: showing the first " + limit + " items; --all for every one, or narrow the filters");
            err.flush();
            return List.copyOf(items.subList(0, Math.min(limit, items.size())));
        }
        return items;
    }

    /**
     * The same for an API paged by {@code offset} and {@code total} (policy's violations): the next page starts where
     * this one ended, until {@code total} or an empty page.
     */
    List<JsonNode> fetchByOffset(
            ApiClient api, String service, String path, Map<String, String> query, PrintWriter err) {
        if (!all && limit < 1) {
            throw new CliException("--limit must be at least 1 (or use --all)");
        }
        List<JsonNode> items = new ArrayList<>();
        long total;
        int before;
        do {
            Map<String, String> page = new LinkedHashMap<>(query);
            page.put("limit", String.valueOf(all ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - items.size())));
            page.put("offset", String.valueOf(items.size()));
            JsonNode answer = api.get(service, path, page);
            before = items.size();
            answer.path("items").forEach(items::add);
            total = answer.path("total").asLong(items.size());
        } while (items.size() > before && items.size() < total && (all || items.size() < limit));
        if (!all && items.size() < total && items.size() >= limit) {
            err.println("note: showing the first " + limit + " of " + total + " items; --all for every one");
            err.flush();
        }
        return items;
    }
}
