package io.meridian.policy.api;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.meridian.policy.domain.PolicyDefinition;
import io.meridian.policy.domain.PolicyLibrary;
import io.meridian.policy.domain.VapImport;
import io.meridian.policy.persistence.PolicyStore;
import io.meridian.policy.reconcile.ComplianceReconciler;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Fleet policies in the shape of ValidatingAdmissionPolicy: viewers read, operators and admins write. A change is
 * applied to the fleet at once (re-audit, enforcement bundles) after it commits.
 */
@Path("/api/v1/policies")
@Tag(name = "policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    static final String YAML = "application/yaml";
    private static final YAMLMapper YAML_MAPPER = new YAMLMapper();
    private static final Map<String, PolicyDefinition> LIBRARY = PolicyLibrary.load();

    private final PolicyStore store;
    private final ComplianceReconciler reconciler;
    private final SecurityIdentity identity;

    PolicyResource(PolicyStore store, ComplianceReconciler reconciler, SecurityIdentity identity) {
        this.store = store;
        this.reconciler = reconciler;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every policy, by name")
    public Uni<List<PolicyView>> list() {
        return store.list().map(all -> all.stream().map(PolicyView::of).toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One policy")
    public Uni<PolicyView> get(@PathParam("name") String name) {
        return store.get(name).map(PolicyView::of);
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Create a policy; a CEL error answers 400 naming the field and position",
            description = "Ensure objects beyond the operator allow-list (NetworkPolicy, LimitRange, ResourceQuota,"
                    + " ConfigMap) need a fleet-admin (403); RBAC, admission, Secret and token kinds are refused"
                    + " for everyone (400).")
    public Uni<Response> create(PolicyDefinition body) {
        // Every way in (create, import, built-in install) comes through here: the guard rails hold for each.
        PolicyValidation.requireValid(body);
        PolicyValidation.requirePermitted(body, identity.hasRole(Roles.ADMIN));
        return store.create(body, actor()).map(this::created);
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Replace a policy; its generation increases and the fleet is re-audited")
    public Uni<PolicyView> replace(@PathParam("name") String name, PolicyDefinition body) {
        PolicyValidation.requireValid(body);
        PolicyValidation.requirePermitted(body, identity.hasRole(Roles.ADMIN));
        if (!name.equals(body.name())) {
            throw ProblemException.invalid("name", "must equal the name in the path ('" + name + "')");
        }
        return store.replace(body, actor()).map(stored -> {
            reconciler.policyChanged();
            return PolicyView.of(stored);
        });
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Delete a policy: its violations close and its enforcement objects are pruned")
    public Uni<Response> delete(@PathParam("name") String name) {
        return store.delete(name).map(gone -> {
            reconciler.policyChanged();
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/import")
    @Consumes({YAML, "application/x-yaml", "text/yaml"})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Create a policy from ValidatingAdmissionPolicy YAML (and its binding, if given)")
    public Uni<Response> importYaml(String yaml) {
        List<Map<String, Object>> documents = parseYaml(yaml);
        return switch (VapImport.from(documents)) {
            case VapImport.Rejected rejected -> throw PolicyValidation.reject(rejected.problems());
            case VapImport.Imported imported -> create(imported.definition());
        };
    }

    @GET
    @Path("/library")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The built-in policies, ready to install")
    public List<PolicyDefinition> library() {
        return List.copyOf(LIBRARY.values());
    }

    @GET
    @Path("/library/{name}")
    @Produces(YAML)
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "A built-in policy as ValidatingAdmissionPolicy YAML")
    public String libraryYaml(@PathParam("name") String name) {
        if (!LIBRARY.containsKey(name)) {
            throw ProblemException.notFound("built-in policy '" + name + "'");
        }
        return PolicyLibrary.yaml(name);
    }

    @POST
    @Path("/library/{name}/install")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Install a built-in policy under its own name (409 if one of that name exists)")
    public Uni<Response> install(@PathParam("name") String name) {
        PolicyDefinition def = LIBRARY.get(name);
        if (def == null) {
            throw ProblemException.notFound("built-in policy '" + name + "'");
        }
        return create(def);
    }

    private Response created(PolicyStore.StoredPolicy stored) {
        reconciler.policyChanged();
        return Response.created(
                        URI.create("/api/v1/policies/" + stored.definition().name()))
                .entity(PolicyView.of(stored))
                .build();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parseYaml(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new ProblemException(Problem.invalid("A YAML body is required", List.of()));
        }
        List<Map<String, Object>> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML_MAPPER.readValues(parser, Object.class);
            while (it.hasNextValue()) {
                Object doc = it.nextValue();
                if (doc instanceof Map<?, ?> m) {
                    documents.add((Map<String, Object>) m);
                } else if (doc != null) {
                    throw ProblemException.invalid("body", "every YAML document must be a Kubernetes object");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            throw ProblemException.invalid("body", "is not valid YAML: " + firstLine(e.getMessage()));
        }
        return documents;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private String actor() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }
}
