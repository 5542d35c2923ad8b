package io.meridian.inventory.bundle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Meridian's field managers on a cluster ({@code meridian-<owner>}) and what an API server says about them. */
final class FieldManagers {

    private static final String PREFIX = "meridian-";
    private static final Pattern CONFLICT_WITH = Pattern.compile("conflict with \"([^\"]{1,253})\"");

    private FieldManagers() {}

    /** The field manager an owner's objects are applied with, e.g. {@code meridian-identity}. */
    static String of(String owner) {
        return PREFIX + owner;
    }

    /** Whether {@code owner}'s field manager owns any field of {@code live}. */
    static boolean manages(HasMetadata live, String owner) {
        String manager = of(owner);
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        return entries != null
                && entries.stream()
                        .anyMatch(e -> manager.equals(e.getManager())
                                && e.getFieldsV1() != null
                                && e.getFieldsV1().getAdditionalProperties() != null
                                && !e.getFieldsV1().getAdditionalProperties().isEmpty());
    }

    /** The managers of an object, for a message ({@code none} when it records none). */
    static String describe(HasMetadata live) {
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        if (entries == null || entries.isEmpty()) {
            return "none";
        }
        return String.join(
                ", ",
                entries.stream()
                        .map(ManagedFieldsEntry::getManager)
                        .filter(Objects::nonNull)
                        .distinct()
                        .toList());
    }

    /** Whether a 409 answers a server-side apply with field conflicts (rather than a stale write). */
    static boolean isApplyConflict(KubernetesClientException e) {
        return !causes(e).isEmpty();
    }

    /**
     * The conflicts of a refused apply, one per manager with its fields, and what to do: e.g. {@code conflicts with
     * field manager "kube-controller-manager" (.spec.replicas); set adopt: true in the bundle to take these fields}.
     */
    static String conflicts(KubernetesClientException e) {
        Map<String, List<String>> byManager = new LinkedHashMap<>();
        for (StatusCause cause : causes(e)) {
            Matcher manager = CONFLICT_WITH.matcher(String.valueOf(cause.getMessage()));
            byManager
                    .computeIfAbsent(manager.find() ? manager.group(1) : "another manager", m -> new ArrayList<>())
                    .add(cause.getField());
        }
        List<String> parts = new ArrayList<>();
        byManager.forEach((manager, fields) ->
                parts.add("field manager \"" + manager + "\" (" + String.join(", ", fields) + ")"));
        return "conflicts with " + String.join("; ", parts)
                + "; set adopt: true in the bundle to take these fields, or leave them out of it";
    }

    private static List<StatusCause> causes(KubernetesClientException e) {
        if (e.getStatus() == null || e.getStatus().getDetails() == null) {
            return List.of();
        }
        List<StatusCause> causes = e.getStatus().getDetails().getCauses();
        return causes == null
                ? List.of()
                : causes.stream()
                        .filter(c -> "FieldManagerConflict".equals(c.getReason()))
                        .toList();
    }
}
