package io.meridian.fleetsim;

import io.meridian.fleetsim.WorkloadSpec.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The workloads a typical cluster of each cloud runs: system add-ons, the mesh, platform tools and team services. */
final class WorkloadCatalog {

    static final List<String> TEAM_NAMESPACES = List.of("payments", "checkout", "data", "platform");
    static final List<String> NAMESPACES =
            List.of("kube-system", "istio-system", "payments", "checkout", "data", "platform");

    /** Further services per team, added when a cluster should hold more objects than the base set. */
    private static final Map<String, List<String>> EXTRA_SERVICES = Map.of(
            "payments", List.of("refunds", "invoices", "payouts", "fx-rates", "settlement", "card-vault"),
            "checkout", List.of("pricing", "promotions", "shipping-quotes", "tax", "recommendations", "wishlist"),
            "data", List.of("ingest", "dbt-runner", "feature-store", "reporting", "cdc-connector", "schema-registry"),
            "platform", List.of("external-dns", "oauth2-proxy", "loki-gateway", "kyverno", "velero", "vault-agent"));

    private WorkloadCatalog() {}

    /** The base workloads of a cluster, with images from the cloud's own registries. */
    static List<WorkloadSpec> base(ClusterProfile profile) {
        Cloud cloud = profile.cloud();
        boolean prod = "prod".equals(profile.environment());
        String region = profile.region().name();
        List<WorkloadSpec> all = new ArrayList<>();

        all.add(system(
                "coredns", Kind.DEPLOYMENT, "registry.k8s.io/coredns/coredns:v1.11.3", 2, 100, 70, 53, "ClusterIP"));
        all.add(system(
                "metrics-server",
                Kind.DEPLOYMENT,
                "registry.k8s.io/metrics-server/metrics-server:v0.7.2",
                1,
                100,
                200,
                10250,
                "ClusterIP"));
        switch (cloud) {
            case AWS -> {
                all.add(system(
                        "kube-proxy",
                        Kind.DAEMONSET,
                        "602401143452.dkr.ecr." + region + ".amazonaws.com/eks/kube-proxy:v1.31.3-minimal-eksbuild.2",
                        0,
                        100,
                        50,
                        0,
                        null));
                all.add(system(
                        "aws-node",
                        Kind.DAEMONSET,
                        "602401143452.dkr.ecr." + region + ".amazonaws.com/amazon-k8s-cni:v1.19.0-eksbuild.1",
                        0,
                        25,
                        64,
                        0,
                        null));
                all.add(system(
                        "aws-load-balancer-controller",
                        Kind.DEPLOYMENT,
                        "public.ecr.aws/eks/aws-load-balancer-controller:v2.9.2",
                        2,
                        100,
                        128,
                        9443,
                        "ClusterIP"));
            }
            case AZURE -> {
                all.add(system(
                        "kube-proxy",
                        Kind.DAEMONSET,
                        "mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.31.4",
                        0,
                        100,
                        64,
                        0,
                        null));
                all.add(system(
                        "azure-cns",
                        Kind.DAEMONSET,
                        "mcr.microsoft.com/containernetworking/azure-cns:v1.6.13",
                        0,
                        40,
                        250,
                        0,
                        null));
                all.add(system(
                        "konnectivity-agent",
                        Kind.DEPLOYMENT,
                        "mcr.microsoft.com/oss/kubernetes/apiserver-network-proxy/agent:v0.30.3",
                        2,
                        20,
                        20,
                        8082,
                        null));
            }
            case GCP -> {
                all.add(system(
                        "kube-proxy",
                        Kind.DAEMONSET,
                        "gke.gcr.io/kube-proxy-amd64:v1.31.4-gke.1256000",
                        0,
                        100,
                        64,
                        0,
                        null));
                all.add(system(
                        "fluentbit-gke", Kind.DAEMONSET, "gke.gcr.io/fluent-bit:v1.8.12-gke.25", 0, 50, 100, 0, null));
                all.add(system(
                        "event-exporter-gke",
                        Kind.DEPLOYMENT,
                        "gke.gcr.io/event-exporter:v0.4.0-gke.11",
                        1,
                        10,
                        50,
                        8080,
                        null));
            }
            case ONPREM -> {
                all.add(system(
                        "kube-proxy", Kind.DAEMONSET, "registry.k8s.io/kube-proxy:v1.31.4", 0, 100, 64, 0, null));
                all.add(system("calico-node", Kind.DAEMONSET, "docker.io/calico/node:v3.28.2", 0, 250, 256, 0, null));
                all.add(system(
                        "metallb-controller",
                        Kind.DEPLOYMENT,
                        "quay.io/metallb/controller:v0.14.8",
                        1,
                        100,
                        100,
                        7472,
                        "ClusterIP"));
            }
        }

        all.add(new WorkloadSpec(
                "istio-system",
                "istiod",
                Kind.DEPLOYMENT,
                "docker.io/istio/pilot:1.24.1",
                prod ? 2 : 1,
                500,
                2048,
                15010,
                "ClusterIP",
                0,
                true,
                false));
        all.add(new WorkloadSpec(
                "istio-system",
                "istio-eastwestgateway",
                Kind.DEPLOYMENT,
                "docker.io/istio/proxyv2:1.24.1",
                prod ? 2 : 1,
                100,
                128,
                15443,
                "LoadBalancer",
                0,
                true,
                false));

        all.add(app(
                "platform",
                "ingress-nginx-controller",
                "registry.k8s.io/ingress-nginx/controller:v1.11.3",
                2,
                100,
                90,
                443,
                "LoadBalancer"));
        all.add(app(
                "platform",
                "cert-manager",
                "quay.io/jetstack/cert-manager-controller:v1.16.1",
                1,
                10,
                32,
                9402,
                "ClusterIP"));
        all.add(new WorkloadSpec(
                "platform",
                "prometheus",
                Kind.STATEFULSET,
                "quay.io/prometheus/prometheus:v2.55.1",
                1,
                500,
                2048,
                9090,
                "None",
                50,
                true,
                false));
        // Unpinned on purpose: image policies should have something to find.
        all.add(app("platform", "grafana", "docker.io/grafana/grafana:latest", 1, 100, 256, 3000, "ClusterIP"));

        String registry = registry(profile);
        all.add(app(
                "payments",
                "payments-api",
                registry + "/payments/payments-api:2.14.3",
                2,
                250,
                512,
                8080,
                "LoadBalancer"));
        all.add(app(
                "payments",
                "fraud-scorer",
                registry + "/payments/fraud-scorer:1.8.0",
                1,
                500,
                1024,
                8080,
                "ClusterIP"));
        all.add(new WorkloadSpec(
                "payments",
                "ledger-db",
                Kind.STATEFULSET,
                "docker.io/library/postgres:16.4",
                prod ? 2 : 1,
                1000,
                4096,
                5432,
                "None",
                20,
                true,
                true));
        all.add(app(
                "checkout",
                "checkout-web",
                registry + "/checkout/checkout-web:" + (prod ? "5.2.0" : "latest"),
                2,
                200,
                256,
                8080,
                "LoadBalancer"));
        all.add(app(
                "checkout", "checkout-api", registry + "/checkout/checkout-api:5.2.0", 2, 250, 512, 8080, "ClusterIP"));
        all.add(new WorkloadSpec(
                "checkout",
                "cart-redis",
                Kind.STATEFULSET,
                "docker.io/library/redis:7.2.5",
                1,
                200,
                512,
                6379,
                "None",
                5,
                true,
                true));
        all.add(new WorkloadSpec(
                "data",
                "kafka",
                Kind.STATEFULSET,
                "quay.io/strimzi/kafka:0.45.0-kafka-3.9.0",
                prod ? 3 : 1,
                1000,
                4096,
                9092,
                "None",
                100,
                true,
                true));
        // A legacy batch worker: mutable tag and no limits.
        all.add(new WorkloadSpec(
                "data",
                "etl-worker",
                Kind.DEPLOYMENT,
                registry + "/data/etl-worker:latest",
                1,
                500,
                1024,
                0,
                null,
                0,
                false,
                true));
        return all;
    }

