package io.meridian.placement.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.meridian.placement.config.WorkloadLimits;
import io.meridian.placement.domain.FieldProblem;
import io.meridian.placement.domain.Workload;
import io.meridian.placement.domain.WorkloadRules;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What a workload write declares, read and checked: a JSON or YAML body in, a valid, normalized workload out; 413 when
 * it is too large, 400 naming every problem. All of it is CPU work on the whole body, so the API runs it on a worker
 * thread ({@link WorkerThreads}), never on the event loop.
 */
@Singleton
class WorkloadAdmission {

    private final WorkloadLimits limits;
    private final WorkloadMeters meters;

    WorkloadAdmission(WorkloadLimits limits, WorkloadMeters meters) {
        this.limits = limits;
        this.meters = meters;
    }

    /** The workload a body of {@code type} (JSON, else YAML) declares. */
    Workload admit(MediaType type, String body) throws JsonProcessingException {
        boolean json = type != null && "json".equalsIgnoreCase(type.getSubtype());
        if (!json) {
            return accept(WorkloadYaml.read(body));
        }
        // An empty JSON body is no workload, as Jackson reads it for a typed parameter.
        return accept(body == null || body.isBlank() ? null : WorkloadInput.JSON.readValue(body, WorkloadInput.class));
    }

    private Workload accept(WorkloadInput body) {
        if (body == null) {
            meters.refused("invalid");
            throw new ProblemException(Problem.invalid("A workload body is required", List.of()));
        }
        requireWithinLimits(body);
        List<FieldProblem> problems = new ArrayList<>();
        Workload declared = body.toWorkload(problems);
        WorkloadRules.Checked checked = WorkloadRules.check(declared);
        problems.addAll(checked.problems());
        if (!problems.isEmpty()) {
            meters.refused("invalid");
            throw ProblemException.invalid(FieldProblems.errors(problems));
        }
        return checked.workload();
    }

    // Overrides count too: a merge patch can be as large as the manifest it patches, and what is rendered for a
    // cluster is the manifests with the overrides applied.
    private void requireWithinLimits(WorkloadInput body) {
        int count = body.manifests() == null ? 0 : body.manifests().size();
        if (count > limits.maxObjects()) {
            throw tooLarge("manifests", count + " manifests; a workload holds at most " + limits.maxObjects());
        }
        int overrides = body.overrides() == null ? 0 : body.overrides().size();
        if (overrides > limits.maxOverrides()) {
            throw tooLarge("overrides", overrides + " overrides; a workload holds at most " + limits.maxOverrides());
        }
        long bytes;
        try {
            bytes = (body.manifests() == null ? 0 : WorkloadInput.JSON.writeValueAsBytes(body.manifests()).length)
                    + (body.overrides() == null ? 0 : WorkloadInput.JSON.writeValueAsBytes(body.overrides()).length);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("manifests", "cannot be written as JSON: " + e.getOriginalMessage());
        }
        if (bytes > limits.maxBytes()) {
            throw tooLarge(
                    "manifests",
                    bytes + " bytes of manifests and overrides (as JSON); a workload holds at most " + limits.maxBytes()
                            + ": every workload on a cluster travels in that cluster's one bundle");
        }
    }

    private ProblemException tooLarge(String field, String detail) {
        meters.refused("too-large");
        return new ProblemException(new Problem(
                URI.create("https://meridian.io/problems/workload-too-large"),
                "Payload too large",
                413,
                "The workload is too large: " + detail + ". Split it into several workloads.",
                null,
                List.of(new Problem.FieldError(field, detail))));
    }
}
