package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class KubernetesDefaultsTest {

    private static final TypeReference<Map<String, Object>> MANIFEST = new TypeReference<>() {};

    private static Map<String, Object> yaml(String text) {
        try {
            return Serialization.yamlMapper().readValue(text, MANIFEST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> defaulted(String manifest) {
        Map<String, Object> object = yaml(manifest);
        KubernetesDefaults.apply(object);
        return object;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> object, String... path) {
        Map<String, Object> current = object;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> object, String key) {
        return (List<Map<String, Object>>) object.get(key);
    }

    // ---- admissionregistration.k8s.io/v1 ------------------------------------------------------------------------

    private static final String VALIDATING_ADMISSION_POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: require-owner}
            spec:
              matchConstraints:
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
                excludeResourceRules:
                - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: Namespaced}
              validations:
              - expression: has(object.metadata.labels.owner)
            """;

    @Test
    void validatingAdmissionPolicyGetsFailurePolicyAndMatchDefaults() {
        assertThat(defaulted(VALIDATING_ADMISSION_POLICY)).isEqualTo(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: require-owner}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    matchPolicy: Equivalent
                    namespaceSelector: {}
                    objectSelector: {}
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments], scope: "*"}
                    excludeResourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: Namespaced}
                  validations:
                  - expression: has(object.metadata.labels.owner)
                """));
    }

    @Test
    void validatingAdmissionPolicyWithoutMatchConstraintsOnlyGetsFailurePolicyAndKeepsAnExplicitOne() {
        Map<String, Object> policy = defaulted("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: soft}
                spec:
                  failurePolicy: Ignore
                  validations: [{expression: "true"}]
                """);
        assertThat(at(policy, "spec")).containsOnlyKeys("failurePolicy", "validations");
        assertThat(at(policy, "spec")).containsEntry("failurePolicy", "Ignore");
    }

    private static final String VALIDATING_ADMISSION_POLICY_BINDING = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: require-owner}
            spec:
              policyName: require-owner
              validationActions: [Deny]
              matchResources:
                namespaceSelector:
                  matchLabels: {team: payments}
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
            """;

    @Test
    void validatingAdmissionPolicyBindingGetsMatchResourcesDefaultsAndKeepsItsSelector() {
        assertThat(defaulted(VALIDATING_ADMISSION_POLICY_BINDING)).isEqualTo(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: require-owner}
                spec:
                  policyName: require-owner
                  validationActions: [Deny]
                  matchResources:
                    matchPolicy: Equivalent
                    namespaceSelector:
                      matchLabels: {team: payments}
                    objectSelector: {}
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], scope: "*"}
                """));
    }

    @Test
    void validatingAdmissionPolicyBindingWithoutMatchResourcesIsLeftAlone() {
        String binding = """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: everywhere}
                spec: {policyName: require-owner, validationActions: [Warn, Audit]}
                """;
        assertThat(defaulted(binding)).isEqualTo(yaml(binding));
    }

    private static final String MUTATING_WEBHOOK_CONFIGURATION = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingWebhookConfiguration
            metadata: {name: sidecar}
            webhooks:
            - name: sidecar.meridian.io
              sideEffects: None
              admissionReviewVersions: [v1]
              clientConfig:
                service: {namespace: meridian, name: sidecar}
              rules:
              - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
            """;

    @Test
    void webhooksGetTheV1Defaults() {
        Map<String, Object> webhook =
                items(defaulted(MUTATING_WEBHOOK_CONFIGURATION), "webhooks").get(0);
        assertThat(webhook).isEqualTo(yaml("""
                name: sidecar.meridian.io
                sideEffects: None
                admissionReviewVersions: [v1]
                clientConfig:
                  service: {namespace: meridian, name: sidecar, port: 443}
                rules:
                - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: "*"}
                failurePolicy: Fail
                matchPolicy: Equivalent
                namespaceSelector: {}
                objectSelector: {}
                timeoutSeconds: 10
                reinvocationPolicy: Never
                """));
    }

    // ---- networking.k8s.io/v1 -----------------------------------------------------------------------------------

    private static final String INGRESS_ONLY_NETWORK_POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - ports: [{port: 80}, {port: 53, protocol: UDP}]
            """;

    @Test
    void networkPolicyWithoutEgressIsIngressOnlyAndPortsDefaultToTcp() {
        assertThat(defaulted(INGRESS_ONLY_NETWORK_POLICY)).isEqualTo(yaml("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Ingress]
                  ingress:
                  - ports: [{port: 80, protocol: TCP}, {port: 53, protocol: UDP}]
                """));
    }

    @Test
    void networkPolicyWithEgressRulesAlsoGetsEgressButAnEmptyEgressListDoesNot() {
        Map<String, Object> withEgress = defaulted("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-out, namespace: shop}
                spec:
                  podSelector: {}
                  egress:
                  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
                    ports: [{port: 443}]
                """);
        assertThat(at(withEgress, "spec").get("policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        assertThat(items(items(at(withEgress, "spec"), "egress").get(0), "ports")
                        .get(0))
                .containsEntry("protocol", "TCP");

        Map<String, Object> emptyEgress = defaulted("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow-nothing, namespace: shop}
                spec: {egress: []}
                """);
        assertThat(at(emptyEgress, "spec").get("policyTypes")).isEqualTo(List.of("Ingress"));
        assertThat(at(emptyEgress, "spec")).containsEntry("podSelector", Map.of());
    }

    @Test
    void networkPolicyKeepsExplicitPolicyTypes() {
        Map<String, Object> policy = defaulted("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all-egress, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Egress]}
                """);
        assertThat(at(policy, "spec").get("policyTypes")).isEqualTo(List.of("Egress"));
    }

    // ---- apps/v1 ------------------------------------------------------------------------------------------------

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports: [{containerPort: 80}]
                    resources:
                      limits: {cpu: "0.5", memory: 1024Mi}
                    readinessProbe:
                      httpGet: {port: 80}
                    env:
                    - name: POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                  volumes:
                  - name: config
                    configMap: {name: web}
                  - name: secret
                    secret: {secretName: web-tls, defaultMode: 256}
                  - name: scratch
                    emptyDir: {}
            """;

    @Test
    void deploymentGetsTheDeploymentAndPodTemplateDefaults() {
        assertThat(defaulted(DEPLOYMENT)).isEqualTo(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 1
                  revisionHistoryLimit: 10
                  progressDeadlineSeconds: 600
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxUnavailable: 25%, maxSurge: 25%}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      restartPolicy: Always
                      terminationGracePeriodSeconds: 30
                      dnsPolicy: ClusterFirst
                      securityContext: {}
                      schedulerName: default-scheduler
                      containers:
                      - name: web
                        image: nginx:1.27
                        imagePullPolicy: IfNotPresent
                        terminationMessagePath: /dev/termination-log
                        terminationMessagePolicy: File
                        ports: [{containerPort: 80, protocol: TCP}]
                        resources:
                          limits: {cpu: 500m, memory: 1Gi}
                        readinessProbe:
                          httpGet: {port: 80, path: /, scheme: HTTP}
                          timeoutSeconds: 1
                          periodSeconds: 10
                          successThreshold: 1
                          failureThreshold: 3
                        env:
                        - name: POD_NAME
                          valueFrom: {fieldRef: {fieldPath: metadata.name, apiVersion: v1}}
                      volumes:
                      - name: config
                        configMap: {name: web, defaultMode: 420}
                      - name: secret
                        secret: {secretName: web-tls, defaultMode: 256}
                      - name: scratch
                        emptyDir: {}
                """));
    }

    @Test
    void deploymentKeepsWhatTheClientSent() {
        Map<String, Object> deployment = defaulted("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: batch, namespace: shop}
                spec:
                  replicas: 0
                  revisionHistoryLimit: 0
                  progressDeadlineSeconds: 120
                  strategy: {type: Recreate}
                  selector: {matchLabels: {app: batch}}
                  template:
                    metadata: {labels: {app: batch}}
                    spec:
                      dnsPolicy: Default
                      terminationGracePeriodSeconds: 0
                      securityContext: {runAsNonRoot: true}
                      containers:
                      - name: batch
                        image: batch:1
                        imagePullPolicy: Always
                        livenessProbe:
                          tcpSocket: {port: 9000}
                          timeoutSeconds: 5
                          failureThreshold: 0
                """);
        Map<String, Object> spec = at(deployment, "spec");
        assertThat(spec)
                .containsEntry("replicas", 0)
                .containsEntry("revisionHistoryLimit", 0)
                .containsEntry("progressDeadlineSeconds", 120)
                .containsEntry("strategy", Map.of("type", "Recreate"));
        Map<String, Object> podSpec = at(spec, "template", "spec");
        assertThat(podSpec)
                .containsEntry("dnsPolicy", "Default")
                .containsEntry("terminationGracePeriodSeconds", 0)
                .containsEntry("securityContext", Map.of("runAsNonRoot", true));
        Map<String, Object> container = items(podSpec, "containers").get(0);
        assertThat(container).containsEntry("imagePullPolicy", "Always");
        // A zero in a plain int field is indistinguishable from unset, so the server defaults it.
        assertThat(at(container, "livenessProbe"))
                .containsEntry("timeoutSeconds", 5)
                .containsEntry("failureThreshold", 3);
    }

    private static final String STATEFUL_SET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: data}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  containers: [{name: db, image: "postgres:16"}]
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources:
                    requests: {storage: 10240Mi}
            """;

    @Test
    void statefulSetGetsItsDefaultsAndClaimTemplatesLookLikeStoredClaims() {
        assertThat(defaulted(STATEFUL_SET)).isEqualTo(yaml("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: data}
                spec:
                  replicas: 1
                  revisionHistoryLimit: 10
                  podManagementPolicy: OrderedReady
                  updateStrategy:
                    type: RollingUpdate
                    rollingUpdate: {partition: 0}
                  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Retain}
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      restartPolicy: Always
                      terminationGracePeriodSeconds: 30
                      dnsPolicy: ClusterFirst
                      securityContext: {}
                      schedulerName: default-scheduler
                      containers:
                      - name: db
                        image: postgres:16
                        imagePullPolicy: IfNotPresent
                        terminationMessagePath: /dev/termination-log
                        terminationMessagePolicy: File
                        resources: {}
                  volumeClaimTemplates:
                  - apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: data}
                    spec:
                      accessModes: [ReadWriteOnce]
                      volumeMode: Filesystem
                      resources:
                        requests: {storage: 10Gi}
                    status: {phase: Pending}
                """));
    }

    @Test
    void statefulSetWithAnExplicitStrategyGetsNoPartitionItDidNotAskFor() {
        Map<String, Object> rolling = defaulted("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: data}
                spec:
                  podManagementPolicy: Parallel
                  updateStrategy: {type: RollingUpdate}
                  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}
                """);
        assertThat(at(rolling, "spec"))
                .containsEntry("podManagementPolicy", "Parallel")
                .containsEntry("updateStrategy", Map.of("type", "RollingUpdate"))
                .containsEntry(
                        "persistentVolumeClaimRetentionPolicy",
                        Map.of("whenDeleted", "Delete", "whenScaled", "Retain"));

        Map<String, Object> onDelete = defaulted("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: data}
                spec:
                  updateStrategy: {type: OnDelete}
                """);
        assertThat(at(onDelete, "spec")).containsEntry("updateStrategy", Map.of("type", "OnDelete"));
    }

    private static final String DAEMON_SET = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: kube-system}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec:
                  hostNetwork: true
                  containers: [{name: agent, image: "agent:2", ports: [{containerPort: 9100}]}]
            """;

    @Test
    void daemonSetGetsRollingUpdateOfOneAndATemplateWithoutHostPortDefaulting() {
        Map<String, Object> spec = at(defaulted(DAEMON_SET), "spec");
        assertThat(spec)
                .containsEntry("revisionHistoryLimit", 10)
                .containsEntry(
                        "updateStrategy",
                        Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", 1, "maxSurge", 0)));
        // Host ports follow container ports on a Pod only; templates keep what was sent.
        Map<String, Object> port = items(
                        items(at(spec, "template", "spec"), "containers").get(0), "ports")
                .get(0);
        assertThat(port).isEqualTo(Map.of("containerPort", 9100, "protocol", "TCP"));
    }

    private static final String REPLICA_SET = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web-7d9f8c6b5, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "nginx:1.27"}]
            """;

    @Test
    void replicaSetGetsOneReplicaAndTemplateDefaults() {
        Map<String, Object> spec = at(defaulted(REPLICA_SET), "spec");
        assertThat(spec).containsEntry("replicas", 1);
        assertThat(at(spec, "template", "spec")).containsEntry("schedulerName", "default-scheduler");
    }

    // ---- batch/v1 -----------------------------------------------------------------------------------------------

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: report, namespace: jobs}
            spec:
              template:
                metadata: {labels: {app: report}}
                spec:
                  restartPolicy: Never
                  containers: [{name: report, image: "busybox:latest"}]
            """;

    @Test
    void jobGetsJobDefaultsAndItsLabelsFromTheTemplate() {
        Map<String, Object> job = defaulted(JOB);
        assertThat(at(job, "metadata", "labels")).isEqualTo(Map.of("app", "report"));
        Map<String, Object> spec = at(job, "spec");
        assertThat(spec)
                .containsEntry("completions", 1)
                .containsEntry("parallelism", 1)
                .containsEntry("backoffLimit", 6)
                .containsEntry("completionMode", "NonIndexed")
                .containsEntry("suspend", false)
                .containsEntry("podReplacementPolicy", "TerminatingOrFailed")
                .containsEntry("manualSelector", false);
        Map<String, Object> podSpec = at(spec, "template", "spec");
        assertThat(podSpec).containsEntry("restartPolicy", "Never");
        assertThat(items(podSpec, "containers").get(0)).containsEntry("imagePullPolicy", "Always");
    }

    @Test
    void parallelIndexedJobKeepsItsSettingsAndFollowsTheDependentDefaults() {
        Map<String, Object> spec = at(defaulted("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: shards, namespace: jobs, labels: {team: data}}
                spec:
                  parallelism: 4
                  completionMode: Indexed
                  completions: 8
                  backoffLimitPerIndex: 2
                  podFailurePolicy:
                    rules:
                    - action: Ignore
                      onPodConditions: [{type: DisruptionTarget}]
                  template:
                    metadata: {labels: {app: shards}}
                    spec: {restartPolicy: Never, containers: [{name: shard, image: "shard:3"}]}
                """), "spec");
        assertThat(spec)
                .containsEntry("parallelism", 4)
                .containsEntry("completions", 8)
                .containsEntry("completionMode", "Indexed")
                .containsEntry("backoffLimit", Integer.MAX_VALUE)
                .containsEntry("podReplacementPolicy", "Failed");
        assertThat(items(items(at(spec, "podFailurePolicy"), "rules").get(0), "onPodConditions"))
                .containsExactly(Map.of("type", "DisruptionTarget", "status", "True"));
    }

    private static final String CRON_JOB = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly, namespace: jobs}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: nightly, image: "nightly:5"}]
            """;

    @Test
    void cronJobGetsItsDefaultsButItsJobTemplateDoesNotGetJobDefaults() {
        Map<String, Object> spec = at(defaulted(CRON_JOB), "spec");
        assertThat(spec)
                .containsEntry("concurrencyPolicy", "Allow")
                .containsEntry("suspend", false)
                .containsEntry("successfulJobsHistoryLimit", 3)
                .containsEntry("failedJobsHistoryLimit", 1);
        assertThat(at(spec, "jobTemplate", "spec")).containsOnlyKeys("template");
        assertThat(at(spec, "jobTemplate", "spec", "template", "spec"))
                .containsEntry("restartPolicy", "OnFailure")
                .containsEntry("dnsPolicy", "ClusterFirst");
    }

    // ---- core/v1 Pod --------------------------------------------------------------------------------------------

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: worker, namespace: jobs}
            spec:
              initContainers:
              - name: migrate
                image: registry.example.com/migrate@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
              containers:
              - name: app
                image: ghcr.io/acme/app
                ports:
                - containerPort: 8080
                - {containerPort: 9090, protocol: UDP}
                resources:
                  limits: {cpu: 2000m, memory: 512Mi}
                  requests: {cpu: 250m}
                livenessProbe:
                  grpc: {port: 9090}
                  periodSeconds: 30
                startupProbe:
                  exec: {command: [ls]}
                lifecycle:
                  preStop:
                    httpGet: {port: 8080, path: /drain}
                env:
                - name: LIMIT
                  valueFrom:
                    resourceFieldRef: {resource: limits.memory}
              volumes:
              - name: token
                projected:
                  sources:
                  - serviceAccountToken: {path: token}
                  - downwardAPI:
                      items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
              - name: cache
              - name: host
                hostPath: {path: /var/lib/app}
              - name: scratch
                emptyDir: {sizeLimit: 1024Mi}
            """;

    @Test
    void podGetsSpecContainerVolumeAdmissionAndStatusDefaults() {
        assertThat(defaulted(POD)).isEqualTo(yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: worker, namespace: jobs}
                spec:
                  restartPolicy: Always
                  terminationGracePeriodSeconds: 30
                  dnsPolicy: ClusterFirst
                  securityContext: {}
                  schedulerName: default-scheduler
                  enableServiceLinks: true
                  serviceAccountName: default
                  serviceAccount: default
                  priority: 0
                  preemptionPolicy: PreemptLowerPriority
                  tolerations:
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
                  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
                  initContainers:
                  - name: migrate
                    image: registry.example.com/migrate@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                    imagePullPolicy: IfNotPresent
                    terminationMessagePath: /dev/termination-log
                    terminationMessagePolicy: File
                    resources: {}
                  containers:
                  - name: app
                    image: ghcr.io/acme/app
                    imagePullPolicy: Always
                    terminationMessagePath: /dev/termination-log
                    terminationMessagePolicy: File
                    ports:
                    - {containerPort: 8080, protocol: TCP}
                    - {containerPort: 9090, protocol: UDP}
                    resources:
                      limits: {cpu: "2", memory: 512Mi}
                      requests: {cpu: 250m, memory: 512Mi}
                    livenessProbe:
                      grpc: {port: 9090, service: ""}
                      periodSeconds: 30
                      timeoutSeconds: 1
                      successThreshold: 1
                      failureThreshold: 3
                    startupProbe:
                      exec: {command: [ls]}
                      timeoutSeconds: 1
                      periodSeconds: 10
                      successThreshold: 1
                      failureThreshold: 3
                    lifecycle:
                      preStop:
                        httpGet: {port: 8080, path: /drain, scheme: HTTP}
                    env:
                    - name: LIMIT
                      valueFrom:
                        resourceFieldRef: {resource: limits.memory, divisor: "0"}
                  volumes:
                  - name: token
                    projected:
                      defaultMode: 420
                      sources:
                      - serviceAccountToken: {path: token, expirationSeconds: 3600}
                      - downwardAPI:
                          items: [{path: labels, fieldRef: {fieldPath: metadata.labels, apiVersion: v1}}]
                  - name: cache
                    emptyDir: {}
                  - name: host
                    hostPath: {path: /var/lib/app, type: ""}
                  - name: scratch
                    emptyDir: {sizeLimit: 1Gi}
                status:
                  phase: Pending
                  qosClass: Burstable
                """));
    }

    @Test
    void podKeepsItsServiceAccountPriorityClassTolerationsAndStatus() {
        Map<String, Object> pod = defaulted("""
                apiVersion: v1
                kind: Pod
                metadata: {name: dns, namespace: kube-system}
                spec:
                  serviceAccount: coredns
                  priorityClassName: system-cluster-critical
                  enableServiceLinks: false
                  hostNetwork: true
                  tolerations:
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
                  containers:
                  - name: dns
                    image: coredns:1.11
                    ports: [{containerPort: 53, protocol: UDP}]
                    resources:
                      limits: {cpu: "1", memory: 170Mi}
                status: {phase: Running}
                """);
        Map<String, Object> spec = at(pod, "spec");
        assertThat(spec)
                .containsEntry("serviceAccountName", "coredns")
                .containsEntry("serviceAccount", "coredns")
                .containsEntry("priority", 2_000_000_000)
                .containsEntry("enableServiceLinks", false);
        assertThat(items(spec, "tolerations"))
                .extracting(t -> t.get("key") + "=" + t.get("tolerationSeconds"))
                .containsExactly("node.kubernetes.io/not-ready=30", "node.kubernetes.io/unreachable=300");
        assertThat(items(items(spec, "containers").get(0), "ports").get(0))
                .isEqualTo(Map.of("containerPort", 53, "protocol", "UDP", "hostPort", 53));
        assertThat(at(pod, "status")).isEqualTo(Map.of("phase", "Running", "qosClass", "Guaranteed"));
    }

    @Test
    void podQosClassFollowsRequestsAndLimitsOfAllContainers() {
        String template = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                spec:
                  containers: [{name: a, image: "a:1", resources: %s}]
                """;
        assertThat(at(defaulted(template.formatted("{}")), "status")).containsEntry("qosClass", "BestEffort");
        assertThat(at(defaulted(template.formatted("{limits: {cpu: 500m, memory: 1Gi}}")), "status"))
                .containsEntry("qosClass", "Guaranteed");
        assertThat(at(
                        defaulted(template.formatted(
                                "{limits: {cpu: 500m, memory: 1Gi}, requests: {cpu: \"0.5\", memory: 1024Mi}}")),
                        "status"))
                .containsEntry("qosClass", "Guaranteed");
        assertThat(at(defaulted(template.formatted("{limits: {cpu: 500m}}")), "status"))
                .containsEntry("qosClass", "Burstable");
    }

    @ParameterizedTest
    @CsvSource({
        "nginx, Always",
        "nginx:latest, Always",
        "nginx:1.27, IfNotPresent",
        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, IfNotPresent",
        "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, Always",
        "localhost:5000/app, Always",
        "registry.example.com:5000/team/app:v2, IfNotPresent",
        "'', IfNotPresent",
        "Nginx, IfNotPresent",
    })
    void imagePullPolicyFollowsTheTag(String image, String policy) {
        assertThat(KubernetesDefaults.imagePullPolicy(image)).isEqualTo(policy);
    }

    // ---- core/v1 Service ----------------------------------------------------------------------------------------

    private static final String CLUSTER_IP_SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports:
              - {name: http, port: 80, targetPort: 8080}
              - {name: metrics, port: 9090}
            """;

    @Test
    void clusterIpServiceGetsItsDefaultsAndAStableAddress() {
        String ip = KubernetesDefaults.clusterIp("shop/web");
        assertThat(defaulted(CLUSTER_IP_SERVICE)).isEqualTo(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  type: ClusterIP
                  sessionAffinity: None
                  internalTrafficPolicy: Cluster
                  ipFamilies: [IPv4]
                  ipFamilyPolicy: SingleStack
                  clusterIP: %s
                  clusterIPs: [%s]
                  selector: {app: web}
                  ports:
                  - {name: http, port: 80, targetPort: 8080, protocol: TCP}
                  - {name: metrics, port: 9090, targetPort: 9090, protocol: TCP}
                """.formatted(ip, ip)));
    }

    @Test
    void clusterIpsAreDeterministicDynamicAddressesInTheServiceRange() {
        assertThat(KubernetesDefaults.clusterIp("default/kubernetes")).isEqualTo("10.96.0.1");
        assertThat(KubernetesDefaults.clusterIp("kube-system/kube-dns")).isEqualTo("10.96.0.10");
        assertThat(KubernetesDefaults.clusterIp("shop/web")).isEqualTo(KubernetesDefaults.clusterIp("shop/web"));
        assertThat(KubernetesDefaults.clusterIp("shop/web")).isNotEqualTo(KubernetesDefaults.clusterIp("shop/api"));
        for (String name : List.of("shop/web", "shop/api", "a/b", "kube-system/metrics-server", "x/y")) {
            String[] octets = KubernetesDefaults.clusterIp(name).split("\\.");
            long offset =
                    (Long.parseLong(octets[1]) - 96) << 16 | Long.parseLong(octets[2]) << 8 | Long.parseLong(octets[3]);
            assertThat(octets[0]).isEqualTo("10");
            assertThat(offset).as(name).isBetween(257L, (1L << 20) - 2);
        }
    }

    @Test
    void serviceKeepsAnAddressAndPoliciesTheClientChose() {
        Map<String, Object> spec = at(defaulted("""
                apiVersion: v1
                kind: Service
                metadata: {name: pinned, namespace: shop}
                spec:
                  clusterIP: 10.96.100.100
                  internalTrafficPolicy: Local
                  sessionAffinity: ClientIP
                  selector: {app: pinned}
                  ports: [{port: 443, targetPort: https, protocol: TCP}]
                """), "spec");
        assertThat(spec)
                .containsEntry("clusterIP", "10.96.100.100")
                .containsEntry("clusterIPs", List.of("10.96.100.100"))
                .containsEntry("internalTrafficPolicy", "Local")
                .containsEntry("sessionAffinityConfig", Map.of("clientIP", Map.of("timeoutSeconds", 10800)));
        assertThat(items(spec, "ports").get(0)).containsEntry("targetPort", "https");
    }

    @Test
    void nodePortServiceAllocatesStableNodePortsSharedByProtocolsOfOnePort() {
        String manifest = """
                apiVersion: v1
                kind: Service
                metadata: {name: dns, namespace: edge}
                spec:
                  type: NodePort
                  selector: {app: dns}
                  ports:
                  - {name: dns-tcp, port: 53, protocol: TCP}
                  - {name: dns-udp, port: 53, protocol: UDP}
                  - {name: admin, port: 8080, nodePort: 30080}
                  - {name: metrics, port: 9153}
                """;
        Map<String, Object> spec = at(defaulted(manifest), "spec");
        List<Map<String, Object>> ports = items(spec, "ports");
        assertThat(spec)
                .containsEntry("externalTrafficPolicy", "Cluster")
                .doesNotContainKey("allocateLoadBalancerNodePorts");
        assertThat(ports.get(0).get("nodePort")).isEqualTo(ports.get(1).get("nodePort"));
        assertThat(ports.get(2)).containsEntry("nodePort", 30080);
        assertThat(ports)
                .extracting(p -> (Integer) p.get("nodePort"))
                .allSatisfy(port -> assertThat(port).isBetween(30000, 32767));
        assertThat(ports.get(3).get("nodePort")).isNotEqualTo(ports.get(0).get("nodePort"));
        assertThat(at(defaulted(manifest), "spec")).isEqualTo(spec);
    }

    @Test
    void loadBalancerServiceGetsNodePortsUnlessDisabledAndAHealthCheckPortWhenLocal() {
        Map<String, Object> local = at(defaulted("""
                apiVersion: v1
                kind: Service
                metadata: {name: ingress, namespace: edge}
                spec:
                  type: LoadBalancer
                  externalTrafficPolicy: Local
                  selector: {app: ingress}
                  ports: [{port: 443}]
                """), "spec");
        assertThat(local)
                .containsEntry("allocateLoadBalancerNodePorts", true)
                .containsEntry("externalTrafficPolicy", "Local")
                .containsEntry("internalTrafficPolicy", "Cluster")
                .containsKey("clusterIP");
        Object nodePort = items(local, "ports").get(0).get("nodePort");
        assertThat((Integer) nodePort).isBetween(30000, 32767);
        assertThat((Integer) local.get("healthCheckNodePort"))
                .isBetween(30000, 32767)
                .isNotEqualTo(nodePort);

        Map<String, Object> noNodePorts = at(defaulted("""
                apiVersion: v1
                kind: Service
                metadata: {name: ingress, namespace: edge}
                spec:
                  type: LoadBalancer
                  allocateLoadBalancerNodePorts: false
                  ports: [{port: 443}]
                """), "spec");
        assertThat(noNodePorts).containsEntry("externalTrafficPolicy", "Cluster");
        assertThat(items(noNodePorts, "ports").get(0)).doesNotContainKey("nodePort");
        assertThat(noNodePorts).doesNotContainKey("healthCheckNodePort");
    }

    @Test
    void headlessServicesGetNoAddressAndSelectorlessOnesDefaultToDualStack() {
        String headless = """
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: data}
                spec:
                  clusterIP: None
                  %s
                  ports: [{port: 5432}]
                """;
        assertThat(at(defaulted(headless.formatted("selector: {app: db}")), "spec"))
                .containsEntry("clusterIPs", List.of("None"))
                .containsEntry("ipFamilies", List.of("IPv4"))
                .containsEntry("ipFamilyPolicy", "SingleStack");
        assertThat(at(defaulted(headless.formatted("")), "spec"))
                .containsEntry("clusterIP", "None")
                .containsEntry("clusterIPs", List.of("None"))
                .containsEntry("ipFamilies", List.of("IPv4", "IPv6"))
                .containsEntry("ipFamilyPolicy", "RequireDualStack");
    }

    @Test
    void externalNameServiceGetsNoAddressFamiliesOrTrafficPolicy() {
        assertThat(defaulted("""
                apiVersion: v1
                kind: Service
                metadata: {name: billing, namespace: shop}
                spec: {type: ExternalName, externalName: billing.example.com}
                """)).isEqualTo(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: billing, namespace: shop}
                spec: {type: ExternalName, externalName: billing.example.com, sessionAffinity: None}
                """));
    }

    // ---- autoscaling ---------------------------------------------------------------------------------------------

    private static final String HORIZONTAL_POD_AUTOSCALER = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web, namespace: shop}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              maxReplicas: 10
              metrics:
              - type: Resource
                resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}
            """;

    @Test
    void horizontalPodAutoscalerWithoutBehaviorGetsOnlyMinReplicas() {
        Map<String, Object> expected = yaml(HORIZONTAL_POD_AUTOSCALER);
        at(expected, "spec").put("minReplicas", 1);
        assertThat(defaulted(HORIZONTAL_POD_AUTOSCALER)).isEqualTo(expected);
    }

    @Test
    void horizontalPodAutoscalerBehaviorIsCompletedWhenPresentAndMetricsDefaultToCpu() {
        Map<String, Object> spec = at(defaulted("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                  minReplicas: 2
                  maxReplicas: 6
                  behavior:
                    scaleDown: {stabilizationWindowSeconds: 60}
                """), "spec");
        assertThat(spec).containsEntry("minReplicas", 2);
        assertThat(spec.get("metrics")).isEqualTo(yaml("""
                        m:
                        - type: Resource
                          resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
                        """).get("m"));
        assertThat(at(spec, "behavior")).isEqualTo(yaml("""
                scaleUp:
                  stabilizationWindowSeconds: 0
                  selectPolicy: Max
                  policies:
                  - {type: Pods, value: 4, periodSeconds: 15}
                  - {type: Percent, value: 100, periodSeconds: 15}
                scaleDown:
                  stabilizationWindowSeconds: 60
                  selectPolicy: Max
                  policies:
                  - {type: Percent, value: 100, periodSeconds: 15}
                """));
    }

    // ---- kinds with few or no defaults -----------------------------------------------------------------------------

    private static final String NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: payments
              labels: {team: payments}
            """;

    @Test
    void namespaceGetsTheKubernetesFinalizerActivePhaseAndItsNameLabel() {
        assertThat(defaulted(NAMESPACE)).isEqualTo(yaml("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: payments
                  labels: {team: payments, kubernetes.io/metadata.name: payments}
                spec: {finalizers: [kubernetes]}
                status: {phase: Active}
                """));
    }

    @Test
    void namespaceNameLabelIsAlwaysTheNameAsOnARealServer() {
        Map<String, Object> namespace = defaulted("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: payments
                  labels: {kubernetes.io/metadata.name: something-else}
                """);
        assertThat(at(namespace, "metadata", "labels")).containsEntry("kubernetes.io/metadata.name", "payments");
    }

    private static final String ROLE_BINDING = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: readers, namespace: shop}
            roleRef: {kind: ClusterRole, name: view}
            subjects:
            - {kind: User, name: alice}
            - {kind: Group, name: auditors}
            - {kind: ServiceAccount, name: reporter, namespace: shop}
            """;

    @Test
    void roleBindingSubjectsGetTheRbacGroupExceptServiceAccounts() {
        assertThat(defaulted(ROLE_BINDING)).isEqualTo(yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: readers, namespace: shop}
                roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
                subjects:
                - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
                - {kind: Group, name: auditors, apiGroup: rbac.authorization.k8s.io}
                - {kind: ServiceAccount, name: reporter, namespace: shop}
                """));
    }

    private static final String LIMIT_RANGE = """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: limits, namespace: shop}
            spec:
              limits:
              - type: Container
                max: {cpu: "2", memory: 1024Mi}
                min: {cpu: 100m}
              - type: Container
                default: {cpu: "0.5"}
                min: {memory: 64Mi}
              - type: Pod
                max: {cpu: 4000m}
              - type: PersistentVolumeClaim
                max: {storage: 2048Mi}
            """;

    @Test
    void limitRangeContainerItemsGetDefaultsFromMaxDefaultAndMin() {
        assertThat(defaulted(LIMIT_RANGE)).isEqualTo(yaml("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: limits, namespace: shop}
                spec:
                  limits:
                  - type: Container
                    max: {cpu: "2", memory: 1Gi}
                    min: {cpu: 100m}
                    default: {cpu: "2", memory: 1Gi}
                    defaultRequest: {cpu: "2", memory: 1Gi}
                  - type: Container
                    default: {cpu: 500m}
                    min: {memory: 64Mi}
                    defaultRequest: {cpu: 500m, memory: 64Mi}
                  - type: Pod
                    max: {cpu: "4"}
                  - type: PersistentVolumeClaim
                    max: {storage: 2Gi}
                """));
    }

    private static final String RESOURCE_QUOTA = """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: quota, namespace: shop}
            spec:
              hard: {cpu: "10", memory: 20480Mi, pods: "50", requests.storage: 1000Gi, count/deployments.apps: 20}
            """;

    @Test
    void resourceQuotaHardLimitsAreCanonicalStrings() {
        assertThat(at(defaulted(RESOURCE_QUOTA), "spec", "hard"))
                .isEqualTo(Map.of(
                        "cpu", "10",
                        "memory", "20Gi",
                        "pods", "50",
                        "requests.storage", "1000Gi",
                        "count/deployments.apps", "20"));
    }

    private static final String PERSISTENT_VOLUME_CLAIM = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: shop}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1024Mi}}
            """;

    @Test
    void persistentVolumeClaimIsPendingFilesystemWithACanonicalSize() {
        assertThat(defaulted(PERSISTENT_VOLUME_CLAIM)).isEqualTo(yaml("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data, namespace: shop}
                spec:
                  accessModes: [ReadWriteOnce]
                  volumeMode: Filesystem
                  resources: {requests: {storage: 1Gi}}
                status: {phase: Pending}
                """));
    }

    private static final String POD_DISRUPTION_BUDGET = """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web, namespace: shop}
            spec:
              minAvailable: 1
              selector: {matchLabels: {app: web}}
            """;

    static Stream<String> untouchedKinds() {
        return Stream.of(POD_DISRUPTION_BUDGET, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: shop}
                data: {level: info}
                """, """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: reporter, namespace: shop}
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: reader}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
                """, """
                apiVersion: meridian.io/v1alpha1
                kind: Bundle
                metadata: {name: web, namespace: shop}
                spec: {replicas: 3, resources: {cpu: "0.5"}}
                """);
    }

    @ParameterizedTest
    @MethodSource("untouchedKinds")
    void kindsWithoutServerDefaultsAreLeftAsSent(String manifest) {
        // In particular a PodDisruptionBudget gets no unhealthyPodEvictionPolicy: v1.31 does not default it.
        assertThat(defaulted(manifest)).isEqualTo(yaml(manifest));
    }

    // ---- quantities ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "0.5, 500m",
        "1024Mi, 1Gi",
        "2000m, 2",
        "1.5, 1500m",
        "1.5Gi, 1536Mi",
        "1536Mi, 1536Mi",
        "2048Ki, 2Mi",
        "512Ki, 512Ki",
        "0.5Ki, 512",
        "1000Mi, 1000Mi",
        "10Gi, 10Gi",
        "1000, 1k",
        "1000k, 1M",
        "5000M, 5G",
        "1500, 1500",
        "128974848, 128974848",
        "129e6, 129e6",
        "12e2, 1200",
        "100m, 100m",
        "0.1m, 1m",
        "1.0001, 1001m",
        "0.30000000000000004, 301m",
        "0.9Gi, 966367641600m",
        "0, 0",
        "0Gi, 0",
        "0.000, 0",
        "-1.5, -1500m",
        "' 2 ', 2",
        // apimachinery keeps a string it considers canonical as it was sent
        "1.500, 1.500",
    })
    void resourceListQuantitiesAreCanonicalised(String sent, String stored) {
        assertThat(KubernetesDefaults.Quantity.parse(sent)
                        .orElseThrow()
                        .roundUpToMilli()
                        .toString())
                .isEqualTo(stored);
    }

    @Test
    void quantitiesOutsideResourceListsKeepNanoPrecision() {
        assertThat(KubernetesDefaults.Quantity.parse("0.1m").orElseThrow().toString())
                .isEqualTo("100u");
    }

    @Test
    void numericQuantitiesBecomeStringsAndInvalidOnesAreKept() {
        Map<String, Object> pod = defaulted("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                spec:
                  containers:
                  - name: a
                    image: a:1
                    resources:
                      limits: {cpu: 2, memory: 1073741824, example.com/gpu: 1}
                      requests: {cpu: 0.25, ephemeral-storage: lots}
                """);
        Map<String, Object> resources = at(items(at(pod, "spec"), "containers").get(0), "resources");
        assertThat(at(resources, "limits"))
                .isEqualTo(Map.of("cpu", "2", "memory", "1073741824", "example.com/gpu", "1"));
        assertThat(at(resources, "requests"))
                .isEqualTo(Map.of(
                        "cpu", "250m", "ephemeral-storage", "lots", "memory", "1073741824", "example.com/gpu", "1"));
    }

    // ---- idempotence --------------------------------------------------------------------------------------------

    static Stream<String> manifests() {
        return Stream.concat(
                Stream.of(
                        VALIDATING_ADMISSION_POLICY,
                        VALIDATING_ADMISSION_POLICY_BINDING,
                        MUTATING_WEBHOOK_CONFIGURATION,
                        INGRESS_ONLY_NETWORK_POLICY,
                        DEPLOYMENT,
                        STATEFUL_SET,
                        DAEMON_SET,
                        REPLICA_SET,
                        JOB,
                        CRON_JOB,
                        POD,
                        CLUSTER_IP_SERVICE,
                        HORIZONTAL_POD_AUTOSCALER,
                        NAMESPACE,
                        ROLE_BINDING,
                        LIMIT_RANGE,
                        RESOURCE_QUOTA,
                        PERSISTENT_VOLUME_CLAIM),
                untouchedKinds());
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void applyingTwiceGivesTheSameObjectAsApplyingOnce(String manifest) {
        Map<String, Object> once = defaulted(manifest);
        Map<String, Object> twice = defaulted(manifest);
        KubernetesDefaults.apply(twice);
        assertThat(twice).isEqualTo(once);
        // And the result survives a JSON round trip unchanged, as the store would write and read it.
        Map<String, Object> reread = yaml(Serialization.asJson(once));
        KubernetesDefaults.apply(reread);
        assertThat(reread).isEqualTo(once);
    }
}
