package io.meridian.cli.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.meridian.cli.CliException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Prints API answers as a table (chosen columns), JSON or YAML: {@code -o table|json|yaml}. */
public final class Output {

    /** The formats of {@code -o}. */
    public enum Format {
        table,
        json,
        yaml
    }

    /** One table column: its header and how to read its cell from an item. */
    public record Column(String header, Function<JsonNode, String> cell) {

        /** A column that reads a path like {@code /status/phase}; "-" where it is missing. */
        public static Column of(String header, String pointer) {
            return new Column(header, item -> {
                JsonNode value = item.at(pointer);
                return value.isMissingNode() || value.isNull() || value.asText().isEmpty() ? "-" : value.asText();
            });
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Loaded on first use only: the YAML classes would cost a table or JSON run start-up time for nothing. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }

    private Output() {}

    /** Prints items: a table of the columns, or the whole JSON or YAML of the value given. */
    public static void print(
            PrintWriter out, Format format, JsonNode whole, List<JsonNode> items, List<Column> columns) {
        switch (format) {
            case json -> out.println(write(JSON, whole));
            case yaml -> out.print(write(Yaml.MAPPER, whole));
            case table -> out.print(table(items, columns));
        }
        out.flush();
    }

    /** Prints a list: a table of the items, or them as one JSON or YAML array. */
    public static void printList(PrintWriter out, Format format, List<JsonNode> items, List<Column> columns) {
        print(out, format, JSON.createArrayNode().addAll(items), items, columns);
    }

    /** Columns as wide as their widest cell, two spaces apart, like kubectl. */
    public static String table(List<JsonNode> items, List<Column> columns) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toList());
        for (JsonNode item : items) {
            rows.add(columns.stream().map(c -> c.cell().apply(item)).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i < row.size() - 1 ? String.format("%-" + (widths[i] + 2) + "s", row.get(i)) : row.get(i));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static String write(ObjectMapper mapper, JsonNode value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CliException("cannot print the answer: " + e.getMessage(), e);
        }
    }
}
