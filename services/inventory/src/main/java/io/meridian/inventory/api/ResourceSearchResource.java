package io.meridian.inventory.api;

import io.meridian.contracts.cluster.Cloud;
import io.meridian.contracts.resource.ObservedResource;
import io.meridian.contracts.selector.LabelSelector;
import io.meridian.inventory.search.ImageGlob;
import io.meridian.inventory.search.ResourceIndex;
import io.meridian.inventory.search.ResourceQuery;
import io.meridian.servicekit.Problem;
import io.meridian.servicekit.ProblemException;
import io.meridian.servicekit.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "What runs where": search every observed object of the fleet. */
@Path("/api/v1/resources")
@Tag(name = "resources")
@Produces(MediaType.APPLICATION_JSON)
public class ResourceSearchResource {

    /** One page of observed objects. */
    public record ResourcePage(List<ObservedResource> items, int total, String nextCursor) {}

    private final ResourceIndex index;

    ResourceSearchResource(ResourceIndex index) {
        this.index = index;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(
            summary = "Search observed objects across the fleet",
            description =
                    "image is a glob matched in linear time (* any run, ? one character; nginx:*, *:latest; at most"
                            + " 512 characters); labelSelector is a Kubernetes selector; q matches names")
    public ResourcePage search(
            @QueryParam("cluster") String cluster,
            @QueryParam("cloud") String cloud,
            @QueryParam("kind") String kind,
            @QueryParam("namespace") String namespace,
            @QueryParam("labelSelector") String labelSelector,
            @QueryParam("image") String image,
            @QueryParam("q") String text,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("cursor") String cursor) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (cloud != null && Cloud.fromWire(cloud).isEmpty()) {
            errors.add(new Problem.FieldError("cloud", "must be one of " + Cloud.wireNames()));
        }
        if (limit < 1 || limit > 1000) {
            errors.add(new Problem.FieldError("limit", "must be between 1 and 1000"));
        }
        LabelSelector selector = null;
        try {
            selector = labelSelector == null ? null : LabelSelector.parse(labelSelector);
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("labelSelector", e.getMessage()));
        }
        ImageGlob imageGlob = null;
        try {
            imageGlob = image == null ? null : ImageGlob.parse(image);
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("image", e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        ResourceIndex.Page page = index.search(
                new ResourceQuery(cluster, cloud, kind, namespace, selector, imageGlob, text), limit, cursor);
        return new ResourcePage(page.items(), page.total(), page.nextCursor());
    }
}
