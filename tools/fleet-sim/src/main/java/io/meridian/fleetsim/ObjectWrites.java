package io.meridian.fleetsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meridian.fleetsim.MergeSchema.Node;
import io.meridian.fleetsim.ServerSideApply.ManagerEntry;
import io.meridian.fleetsim.ServerSideApply.Outcome;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The object writes of one simulated API server, done as a v1.31 API server does them rather than as fabric8's mock
 * does: create (POST), replace (PUT), JSON / merge / strategic merge patch and server-side apply
 * ({@code application/apply-patch+yaml}, which creates an absent object), on an object or its {@code status}. Every
 * write records {@code managedFields}, fills in {@link KubernetesDefaults}, bumps {@code generation} only when more
 * than metadata and status changed, refuses a stale {@code resourceVersion}, and is a true no-op (same
 * resourceVersion, no watch event) when it changes nothing.
 *
 * <p>{@code dryRun} is honoured by answering without storing; {@code fieldValidation} is ignored (unknown fields are
 * kept, as with {@code fieldValidation=Ignore}).
 */
final class ObjectWrites {

    /** The manager of an in-process write that names none (a real server would record an empty name). */
    static final String SIMULATOR_MANAGER = "fleet-sim";

    private static final Logger LOG = Logger.getLogger(ObjectWrites.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLY_PATCH = "apply-patch+yaml";
    private static final String MERGE_PATCH = "merge-patch+json";
    private static final String JSON_PATCH = "json-patch+json";
    private static final String STRATEGIC_PATCH = "strategic-merge-patch+json";
    private static final String NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final KubernetesCrudDispatcher crud;
    private final Lock storeLock;
    private final Clock clock;
    private final Consumer<Map<String, Object>> defaults = KubernetesDefaults::apply;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param storeLock the CRUD store's own write lock, so that a write here excludes its reads and watch set-ups
     *     exactly as its own writes do
     */
    ObjectWrites(KubernetesCrudDispatcher crud, Lock storeLock, Clock clock) {
        this.crud = crud;
        this.storeLock = storeLock;
        this.clock = clock;
    }

    /** The answer to a write, or null when the request is not one handled here (the CRUD store answers it). */
    MockResponse handle(RecordedRequest request) {
        HttpMethod method = request.method();
        if (method == HttpMethod.DELETE) {
            return deleteWithPreconditions(request);
        }
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return null;
        }
        Target target = Target.parse(request.getPath());
        if (target == null
                || !(target.subresource().isEmpty() || target.subresource().equals("status"))
                || (method == HttpMethod.POST) != (target.name() == null)) {
            return null;
        }
        String body = request.getBody() == null ? "" : request.getBody().readUtf8();
        Write write = new Write(
                request, target, body, manager(request, target), target.query().containsKey("dryRun"));
        storeLock.lock();
        try {
            return switch (method) {
                case POST -> create(write);
                case PUT -> replace(write);
                default -> patch(write);
            };
        } catch (Refusal refusal) {
            return refusal.response();
        } catch (PatchFormats.InvalidPatch e) {
            return status(422, "Invalid", e.getMessage(), target, null);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "write " + request.getPath() + " failed", e);
            return status(500, "InternalError", "Internal error occurred: " + e, target, null);
        } finally {
            storeLock.unlock();
        }
    }

    /**
     * A DELETE of one object whose {@code DeleteOptions} carry {@code preconditions} (uid, resourceVersion): refused
     * with 409 unless the stored object still has them, as a real server checks them in its storage layer; then deleted
     * by the CRUD store under the same lock, so that nothing changes the object in between. Null (the CRUD store
     * answers) for any other DELETE.
     */
    private MockResponse deleteWithPreconditions(RecordedRequest request) {
        Target target = Target.parse(request.getPath());
        if (target == null || target.name() == null || !target.subresource().isEmpty()) {
            return null;
        }
        String body = request.getBody() == null ? "" : request.getBody().readUtf8();
        Map<String, Object> preconditions = Map.of();
        if (!body.isBlank()) {
            try {
                preconditions = object(parseJson(body, target), "preconditions");
            } catch (Refusal refusal) {
                return refusal.response();
            }
        }
        // The body was read: the CRUD store gets the same request with it again.
        var again = new io.fabric8.mockwebserver.http.Buffer();
        again.writeUtf8(body);
        RecordedRequest forward = new RecordedRequest(
                request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(), again);
        if (preconditions.isEmpty()) {
            return crud.dispatch(forward);
        }
        storeLock.lock();
        try {
            Map.Entry<AttributeSet, String> entry = crud.findResource(crud.getKey(target.path()));
            if (entry != null) {
                checkDeletePreconditions(target, parseJson(entry.getValue(), target), preconditions);
            }
            return crud.dispatch(forward);
        } catch (Refusal refusal) {
            return refusal.response();
        } finally {
            storeLock.unlock();
        }
    }

    /** A real server's storage check of delete preconditions, uid first, with its messages. */
    private static void checkDeletePreconditions(
            Target target, Map<String, Object> live, Map<String, Object> preconditions) {
        Map<String, Object> liveMetadata = object(live, "metadata");
        String uid = string(preconditions.get("uid"));
        String liveUid = string(liveMetadata.get("uid"));
        String resourceVersion = string(preconditions.get("resourceVersion"));
        String liveVersion = string(liveMetadata.get("resourceVersion"));
        String failed = null;
        if (preconditions.get("uid") != null && !uid.equals(liveUid)) {
            failed = "UID in precondition: " + uid + ", UID in object meta: " + liveUid;
        } else if (preconditions.get("resourceVersion") != null && !resourceVersion.equals(liveVersion)) {
            failed = "ResourceVersion in precondition: " + resourceVersion + ", ResourceVersion in object meta: "
                    + liveVersion;
        }
        if (failed != null) {
            throw conflict(target, "Precondition failed: " + failed);
        }
    }

    // ---- the writes ----

    private MockResponse create(Write write) {
        Target target = write.target();
        Map<String, Object> body = parseJson(write.body(), target);
        requireKind(body, target);
        Map<String, Object> metadata = object(body, "metadata");
        String name = string(metadata.get("name"));
        if (name.isEmpty()) {
            String generateName = string(metadata.get("generateName"));
            if (generateName.isEmpty()) {
                throw new Refusal(status(
                        422,
                        "Invalid",
                        "metadata.name: Required value: name or generateName is required",
                        target,
                        null));
            }
            name = generateName + randomSuffix();
            metadata.put("name", name);
        }
        checkNamespace(target, metadata);
        AttributeSet key = crud.getKey(target.path()).add(new Attribute(KubernetesAttributesExtractor.NAME, name));
        if (crud.findResource(key) != null) {
            throw new Refusal(status(
                    409,
                    "AlreadyExists",
                    target.resource() + " \"" + name + "\" already exists",
                    target.named(name),
                    null));
        }
        List<ManagerEntry> managers = ServerSideApply.managers(body);
        Outcome.Written written = ServerSideApply.update(
                null, prepareCreate(target, body), schema(body), managers, updater(write), createdAt(), defaults);
        return store(write, key, null, null, written, 201);
    }

    private MockResponse replace(Write write) {
        Target target = write.target();
        Map.Entry<AttributeSet, String> entry = find(target);
        Map<String, Object> live = parseJson(entry.getValue(), target);
        Map<String, Object> body = parseJson(write.body(), target);
        body.putIfAbsent("apiVersion", live.get("apiVersion"));
        body.putIfAbsent("kind", live.get("kind"));
        Map<String, Object> metadata = object(body, "metadata");
        checkName(target, metadata);
        checkNamespace(target, metadata);
        checkPreconditions(target, live, metadata);
        return update(write, entry, live, body);
    }

    private MockResponse patch(Write write) {
        Target target = write.target();
        String type = patchType(write.request());
        if (type.equals(APPLY_PATCH)) {
            return apply(write);
        }
        if (write.force()) {
            throw new Refusal(
                    status(422, "Invalid", "force: Forbidden: may not be specified for non-apply patch", target, null));
        }
        Map.Entry<AttributeSet, String> entry = find(target);
        Map<String, Object> live = parseJson(entry.getValue(), target);
        Map<String, Object> patched = switch (type) {
            case JSON_PATCH -> PatchFormats.json(live, write.body());
            case MERGE_PATCH -> PatchFormats.merge(live, parseValue(write.body(), target));
            case STRATEGIC_PATCH -> PatchFormats.strategic(live, parseValue(write.body(), target), schema(live));
            default ->
                throw new Refusal(status(
                        415, "UnsupportedMediaType", "the body of the request was in an unknown format", target, null));
        };
        checkPreconditions(target, live, object(patched, "metadata"));
        return update(write, entry, live, patched);
    }

    /** A replace or non-apply patch: {@code next} is the whole object the client wants. */
    private MockResponse update(
            Write write, Map.Entry<AttributeSet, String> entry, Map<String, Object> live, Map<String, Object> next) {
        Target target = write.target();
        Map<String, Object> object;
        List<ManagerEntry> managers = ServerSideApply.managers(live);
        if (target.isStatus()) {
            object = ServerSideApply.deepCopy(live);
            putOrRemove(object, "status", next.get("status"));
        } else {
            object = next;
            if (crud.isStatusSubresourceEnabledForResource(target.path())) {
                putOrRemove(object, "status", live.get("status"));
            }
            // As on a real server, managedFields the client sends (other than those it read) replace the recorded ones.
            List<ManagerEntry> sent = ServerSideApply.managers(next);
            if (!sent.isEmpty() && !ServerSideApply.valueEquals(managedFields(next), managedFields(live))) {
                managers = sent;
            }
        }
        keepIdentity(live, object);
        Outcome.Written written =
                ServerSideApply.update(live, object, schema(live), managers, updater(write), now(), defaults);
        return store(write, crud.getKey(target.path()), entry, live, written, 200);
    }

    private MockResponse apply(Write write) {
        Target target = write.target();
        String manager = target.query().get("fieldManager");
        if (manager == null || manager.isBlank()) {
            throw new Refusal(status(
                    400,
                    "BadRequest",
                    "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply"
                            + " patch",
                    target,
                    null));
        }
        Map<String, Object> config = parseApplyConfiguration(write.body(), target);
        if (string(config.get("apiVersion")).isEmpty()
                || string(config.get("kind")).isEmpty()) {
            throw new Refusal(
                    status(400, "BadRequest", "apiVersion and kind must be set in an apply patch", target, null));
        }
        String apiVersion = string(config.get("apiVersion"));
        if (!apiVersion.equals(target.apiVersion())) {
            throw new Refusal(status(
                    400,
                    "BadRequest",
                    "Incorrect version specified in apply patch. Specified patch version: " + apiVersion
                            + ", expected: " + target.apiVersion(),
                    target,
                    null));
        }
        Map<String, Object> metadata = object(config, "metadata");
        if (metadata.get("managedFields") != null) {
            throw new Refusal(status(400, "BadRequest", "metadata.managedFields must be nil", target, null));
        }
        checkName(target, metadata);
        checkNamespace(target, metadata);
        Map.Entry<AttributeSet, String> entry = crud.findResource(crud.getKey(target.path()));
        if (entry == null && target.isStatus()) {
            throw notFound(target);
        }
        Map<String, Object> live = entry == null ? null : parseJson(entry.getValue(), target);
        if (live != null) {
            checkPreconditions(target, live, metadata);
        }
        Map<String, Object> applied = appliedPart(target, config);
        Node schema = schema(config);
        String invalid = ServerSideApply.invalidList(applied, schema);
        if (invalid != null) {
            // A real server answers this with a plain (500) error from building the typed patch.
            throw new Refusal(status(
                    500,
                    "InternalError",
                    "failed to create typed patch object (" + (target.namespace() == null ? "" : target.namespace())
                            + "/" + target.name() + "; " + (apiVersion.contains("/") ? "" : "/") + apiVersion
                            + ", Kind=" + string(config.get("kind")) + "): " + invalid,
                    target,
                    null));
        }
        ManagerEntry applier = new ManagerEntry(
                manager,
                ServerSideApply.APPLY,
                string(config.get("apiVersion")),
                target.subresource(),
                null,
                ServerSideApply.fieldSet(applied, schema));
        List<ManagerEntry> managers = live == null ? List.of() : ServerSideApply.managers(live);
        Outcome outcome = ServerSideApply.apply(
                live, applied, schema, managers, applier, write.force(), live == null ? createdAt() : now(), defaults);
        return switch (outcome) {
            case Outcome.Refused refused -> conflict(target, refused);
            case Outcome.Written written
            when live == null -> {
                prepareCreate(target, written.object());
                yield store(write, crud.getKey(target.path()), null, null, written, 201);
            }
            case Outcome.Written written -> {
                keepIdentity(live, written.object());
                yield store(write, crud.getKey(target.path()), entry, live, written, 200);
            }
        };
    }

    // ---- storing ----

    /**
     * Stores a written object: managedFields, generation and resourceVersion set, nothing stored when it equals the
     * live one, deleted when it is marked for deletion and has no finalizers left.
     */
    private MockResponse store(
            Write write,
            AttributeSet key,
            Map.Entry<AttributeSet, String> entry,
            Map<String, Object> live,
            Outcome.Written written,
            int code) {
        Map<String, Object> object = written.object();
        Map<String, Object> metadata = object(object, "metadata");
        List<Object> managedFields = ServerSideApply.encode(written.managers());
        if (managedFields.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            metadata.put("managedFields", managedFields);
        }
        // What the store will hold: the typed metadata drops empty values, so compare after the same round trip. The
        // typed object is kept, and what changes after the comparison is set on both, rather than converting again.
        ObjectMapper mapper = Serialization.jsonMapper();
        GenericKubernetesResource resource = mapper.convertValue(object, GenericKubernetesResource.class);
        Map<String, Object> stored = live == null ? object : typedMap(resource);
        validate(write.target(), live, stored);
        if (live != null) {
            if (ServerSideApply.valueEquals(live, stored)) {
                return new MockResponse().setResponseCode(200).setBody(entry.getValue());
            }
            if (!write.target().isStatus() && specChanged(live, stored)) {
                long generation = generation(live) + 1;
                object(stored, "metadata").put("generation", generation);
                resource.getMetadata().setGeneration(generation);
            }
        }
        if (write.dryRun()) {
            return new MockResponse().setResponseCode(code).setBody(json(stored));
        }
        String resourceVersion = String.valueOf(crud.requestResourceVersion());
        object(stored, "metadata").put("resourceVersion", resourceVersion);
        resource.getMetadata().setResourceVersion(resourceVersion);
        if (entry != null
                && resource.isMarkedForDeletion()
                && resource.getFinalizers().isEmpty()) {
            crud.processEvent(write.request().getPath(), key, entry.getKey(), null, null);
            return new MockResponse().setResponseCode(200).setBody(Serialization.asJson(resource));
        }
        String json = Serialization.asJson(resource);
        crud.processEvent(write.request().getPath(), key, entry == null ? null : entry.getKey(), resource, json);
        return new MockResponse().setResponseCode(code).setBody(json);
    }

    /** Refuses, as a real server's validation does, an object of a kind {@link SelectorValidation} checks. */
    private static void validate(Target target, Map<String, Object> live, Map<String, Object> stored) {
        String kind = string(stored.get("kind"));
        if (target.isStatus() || !SelectorValidation.applies(target.group(), kind)) {
            return;
        }
        List<SelectorValidation.FieldError> errors = SelectorValidation.check(kind, live, stored);
        if (errors.isEmpty()) {
            return;
        }
        String name = string(object(stored, "metadata").get("name"));
        List<String> described =
                errors.stream().map(SelectorValidation.FieldError::describe).toList();
        List<Map<String, Object>> causes = new ArrayList<>();
        for (SelectorValidation.FieldError error : errors) {
            Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("reason", error.reason());
            cause.put("message", error.detail());
            cause.put("field", error.field());
            causes.add(cause);
        }
        throw new Refusal(status(
                422,
                "Invalid",
                kind + "." + target.group() + " \"" + name + "\" is invalid: "
                        + (described.size() == 1 ? described.getFirst() : "[" + String.join(", ", described) + "]"),
                target.named(name),
                causes,
                kind));
    }

    /** Sets what a real server sets on a new object and drops what a client cannot set on one. */
    private Map<String, Object> prepareCreate(Target target, Map<String, Object> object) {
        Map<String, Object> metadata = object(object, "metadata");
        for (String field : List.of(
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "resourceVersion",
                "uid",
                "creationTimestamp",
                "generation",
                "selfLink")) {
            metadata.remove(field);
        }
        IdentityKeepingCrud.Identity identity = IdentityKeepingCrud.pending();
        metadata.put(
                "uid", identity != null ? identity.uid() : UUID.randomUUID().toString());
        metadata.put("creationTimestamp", createdAt());
        metadata.put("generation", 1);
        if (target.namespace() != null) {
            metadata.put("namespace", target.namespace());
        } else {
            metadata.remove("namespace");
        }
        if (crud.isStatusSubresourceEnabledForResource(target.path())) {
            object.remove("status");
        }
        return object;
    }

    /** What a client cannot change on an existing object: it keeps the live values. */
    private static void keepIdentity(Map<String, Object> live, Map<String, Object> object) {
        Map<String, Object> liveMetadata = object(live, "metadata");
        Map<String, Object> metadata = object(object, "metadata");
        for (String field : List.of(
                "name",
                "namespace",
                "uid",
                "creationTimestamp",
                "resourceVersion",
                "generation",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "selfLink")) {
            putOrRemove(metadata, field, liveMetadata.get(field));
        }
        metadata.remove("managedFields");
    }

    /** The part of an apply configuration that applies here: only {@code status} on the status subresource. */
    private Map<String, Object> appliedPart(Target target, Map<String, Object> config) {
        Map<String, Object> applied = ServerSideApply.deepCopy(config);
        Map<String, Object> metadata = object(applied, "metadata");
        for (String field :
                List.of("uid", "resourceVersion", "generation", "creationTimestamp", "selfLink", "deletionTimestamp")) {
            metadata.remove(field);
        }
        if (target.isStatus()) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("apiVersion", applied.get("apiVersion"));
            status.put("kind", applied.get("kind"));
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("name", metadata.get("name"));
            if (metadata.containsKey("namespace")) {
                identity.put("namespace", metadata.get("namespace"));
            }
            status.put("metadata", identity);
            if (applied.get("status") != null) {
                status.put("status", applied.get("status"));
            }
            return status;
        }
        if (crud.isStatusSubresourceEnabledForResource(target.path())) {
            applied.remove("status");
        }
        return applied;
    }

    // ---- checks ----

    private Map.Entry<AttributeSet, String> find(Target target) {
        Map.Entry<AttributeSet, String> entry = crud.findResource(crud.getKey(target.path()));
        if (entry == null) {
            throw notFound(target);
        }
        return entry;
    }

    private static Refusal notFound(Target target) {
        return new Refusal(
                status(404, "NotFound", target.resource() + " \"" + target.name() + "\" not found", target, null));
    }

    private static void checkName(Target target, Map<String, Object> metadata) {
        String name = string(metadata.get("name"));
        if (name.isEmpty()) {
            metadata.put("name", target.name());
        } else if (!name.equals(target.name())) {
            throw new Refusal(status(
                    400,
                    "BadRequest",
                    "the name of the object (" + name + ") does not match the name on the URL (" + target.name() + ")",
                    target,
                    null));
        }
    }

    private static void checkNamespace(Target target, Map<String, Object> metadata) {
        String namespace = string(metadata.get("namespace"));
        if (target.namespace() != null && !namespace.isEmpty() && !namespace.equals(target.namespace())) {
            throw new Refusal(status(
                    400,
                    "BadRequest",
                    "the namespace of the provided object does not match the namespace sent on the request",
                    target,
                    null));
        }
        if (target.namespace() != null) {
            metadata.put("namespace", target.namespace());
        }
    }

    /** A {@code resourceVersion} or {@code uid} the client sends must be the live one. */
    private static void checkPreconditions(Target target, Map<String, Object> live, Map<String, Object> metadata) {
        Map<String, Object> liveMetadata = object(live, "metadata");
        String resourceVersion = string(metadata.get("resourceVersion"));
        if (!resourceVersion.isEmpty() && !resourceVersion.equals(string(liveMetadata.get("resourceVersion")))) {
            throw conflict(
                    target,
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
        String uid = string(metadata.get("uid"));
        if (!uid.isEmpty() && !uid.equals(string(liveMetadata.get("uid")))) {
            throw conflict(
                    target,
                    "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                            + string(liveMetadata.get("uid")));
        }
    }

    /** A real server's 409 for a write or delete whose object changed: "Operation cannot be fulfilled on ...". */
    private static Refusal conflict(Target target, String detail) {
        return new Refusal(status(
                409,
                "Conflict",
                "Operation cannot be fulfilled on " + target.resource() + " \"" + target.name() + "\": " + detail,
                target,
                null));
    }

    private static void requireKind(Map<String, Object> body, Target target) {
        if (string(body.get("kind")).isEmpty()) {
            throw new Refusal(status(400, "BadRequest", "Object 'Kind' is missing in the request body", target, null));
        }
    }

    private static MockResponse conflict(Target target, Outcome.Refused refused) {
        List<Map<String, Object>> causes = new ArrayList<>();
        for (ServerSideApply.Conflict conflict : refused.conflicts()) {
            Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("reason", "FieldManagerConflict");
            cause.put("message", "conflict with " + conflict.owner().describe());
            cause.put("field", conflict.field());
            causes.add(cause);
        }
        String message;
        if (refused.conflicts().size() == 1) {
            ServerSideApply.Conflict only = refused.conflicts().getFirst();
            message = "Apply failed with 1 conflict: conflict with "
                    + only.owner().describe() + ": " + only.field();
        } else {
            List<String> lines = new ArrayList<>();
            String owner = null;
            for (ServerSideApply.Conflict conflict : refused.conflicts()) {
                if (!conflict.owner().describe().equals(owner)) {
                    owner = conflict.owner().describe();
                    lines.add("conflicts with " + owner + ":");
                }
                lines.add("- " + conflict.field());
            }
            message = "Apply failed with " + refused.conflicts().size() + " conflicts: " + String.join("\n", lines);
        }
        return status(409, "Conflict", message, null, causes);
    }

    // ---- requests ----

    /** One write request, with who makes it. */
    private record Write(RecordedRequest request, Target target, String body, String manager, boolean dryRun) {
        boolean force() {
            return "true".equalsIgnoreCase(target.query().get("force"));
        }
    }

    /** The manager of a write: {@code fieldManager}, else the User-Agent up to its first {@code /}, as a server does. */
    private static String manager(RecordedRequest request, Target target) {
        String manager = target.query().get("fieldManager");
        if (manager != null && !manager.isBlank()) {
            return manager;
        }
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null) {
            StringBuilder prefix = new StringBuilder();
            userAgent
                    .split("/", 2)[0]
                    .codePoints()
                    .filter(c -> !Character.isISOControl(c))
                    .limit(128)
                    .forEach(prefix::appendCodePoint);
            if (!prefix.isEmpty()) {
                return prefix.toString();
            }
        }
        return SIMULATOR_MANAGER;
    }

    private static ManagerEntry updater(Write write) {
        return new ManagerEntry(
                write.manager(),
                ServerSideApply.UPDATE,
                write.target().apiVersion(),
                write.target().subresource(),
                null,
                FieldSet.empty());
    }

    private static String patchType(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            return JSON_PATCH; // the mock's default, kept for in-process callers
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.substring(type.indexOf('/') + 1);
    }

    /** Where a write goes: {@code /api[s/<group>]/<version>[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]}. */
    record Target(
            String group,
            String version,
            String namespace,
            String plural,
            String name,
            String subresource,
            String path,
            Map<String, String> query) {

        static Target parse(String raw) {
            String[] pathAndQuery = raw.split("\\?", 2);
            String path = pathAndQuery[0];
            String[] segments = path.replaceFirst("^/+", "").split("/");
            int at;
            String group;
            if (segments.length >= 3 && segments[0].equals("api")) {
                group = "";
                at = 1;
            } else if (segments.length >= 4 && segments[0].equals("apis")) {
                group = segments[1];
                at = 2;
            } else {
                return null;
            }
            String version = segments[at];
            List<String> rest = List.of(segments).subList(at + 1, segments.length);
            String namespace = null;
            boolean namespaceSubresource = rest.size() == 3
                    && rest.get(0).equals("namespaces")
                    && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
            if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !namespaceSubresource) {
                namespace = rest.get(1);
                rest = rest.subList(2, rest.size());
            }
            if (rest.isEmpty() || rest.size() > 3 || rest.stream().anyMatch(String::isEmpty)) {
                return null;
            }
            return new Target(
                    group,
                    version,
                    namespace,
                    rest.get(0),
                    rest.size() > 1 ? rest.get(1) : null,
                    rest.size() > 2 ? rest.get(2) : "",
                    path,
                    query(pathAndQuery.length > 1 ? pathAndQuery[1] : ""));
        }

        boolean isStatus() {
            return subresource.equals("status");
        }

        /** The API version the client wrote with, e.g. {@code apps/v1}. */
        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        /** The resource as a server's messages name it, e.g. {@code deployments.apps}. */
        String resource() {
            return group.isEmpty() ? plural : plural + "." + group;
        }

        Target named(String objectName) {
            return new Target(group, version, namespace, plural, objectName, subresource, path, query);
        }

        private static Map<String, String> query(String query) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    String[] parts = pair.split("=", 2);
                    parameters.put(
                            URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                            parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
                }
            }
            return parameters;
        }
    }

    // ---- JSON ----

    private static Map<String, Object> parseJson(String text, Target target) {
        if (parseValue(text, target) instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        throw new Refusal(status(400, "BadRequest", "the request body must be a JSON object", target, null));
    }

    private static Object parseValue(String text, Target target) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new Refusal(
                    status(400, "BadRequest", "the request body is not valid JSON: " + e.getMessage(), target, null));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseApplyConfiguration(String text, Target target) {
        try {
            Object value = text.stripLeading().startsWith("{")
                    ? JSON.readValue(text, Object.class)
                    : Serialization.yamlMapper().readValue(text, Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new Refusal(status(400, "BadRequest", "error decoding YAML: " + e.getMessage(), target, null));
        }
        throw new Refusal(status(400, "BadRequest", "an apply patch must be an object", target, null));
    }

    /** An object as the store will hold it: through fabric8's typed metadata (which drops empty values) and back. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> typedMap(GenericKubernetesResource resource) {
        return Serialization.jsonMapper().convertValue(resource, Map.class);
    }

    private static String json(Object value) {
        try {
            return Serialization.jsonMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Kubernetes {@code Status} answer. */
    private static MockResponse status(
            int code, String reason, String message, Target target, List<Map<String, Object>> causes) {
        return status(code, reason, message, target, causes, target == null ? null : target.plural());
    }

    /** The same, naming the object's kind in {@code details} as {@code detailsKind} (an Invalid answer names the Kind). */
    private static MockResponse status(
            int code,
            String reason,
            String message,
            Target target,
            List<Map<String, Object>> causes,
            String detailsKind) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        Map<String, Object> details = new LinkedHashMap<>();
        if (target != null && target.name() != null) {
            details.put("name", target.name());
            details.put("group", target.group());
            details.put("kind", detailsKind);
        }
        if (causes != null) {
            details.put("causes", causes);
        }
        if (!details.isEmpty()) {
            status.put("details", details);
        }
        status.put("code", code);
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(json(status));
    }

    private static boolean specChanged(Map<String, Object> live, Map<String, Object> next) {
        Set<String> fields = new HashSet<>(live.keySet());
        fields.addAll(next.keySet());
        for (String field : fields) {
            if (!List.of("apiVersion", "kind", "metadata", "status").contains(field)
                    && !ServerSideApply.valueEquals(live.get(field), next.get(field))) {
                return true;
            }
        }
        return false;
    }

    private static long generation(Map<String, Object> live) {
        return object(live, "metadata").get("generation") instanceof Number n ? n.longValue() : 1;
    }

    private static Object managedFields(Map<String, Object> object) {
        return object(object, "metadata").get("managedFields");
    }

    private static Node schema(Map<String, Object> object) {
        return MergeSchema.of(string(object.get("kind")));
    }

    /** When an object created now was created: now, or the time a seeded object keeps. */
    private String createdAt() {
        IdentityKeepingCrud.Identity identity = IdentityKeepingCrud.pending();
        return identity != null && identity.creationTimestamp() != null ? identity.creationTimestamp() : now();
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(NAME_SUFFIX_ALPHABET.charAt(random.nextInt(NAME_SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }

    /** The object under {@code name}, created empty when absent. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String name) {
        Object value = parent.get(name);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(name, created);
        return created;
    }

    private static void putOrRemove(Map<String, Object> map, String key, Object value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    private static String string(Object value) {
        return value == null ? "" : Objects.toString(value);
    }

    /** A write refused with a {@code Status} answer. */
    private static final class Refusal extends RuntimeException {
        private final transient MockResponse response;

        Refusal(MockResponse response) {
            super(null, null, false, false);
            this.response = response;
        }

        MockResponse response() {
            return response;
        }
    }
}
