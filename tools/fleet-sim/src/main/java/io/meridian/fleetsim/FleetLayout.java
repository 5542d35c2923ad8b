package io.meridian.fleetsim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Decides, from the seed alone, which clusters a fleet has: how many per cloud, their names, regions and labels. */
public final class FleetLayout {

    /** Share of each cloud in a fleet: 12 clusters are 4 aws, 3 azure, 3 gcp, 2 onprem. */
    private static final Map<Cloud, Integer> WEIGHTS =
            Map.of(Cloud.AWS, 4, Cloud.AZURE, 3, Cloud.GCP, 3, Cloud.ONPREM, 2);

    static final List<String> TEAMS = List.of("payments", "checkout", "data", "platform");
    private static final List<String> ENVIRONMENTS = List.of("prod", "staging", "dev");

    private FleetLayout() {}

    /** The clusters of a fleet of {@code count} clusters grown from {@code seed}. */
    public static List<ClusterProfile> plan(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("cluster count must not be negative");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<ClusterProfile> profiles = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<Cloud, Integer> share : shares(count).entrySet()) {
            Cloud cloud = share.getKey();
            for (int i = 0; i < share.getValue(); i++) {
                // The first cluster of each cloud is production in its first region: every fleet has those.
                String environment = i == 0 ? "prod" : pickEnvironment(random);
                Cloud.Region region = i == 0
                        ? cloud.regions().getFirst()
                        : cloud.regions().get(random.nextInt(cloud.regions().size()));
                ClusterProfile profile = profile(cloud, region, environment, names, seed, random);
                names.add(profile.name());
                profiles.add(profile);
            }
        }
        return profiles;
    }

    /** One more cluster for a running fleet; its name does not clash with {@code taken}. */
    public static ClusterProfile next(
            Cloud cloud, String environment, String regionName, Collection<String> taken, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (taken.size() + 1)));
        Cloud.Region region = regionName == null
                ? cloud.regions().get(random.nextInt(cloud.regions().size()))
                : cloud.region(regionName);
        return profile(cloud, region, environment, new HashSet<>(taken), seed, random);
    }

    private static ClusterProfile profile(
            Cloud cloud,
            Cloud.Region region,
            String environment,
            Set<String> taken,
            long fleetSeed,
            SplittableRandom random) {
        // On-prem data centres are named after the site, not the environment, as operators usually do.
        String prefix = cloud == Cloud.ONPREM
                ? "onprem-" + region.code()
                : cloud.wireName() + "-" + environment + "-" + region.code();
        int ordinal = 1;
        while (taken.contains(prefix + "-" + ordinal)) {
            ordinal++;
        }
        String name = prefix + "-" + ordinal;

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("team", TEAMS.get(random.nextInt(TEAMS.size())));
        labels.put(
                "tier",
                switch (environment) {
                    case "prod" -> "critical";
                    case "staging" -> "standard";
                    default -> "sandbox";
                });
        if (random.nextInt(100) < 50) {
            labels.put("portable", "true");
        }
        String displayName = "%s %s %s #%d".formatted(cloud.displayName(), environment, region.name(), ordinal);
        return new ClusterProfile(name, displayName, cloud, region, environment, labels, mix(fleetSeed, name));
    }

    private static String pickEnvironment(SplittableRandom random) {
        int roll = random.nextInt(10);
        return roll < 5 ? ENVIRONMENTS.get(0) : roll < 8 ? ENVIRONMENTS.get(1) : ENVIRONMENTS.get(2);
    }

    /** Cluster counts per cloud by largest remainder, so any N keeps the 4:3:3:2 mix as well as it can. */
    static Map<Cloud, Integer> shares(int count) {
        int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
        Map<Cloud, Integer> shares = new LinkedHashMap<>();
        Map<Cloud, Double> remainders = new LinkedHashMap<>();
        int assigned = 0;
        for (Cloud cloud : Cloud.values()) {
            double exact = (double) count * WEIGHTS.get(cloud) / total;
            shares.put(cloud, (int) exact);
            remainders.put(cloud, exact - (int) exact);
            assigned += (int) exact;
        }
        while (assigned < count) {
            Cloud best = null;
            for (Cloud cloud : Cloud.values()) {
                if (best == null || remainders.get(cloud) > remainders.get(best)) {
                    best = cloud;
                }
            }
            shares.merge(best, 1, Integer::sum);
            remainders.put(best, -1.0);
            assigned++;
        }
        return shares;
    }

    /** A stable 64-bit seed for one cluster from the fleet seed and the cluster name. */
    static long mix(long seed, String name) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : name.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        return SplitMix.mix(h);
    }
}
