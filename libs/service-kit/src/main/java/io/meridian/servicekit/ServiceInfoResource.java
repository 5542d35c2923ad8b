package io.meridian.servicekit;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.flywaydb.core.Flyway;

/**
 * What this service is and who the caller is to it: a portal uses it to show the service's version
 * and to enable only the actions the caller's roles allow.
 */
@Path("/api/v1/service")
@Tag(name = "service")
public class ServiceInfoResource {

    /** The service, its database schema version, and the caller as this service sees them. */
    public record ServiceInfo(String service, String version, String schemaVersion, Caller caller) {}

    /** The authenticated caller and the fleet roles its token carries. */
    public record Caller(String name, Set<String> roles, boolean canWrite, boolean isAdmin) {}

    @Inject
    SecurityIdentity identity;

    @Inject
    Flyway flyway;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "This service's identity and the caller's fleet roles")
    public ServiceInfo info() {
        Set<String> roles = new TreeSet<>(identity.getRoles());
        roles.retainAll(Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN));
        var current = flyway.info().current();
        return new ServiceInfo(
                service,
                version,
                current == null ? "none" : current.getVersion().getVersion(),
                new Caller(
                        identity.getPrincipal().getName(),
                        roles,
                        roles.contains(Roles.OPERATOR) || roles.contains(Roles.ADMIN),
                        roles.contains(Roles.ADMIN)));
    }
}
