package io.meridian.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the policy service ({@code meridian.policy.*}). */
@ConfigMapping(prefix = "meridian.policy")
public interface PolicyConfig {

    /**
     * How often the catalog is re-read (changes made through another replica), expired waivers are dropped, and
     * desired bundles are checked; local changes apply at once, this only bounds the delay of the others.
     */
    @WithDefault("5s")
    Duration sweepInterval();

    /** Attempts to record a transition before it is left to the next sweep's repair. */
    @WithDefault("3")
    int recordAttempts();
}
