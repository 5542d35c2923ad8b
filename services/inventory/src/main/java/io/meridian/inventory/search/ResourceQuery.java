package io.meridian.inventory.search;

import io.meridian.inventory.registry.LabelSelector;
import java.util.regex.Pattern;

/** What a fleet search asks for; null fields do not filter. */
public record ResourceQuery(
        String cluster,
        String cloud,
        String kind,
        String namespace,
        LabelSelector labelSelector,
        Pattern image,
        String text) {

    /**
     * A glob over image references: {@code *} matches any run of characters, e.g. {@code nginx:*},
     * {@code *.dkr.ecr.*}, {@code *:latest}.
     */
    public static Pattern imageGlob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
