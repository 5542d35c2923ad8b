package io.meridian.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which owners may declare desired bundles, and what ({@code meridian.inventory.bundles.*}). */
@ConfigMapping(prefix = "meridian.inventory.bundles")
public interface BundlesConfig {

    /**
     * The owners inventory accepts bundles from, by owner name (the first part of the {@code owner/clusterId} key);
     * a bundle of any other owner is a dead letter.
     */
    Map<String, Owner> owners();

    /** Largest step from the generation last declared for a key to the next one. */
    @WithDefault("1000")
    long maxGenerationStep();

    /** Largest generation of the first bundle seen for a key. */
    @WithDefault("10000000")
    long maxFirstGeneration();

    /**
     * How often every bundle is run again although nothing said it changed: the safety net for anything a lost event
     * missed (spread over the interval, not all at once).
     */
    @WithDefault("60s")
    java.time.Duration resyncInterval();

    /** What one owner may declare. */
    interface Owner {
        /**
         * Kinds as {@code group/Kind}, {@code group/*} or {@code *} (the core group is written {@code /ConfigMap});
         * {@code *} never covers RBAC, admission, API aggregation, credential kinds or Secrets.
         */
        List<String> kinds();

        /** The CloudEvent source the owner's bundles carry; default {@code /meridian/<owner>}. */
        Optional<String> source();

        /**
         * The desired topic the owner's bundles come on, which only its principal may write; default its topic in the
         * catalog ({@code fleet.desired.<owner>.v1}). Only an owner the catalog lacks (a test's) sets it.
         */
        Optional<String> topic();
    }
}
