package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.meridian.contracts.selector.ClusterSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a workload may carry, and how each refusal names the field and the object. */
class ManifestRulesTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "ghcr.io/shop/web:1"}]}
            """;

    /** A StatefulSet of the service %1$s named db, with the pod management policy %2$s. */
    private static final String STATEFUL_SET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              replicas: 1
              serviceName: %1$s
              podManagementPolicy: %2$s
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: "postgres:17"}]}
            """;

    @Test
    void theNineWorkloadKindsPassInTheirApiVersionAndGetTheWorkloadsNamespace() {
        List<Map<String, Object>> manifests = List.of(
                manifest(DEPLOYMENT),
                manifest("{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {serviceName: db,"
                        + " selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}},"
                        + " spec: {containers: [{name: db, image: postgres}]}}}}"),
                manifest("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}}}"),
                manifest("{apiVersion: v1, kind: ConfigMap, metadata: {name: settings.v2}, data: {a: b}}"),
                manifest("{apiVersion: v1, kind: ServiceAccount, metadata: {name: web}}"),
                manifest("{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web}}"),
                manifest("{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: web}}"),
                manifest("{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: web}}"),
                manifest("{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: web, namespace: shop}}"));

        ManifestRules.Checked checked = ManifestRules.check("shop", manifests);

        assertThat(checked.problems()).isEmpty();
        assertThat(checked.manifests()).allSatisfy(m -> assertThat(metadata(m)).containsEntry("namespace", "shop"));
        assertThat(metadata(manifests.getFirst())).doesNotContainKey("namespace"); // the input is left alone
    }

    @Test
    void aSecretIsRefusedSayingWhatToUseInstead() {
        FieldProblem problem = only(
                "{apiVersion: v1, kind: Secret, metadata: {name: db-password}," + " stringData: {password: hunter2}}");

        assertThat(problem.field()).isEqualTo("manifests[0].kind");
        assertThat(problem.message())
                .startsWith("Secret/db-password: ")
                .contains("Meridian never carries secret data")
                .contains("ExternalSecret/SealedSecret")
                .contains("secret store CSI driver");
    }

    @Test
    void rbacKindsAreRefusedPointingToIdentity() {
        for (String kind : List.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")) {
            FieldProblem problem =
                    only("{apiVersion: rbac.authorization.k8s.io/v1, kind: " + kind + ", metadata: {name: admin}}");
            assertThat(problem.field()).isEqualTo("manifests[0].kind");
            assertThat(problem.message()).startsWith(kind + "/admin: ").contains("identity's grants");
        }
    }

    @Test
    void admissionWebhooksAndClusterScopedKindsAreRefused() {
        assertThat(only("{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingWebhookConfiguration,"
                                + " metadata: {name: hook}}")
                        .message())
                .startsWith("ValidatingWebhookConfiguration/hook: admission webhooks")
                .contains("policy service");
        assertThat(only("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}")
                        .message())
                .isEqualTo("Namespace/shop: Namespace is cluster-scoped: a workload holds only namespaced objects,"
                        + " all in its own namespace");
        assertThat(only("{apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: fast}}")
                        .message())
                .contains("cluster-scoped");
        assertThat(only("{apiVersion: v1, kind: Pod, metadata: {name: p}}").message())
                .startsWith("Pod/p: Pod is not a kind a workload carries; it carries Deployment, StatefulSet");
    }

    @Test
    void anAllowedKindInAnotherApiVersionIsRefusedNamingTheOneAccepted() {
        FieldProblem problem = only("{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: h}}");

        assertThat(problem.field()).isEqualTo("manifests[0].apiVersion");
        assertThat(problem.message()).contains("accepted as apiVersion autoscaling/v2, not autoscaling/v1");
    }

    @Test
    void anObjectInAnotherNamespaceIsRefused() {
        FieldProblem problem =
                only("{apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: payments}}");

        assertThat(problem.field()).isEqualTo("manifests[0].metadata.namespace");
        assertThat(problem.message())
                .isEqualTo("ConfigMap/settings: is in namespace 'payments'; every object of a workload is in the"
                        + " workload's namespace 'shop' (leave metadata.namespace out to get it)");
    }

    @Test
    void namesFollowKubernetesAndEachKindAndNameComesOnce() {
        assertThat(only("{apiVersion: v1, kind: ConfigMap, metadata: {name: Settings}}")
                        .field())
                .isEqualTo("manifests[0].metadata.name");
        assertThat(only("{apiVersion: v1, kind: Service, metadata: {name: 1web}}")
                        .message())
                .contains("DNS-1035 label");
        assertThat(only("{apiVersion: v1, kind: ConfigMap, metadata: {generateName: settings-}}")
                        .message())
                .contains("generateName is not supported");

        List<FieldProblem> problems = ManifestRules.check(
                        "shop",
                        List.of(
                                manifest("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}"),
                                manifest("{apiVersion: v1, kind: Service, metadata: {name: a}}"),
                                manifest("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}")))
                .problems();
        assertThat(problems)
                .containsExactly(new FieldProblem(
                        "manifests[2].metadata.name",
                        "ConfigMap/a: is declared twice (also manifests[0]); each Kind/name once per workload"));
    }

    @Test
    void whatMeridianSetsOrTheServerFilledInIsNotTakenFromTheManifest() {
        assertThat(only("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {meridian.io/workload: x}}}")
                        .field())
                .isEqualTo("manifests[0].metadata.labels[meridian.io/workload]");
        assertThat(only("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, ownerReferences: [{kind: X}]}}")
                        .field())
                .isEqualTo("manifests[0].metadata.ownerReferences");
        assertThat(only("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {team: 'a b'}}}")
                        .message())
                .contains("label value");

        ManifestRules.Checked checked = ManifestRules.check(
                "shop",
                List.of(manifest("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, uid: u-1, resourceVersion:"
                        + " '9', managedFields: [], annotations: {kubectl.kubernetes.io/last-applied-configuration:"
                        + " '{}'}}, data: {k: v}, status: {x: y}}")));
        assertThat(checked.problems()).isEmpty();
        assertThat(checked.manifests().getFirst())
                .isEqualTo(manifest(
                        "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}," + " data: {k: v}}"));
    }

    @Test
    void deploymentsNeedASelectorAndContainersWithImages() {
        List<FieldProblem> problems = ManifestRules.check(
                        "shop",
                        List.of(manifest("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec:"
                                + " {replicas: -1, template: {spec: {containers: [{name: web}]}}}}")))
                .problems();

        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactly(
                        "manifests[0].spec.replicas",
                        "manifests[0].spec.selector",
                        "manifests[0].spec.template.spec.containers[0].image");
    }

    @Test
    void aSelectorMustSelectItsPodTemplateAsTheApiServerRequires() {
        List<FieldProblem> problems = ManifestRules.check(
                        "shop",
                        List.of(
                                manifest("{apiVersion: apps/v1, kind: Deployment, metadata: {name: a}, spec: {selector:"
                                        + " {matchLabels: {app: web}}, template: {metadata: {labels: {app: api}},"
                                        + " spec: {containers: [{name: a, image: nginx}]}}}}"),
                                manifest("{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: b}, spec:"
                                        + " {selector: {matchExpressions: [{key: tier, operator: In, values: [gold]}]},"
                                        + " template: {metadata: {labels: {tier: silver}}, spec: {containers: [{name:"
                                        + " b, image: nginx}]}}}}"),
                                manifest("{apiVersion: apps/v1, kind: Deployment, metadata: {name: c}, spec:"
                                        + " {selector: {}, template: {metadata: {labels: {app: c}}, spec:"
                                        + " {containers: [{name: c, image: nginx}]}}}}"),
                                manifest("{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec:"
                                        + " {selector: {matchLabels: {app: d}, matchExpressions: [{key: tier, operator:"
                                        + " NotIn, values: [canary]}, {key: team, operator: Exists}]}, template:"
                                        + " {metadata: {labels: {app: d, team: x}}, spec: {containers: [{name: d,"
                                        + " image: nginx}]}}}}")))
                .problems();

        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactly(
                        "manifests[0].spec.template.metadata.labels",
                        "manifests[1].spec.template.metadata.labels",
                        "manifests[2].spec.selector");
        assertThat(problems.getFirst().message()).contains("app=web");
        assertThat(problems.get(1).message()).contains("tier in (gold)");
    }

    @Test
    void aSelectorIsWellFormedAndMaySelectByTheLabelMeridianStampsOnEveryPod() {
        String bySelector = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector: %s,"
                + " template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}}}";
        assertThat(ManifestRules.check(
                                "checkout",
                                "shop",
                                List.of(manifest(
                                        bySelector.formatted("{matchLabels: {meridian.io/workload: checkout}}"))))
                        .problems())
                .isEmpty();
        assertThat(ManifestRules.check(
                                "checkout",
                                "shop",
                                List.of(manifest(bySelector.formatted(
                                        "{matchExpressions: [{key: meridian.io/workload, operator: DoesNotExist}]}"))))
                        .problems())
                .extracting(FieldProblem::field)
                .containsExactly("manifests[0].spec.template.metadata.labels");
        assertThat(ManifestRules.check(
                                "shop",
                                List.of(
                                        manifest(bySelector.formatted("{matchLabels: {app: 1}}")),
                                        manifest(bySelector
                                                .formatted("{matchExpressions: [{key: app, operator: NotIn}]}")
                                                .replace("name: web}", "name: api}")),
                                        manifest(bySelector
                                                .formatted("{matchExpressions: [{key: app, operator: Equals, values:"
                                                        + " [web]}]}")
                                                .replace("name: web}", "name: db}"))))
                        .problems())
                .extracting(FieldProblem::field)
                .containsExactly(
                        "manifests[0].spec.selector.matchLabels",
                        "manifests[1].spec.selector.matchExpressions[0].values",
                        "manifests[2].spec.selector.matchExpressions[0].operator");
    }

    // ------------------------------------------------------------------ overrides

    @Test
    void anOverrideMustNameAManifestOfTheWorkloadAndKeepItTheSameObject() {
        List<Map<String, Object>> manifests =
                ManifestRules.check("shop", List.of(manifest(DEPLOYMENT))).manifests();

        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL,
                                "Deployment/api",
                                Map.of("spec", Map.of("replicas", 1)),
                                null,
                                null)))
                .containsExactly(new FieldProblem(
                        "overrides[0].manifest",
                        "'Deployment/api' names no manifest of this workload; it has" + " Deployment/web"));
        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL,
                                "Deployment/web",
                                Map.of("metadata", Map.of("name", "web-2")),
                                null,
                                null)))
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].mergePatch.metadata.name");
        java.util.HashMap<String, Object> deleteNamespace = new java.util.HashMap<>();
        deleteNamespace.put("namespace", null);
        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL,
                                "Deployment/web",
                                Map.of("metadata", deleteNamespace),
                                null,
                                null)))
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].mergePatch.metadata.namespace");
        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL, "Deployment/web", Map.of("kind", "StatefulSet"), null, null)))
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].mergePatch.kind");
    }

    @Test
    void anOverrideCannotChangeWhatKubernetesNeverLetsChange() {
        List<Map<String, Object>> manifests = ManifestRules.check(
                        "shop", List.of(manifest(DEPLOYMENT), manifest(STATEFUL_SET.formatted("db", "OrderedReady"))))
                .manifests();

        // Selector and template labels together make a valid Deployment, but not the same one on every cluster.
        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL,
                                "Deployment/web",
                                Map.of(
                                        "spec",
                                        Map.of(
                                                "selector", Map.of("matchLabels", Map.of("app", "web-eu")),
                                                "template",
                                                        Map.of("metadata", Map.of("labels", Map.of("app", "web-eu"))))),
                                null,
                                null)))
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.field()).isEqualTo("overrides[0].mergePatch.spec.selector");
                    assertThat(problem.message()).contains("Deployment/web", "set it in the manifest");
                });
        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL,
                                "StatefulSet/db",
                                Map.of("spec", Map.of("serviceName", "db-eu", "replicas", 5)),
                                null,
                                null)))
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].mergePatch.spec.serviceName");
        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL,
                                "StatefulSet/db",
                                Map.of("spec", Map.of("replicas", 5, "minReadySeconds", 10)),
                                null,
                                null)))
                .as("what a StatefulSet may change, an override may change")
                .isEmpty();
    }

    @Test
    void aNewGenerationKeepsWhatKubernetesNeverLetsChangeOnAnObjectThatStays() {
        List<Map<String, Object>> current = ManifestRules.check(
                        "shop", List.of(manifest(DEPLOYMENT), manifest(STATEFUL_SET.formatted("db", "OrderedReady"))))
                .manifests();
        String movedSelector = DEPLOYMENT.replace("{app: web}", "{app: web2}").replace("replicas: 2", "replicas: 3");
        List<Map<String, Object>> next = ManifestRules.check(
                        "shop",
                        List.of(manifest(STATEFUL_SET.formatted("db-headless", "Parallel")), manifest(movedSelector)))
                .manifests();

        List<FieldProblem> problems = ManifestRules.checkChange(current, next);
        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactly(
                        "manifests[0].spec.podManagementPolicy",
                        "manifests[0].spec.serviceName",
                        "manifests[1].spec.selector");
        assertThat(problems.getLast().message())
                .contains("Deployment/web: spec.selector cannot change once the Deployment exists", "another name");

        // A new image, replicas, the default policy spelt out, a renamed Deployment: all allowed.
        List<Map<String, Object>> allowed = ManifestRules.check(
                        "shop",
                        List.of(
                                manifest(DEPLOYMENT.replace("web:1", "web:2").replace("replicas: 2", "replicas: 4")),
                                manifest(STATEFUL_SET
                                        .formatted("db", "OrderedReady")
                                        .replace("replicas: 1", "replicas: 3")),
                                manifest(movedSelector.replace("name: web}", "name: web2}"))))
                .manifests();
        assertThat(ManifestRules.checkChange(current, allowed)).isEmpty();
        List<Map<String, Object>> noPolicy = ManifestRules.check(
                        "shop",
                        List.of(manifest(STATEFUL_SET
                                .formatted("db", "OrderedReady")
                                .replace("  podManagementPolicy: OrderedReady\n", ""))))
                .manifests();
        assertThat(ManifestRules.checkChange(current, noPolicy))
                .as("an absent podManagementPolicy is its default")
                .isEmpty();
    }

    @Test
    void aNewRevisionHistoryLimitIsRefusedButItsDefaultEmptyValuesAndServerFilledClaimFieldsAreNoChange() {
        String withClaims = STATEFUL_SET.formatted("db", "OrderedReady")
                + "  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce],"
                + " resources: {requests: {storage: 1Gi}}}}]\n";
        List<Map<String, Object>> current =
                ManifestRules.check("shop", List.of(manifest(withClaims))).manifests();

        // As kubectl get -o yaml shows it: defaults spelt out, an empty expression list, the claim's filled-in fields.
        String exported = withClaims
                        .replace(
                                "selector: {matchLabels: {app: db}}",
                                "selector: {matchLabels: {app: db}, matchExpressions: []}")
                        .replace(
                                "{metadata: {name: data}, spec: {accessModes",
                                "{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data,"
                                        + " creationTimestamp: null}, status: {phase: Pending}, spec: {volumeMode: Filesystem,"
                                        + " accessModes")
                + "  revisionHistoryLimit: 10\n";
        assertThat(ManifestRules.checkChange(
                        current,
                        ManifestRules.check("shop", List.of(manifest(exported))).manifests()))
                .isEmpty();

        List<Map<String, Object>> lessHistory = ManifestRules.check(
                        "shop", List.of(manifest(withClaims + "  revisionHistoryLimit: 3\n")))
                .manifests();
        assertThat(ManifestRules.checkChange(current, lessHistory))
                .extracting(FieldProblem::field)
                .containsExactly("manifests[0].spec.revisionHistoryLimit");

        // One size spelt another way is no change: the API server keeps both as 1Gi.
        for (String sameSize : List.of("storage: 1024Mi", "storage: 1073741824", "storage: '1073741824'")) {
            assertThat(ManifestRules.checkChange(
                            current,
                            ManifestRules.check("shop", List.of(manifest(withClaims.replace("storage: 1Gi", sameSize))))
                                    .manifests()))
                    .as(sameSize)
                    .isEmpty();
        }

        List<Map<String, Object>> bigger = ManifestRules.check(
                        "shop", List.of(manifest(withClaims.replace("storage: 1Gi", "storage: 5Gi"))))
                .manifests();
        assertThat(ManifestRules.checkChange(current, bigger))
                .extracting(FieldProblem::field)
                .containsExactly("manifests[0].spec.volumeClaimTemplates");

        // In another namespace it is another object: nothing to keep.
        List<Map<String, Object>> moved = ManifestRules.check(
                        "shop-eu", List.of(manifest(withClaims.replace("serviceName: db", "serviceName: db-eu"))))
                .manifests();
        assertThat(ManifestRules.checkChange(current, moved)).isEmpty();
    }

    @Test
    void whatAPatchMakesMustStillBeAValidManifest() {
        List<Map<String, Object>> manifests =
                ManifestRules.check("shop", List.of(manifest(DEPLOYMENT))).manifests();

        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(
                                ClusterSelector.ALL,
                                "Deployment/web",
                                Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of())))),
                                null,
                                null)))
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].mergePatch.spec.template.spec.containers");
    }

    @Test
    void imagesAreImageReferencesAndReplicasAreNotNegative() {
        List<Map<String, Object>> manifests =
                ManifestRules.check("shop", List.of(manifest(DEPLOYMENT))).manifests();

        assertThat(overrideProblems(manifests, new WorkloadOverride(ClusterSelector.ALL, null, null, "Web:1", -1)))
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].image", "overrides[0].replicas");
        assertThat(overrideProblems(manifests, new WorkloadOverride(ClusterSelector.ALL, null, null, null, null)))
                .extracting(FieldProblem::message)
                .containsExactly(
                        "sets nothing: give a mergePatch (with the manifest it patches), an image or replicas");
        assertThat(overrideProblems(
                        manifests,
                        new WorkloadOverride(ClusterSelector.ALL, null, Map.of("spec", Map.of()), null, null)))
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].manifest");
        List<Map<String, Object>> configOnly = ManifestRules.check(
                        "shop", List.of(manifest("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}")))
                .manifests();
        assertThat(overrideProblems(configOnly, new WorkloadOverride(ClusterSelector.ALL, null, null, null, 2)))
                .extracting(FieldProblem::message)
                .containsExactly("there is no Deployment or StatefulSet to scale");
    }

    // ------------------------------------------------------------------ helpers

    private static List<FieldProblem> overrideProblems(List<Map<String, Object>> manifests, WorkloadOverride override) {
        return ManifestRules.checkOverrides("shop", manifests, List.of(override));
    }

    @Test
    void theObjectsKubernetesKeepsInEveryNamespaceAreRefused() {
        assertThat(only("{apiVersion: v1, kind: ServiceAccount, metadata: {name: default}}"))
                .satisfies(p -> assertThat(p.field()).isEqualTo("manifests[0].metadata.name"))
                .satisfies(p -> assertThat(p.message()).startsWith("ServiceAccount/default: Kubernetes makes"));
        assertThat(only("{apiVersion: v1, kind: ConfigMap, metadata: {name: kube-root-ca.crt}}")
                        .message())
                .startsWith("ConfigMap/kube-root-ca.crt: ")
                .contains("another name");
    }

    @Test
    void podsMayNotReachTheNodeOrGainPrivilege() {
        List<FieldProblem> problems =
                ManifestRules.check("shop", List.of(manifest("""
                                apiVersion: apps/v1
                                kind: Deployment
                                metadata: {name: web}
                                spec:
                                  selector: {matchLabels: {app: web}}
                                  template:
                                    metadata: {labels: {app: web}}
                                    spec:
                                      hostNetwork: true
                                      hostPID: true
                                      hostIPC: true
                                      serviceAccountName: cluster-admin
                                      volumes: [{name: ok, emptyDir: {}}, {name: root, hostPath: {path: /}}]
                                      initContainers:
                                        - name: setup
                                          image: busybox
                                          securityContext: {privileged: true}
                                      containers:
                                        - name: web
                                          image: "ghcr.io/shop/web:1"
                                          ports: [{containerPort: 80}, {containerPort: 443, hostPort: 443}]
                                          securityContext:
                                            allowPrivilegeEscalation: true
                                            capabilities: {add: [NET_BIND_SERVICE, SYS_ADMIN]}
                                """))).problems();

        String pod = "manifests[0].spec.template.spec.";
        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactly(
                        pod + "hostNetwork",
                        pod + "hostPID",
                        pod + "hostIPC",
                        pod + "serviceAccountName",
                        pod + "volumes[1].hostPath",
                        pod + "containers[0].ports[1].hostPort",
                        pod + "containers[0].securityContext.allowPrivilegeEscalation",
                        pod + "containers[0].securityContext.capabilities.add[1]",
                        pod + "initContainers[0].securityContext.privileged");
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).startsWith("Deployment/web: "));
        assertThat(problems.get(3).message()).contains("'cluster-admin'").contains("add a ServiceAccount manifest");
        assertThat(problems.get(7).message()).contains("SYS_ADMIN").contains("only NET_BIND_SERVICE");
    }

    @Test
    void podsRunAsTheDefaultOrAServiceAccountOfTheirOwnWorkload() {
        String deployment =
                DEPLOYMENT.replace("spec: {containers:", "spec: {serviceAccountName: web-runner, containers:");
        assertThat(ManifestRules.check("shop", List.of(manifest(deployment))).problems())
                .extracting(FieldProblem::field)
                .containsExactly("manifests[0].spec.template.spec.serviceAccountName");
        assertThat(ManifestRules.check(
                                "shop",
                                List.of(
                                        manifest(deployment),
                                        manifest(
                                                "{apiVersion: v1, kind: ServiceAccount, metadata: {name: web-runner}}")))
                        .problems())
                .isEmpty();
        assertThat(ManifestRules.check(
                                "shop",
                                List.of(manifest(DEPLOYMENT.replace(
                                        "spec: {containers:", "spec: {serviceAccountName: default, containers:"))))
                        .problems())
                .isEmpty();
    }

    @Test
    void anOverrideCannotMakeAPodPrivileged() {
        Map<String, Object> web = ManifestRules.check("shop", List.of(manifest(DEPLOYMENT)))
                .manifests()
                .getFirst();
        List<FieldProblem> problems = ManifestRules.checkOverrides(
                "shop",
                List.of(web),
                List.of(new WorkloadOverride(
                        ClusterSelector.ALL,
                        "Deployment/web",
                        manifest("{spec: {template: {spec: {hostNetwork: true}}}}"),
                        null,
                        null)));

        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactly("overrides[0].mergePatch.spec.template.spec.hostNetwork");
    }

    @Test
    void servicesMayNotCaptureOutsideAddressesOrNames() {
        assertThat(only("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {externalIPs: [203.0.113.7]}}"))
                .satisfies(p -> assertThat(p.field()).isEqualTo("manifests[0].spec.externalIPs"))
                .satisfies(
                        p -> assertThat(p.message()).contains("CVE-2020-8554").contains("LoadBalancer"));
        assertThat(only("{apiVersion: v1, kind: Service, metadata: {name: db}, spec: {type: ExternalName,"
                                + " externalName: db.example.com}}")
                        .field())
                .isEqualTo("manifests[0].spec.type");
        assertThat(ManifestRules.check(
                                "shop",
                                List.of(manifest("{apiVersion: v1, kind: Service, metadata: {name: web},"
                                        + " spec: {type: LoadBalancer, externalIPs: []}}")))
                        .problems())
                .isEmpty();
    }

    @Test
    void ingressSnippetAndAuthAnnotationsAreRefused() {
        List<FieldProblem> problems = ManifestRules.check(
                        "shop",
                        List.of(manifest("{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: web,"
                                + " annotations: {nginx.ingress.kubernetes.io/configuration-snippet: 'x',"
                                + " nginx.ingress.kubernetes.io/server-snippet: 'x',"
                                + " nginx.ingress.kubernetes.io/auth-snippet: 'x',"
                                + " nginx.ingress.kubernetes.io/auth-url: 'http://x',"
                                + " nginx.ingress.kubernetes.io/rewrite-target: /}}}")))
                .problems();

        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactly(
                        "manifests[0].metadata.annotations[nginx.ingress.kubernetes.io/configuration-snippet]",
                        "manifests[0].metadata.annotations[nginx.ingress.kubernetes.io/server-snippet]",
                        "manifests[0].metadata.annotations[nginx.ingress.kubernetes.io/auth-snippet]",
                        "manifests[0].metadata.annotations[nginx.ingress.kubernetes.io/auth-url]");
        assertThat(problems.getFirst().message()).startsWith("Ingress/web: ").contains("CVE-2021-25742");
    }

    private static FieldProblem only(String yaml) {
        List<FieldProblem> problems =
                ManifestRules.check("shop", List.of(manifest(yaml))).problems();
        assertThat(problems).hasSize(1);
        return problems.getFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> manifest(String yaml) {
        try {
            return YAML.readValue(yaml, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> manifest) {
        return (Map<String, Object>) manifest.get("metadata");
    }
}
