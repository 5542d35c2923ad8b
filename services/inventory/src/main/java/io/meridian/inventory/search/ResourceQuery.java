package io.meridian.inventory.search;

import io.meridian.contracts.selector.LabelSelector;

/** What a fleet search asks for; null fields do not filter. {@code image} is a glob, see {@link ImageGlob}. */
public record ResourceQuery(
        String cluster,
        String cloud,
        String kind,
        String namespace,
        LabelSelector labelSelector,
        ImageGlob image,
        String text) {}