    /** The k-th extra service of the fleet's growth order (round robin over teams). */
    static WorkloadSpec extra(ClusterProfile profile, int k) {
        String team = TEAM_NAMESPACES.get(k % TEAM_NAMESPACES.size());
        List<String> names = EXTRA_SERVICES.get(team);
        int round = k / TEAM_NAMESPACES.size();
        String name = names.get(round % names.size()) + (round >= names.size() ? "-" + (round / names.size() + 1) : "");
        String version = "1." + (k % 9) + "." + (k % 4);
        return app(
                team,
                name,
                registry(profile) + "/" + team + "/" + name + ":" + version,
                1,
                100,
                256,
                8080,
                "ClusterIP");
    }

    /** The container registry a team uses on this cloud. */
    static String registry(ClusterProfile profile) {
        String region = profile.region().name();
        return switch (profile.cloud()) {
            case AWS -> "123456789012.dkr.ecr." + region + ".amazonaws.com";
            case AZURE -> "meridian" + profile.environment() + ".azurecr.io";
            case GCP -> region + "-docker.pkg.dev/meridian-" + profile.environment();
            case ONPREM -> "harbor." + region + ".example.internal";
        };
    }

    private static WorkloadSpec system(
            String name, Kind kind, String image, int replicas, int cpu, int memory, int port, String serviceType) {
        return new WorkloadSpec(
                "kube-system", name, kind, image, replicas, cpu, memory, port, serviceType, 0, true, false);
    }

    private static WorkloadSpec app(
            String namespace,
            String name,
            String image,
            int replicas,
            int cpu,
            int memory,
            int port,
            String serviceType) {
        return new WorkloadSpec(
                namespace, name, Kind.DEPLOYMENT, image, replicas, cpu, memory, port, serviceType, 0, true, true);
    }
}
