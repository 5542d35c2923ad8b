package io.meridian.policy.domain.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.Optional;

/**
 * The {@code authorizer} variable of a ValidatingAdmissionPolicy (k8s.io/apiserver/pkg/cel/library/authz.go, with
 * the 1.31+ field and label selectors): it asks the API server's authorizer whether the user making the request
 * may do something. A policy that uses it compiles here and is evaluated by Kubernetes where it is enforced (the
 * ValidatingAdmissionPolicy Meridian places on the cluster). Continuous audit has no request and no requesting
 * user, so a decision cannot be taken there: asking for one fails with {@link NotEvaluableInAudit}, and the policy
 * reports that object as not evaluable in audit, never as a violation (see ADR 0012). Building a check (group,
 * resource, namespace, ...) is pure and always works, and CEL's error-absorbing operators still let an expression
 * whose outcome does not depend on the decision evaluate ({@code authorizer...allowed() || true}).
 */
public final class KubernetesAuthorizer {

    public static final CelType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
    public static final CelType PATH_CHECK = OpaqueType.create("kubernetes.authorization.PathCheck");
    public static final CelType GROUP_CHECK = OpaqueType.create("kubernetes.authorization.GroupCheck");
    public static final CelType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
    public static final CelType DECISION = OpaqueType.create("kubernetes.authorization.Decision");

    /** The variable a policy calls {@code authorizer}. */
    public static final String VARIABLE = "authorizer";

    /** The variable a policy calls {@code authorizer.requestResource}: the resource of the request. */
    public static final String REQUEST_RESOURCE = "authorizer.requestResource";

    /** Why continuous audit takes no authorization decision: shown per object. */
    public static final String NOT_EVALUABLE_REASON = "authorizer checks the permissions of the user making an"
            + " admission request; continuous audit evaluates stored objects without a request or a requesting user,"
            + " so only the ValidatingAdmissionPolicy on the cluster can evaluate it";

    private static final CelType STRING = SimpleType.STRING;

    private KubernetesAuthorizer() {}

    /** Whom a check asks about: the requesting user, or a service account named in the expression. */
    public record Authorizer(Optional<String> serviceAccount) {}

    /** {@code authorizer.path('/healthz')}. */
    public record PathCheck(Authorizer authorizer, String path) {}

    /** {@code authorizer.group('apps')}. */
    public record GroupCheck(Authorizer authorizer, String group) {}

    /** {@code authorizer.group('apps').resource('deployments').namespace('ns').name('x')}, and so on. */
    public record ResourceCheck(
            Authorizer authorizer,
            String group,
            String resource,
            String subresource,
            String namespace,
            String name,
            String fieldSelector,
            String labelSelector) {

        ResourceCheck with(String field, String value) {
            return switch (field) {
                case "subresource" ->
                    new ResourceCheck(
                            authorizer, group, resource, value, namespace, name, fieldSelector, labelSelector);
                case "namespace" ->
                    new ResourceCheck(
                            authorizer, group, resource, subresource, value, name, fieldSelector, labelSelector);
                case "name" ->
                    new ResourceCheck(
                            authorizer, group, resource, subresource, namespace, value, fieldSelector, labelSelector);
                case "fieldSelector" ->
                    new ResourceCheck(authorizer, group, resource, subresource, namespace, name, value, labelSelector);
                case "labelSelector" ->
                    new ResourceCheck(authorizer, group, resource, subresource, namespace, name, fieldSelector, value);
                default -> throw new IllegalArgumentException(field);
            };
        }
    }

    /** The cause of the evaluation error when an expression needs a decision that audit cannot take. */
    public static final class NotEvaluableInAudit extends RuntimeException {
        NotEvaluableInAudit() {
            super(NOT_EVALUABLE_REASON, null, false, false);
        }
    }

    /** The authorizer bound in continuous audit: checks can be built, decisions cannot be taken. */
    public static final Authorizer AUDIT = new Authorizer(Optional.empty());

    /** The request resource bound in continuous audit for an object of this group and resource. */
    public static ResourceCheck auditRequestResource(String group, String resource, String namespace, String name) {
        return new ResourceCheck(AUDIT, group, resource, "", namespace, name, "", "");
    }

    /** Whether an evaluation failed only because it needed an authorization decision. */
    public static boolean isNotEvaluableInAudit(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NotEvaluableInAudit) {
                return true;
            }
        }
        return false;
    }

    static List<CelFunctionDecl> declarations() {
        return List.of(
                fn("path", CelOverloadDecl.newMemberOverload("authorizer_path", PATH_CHECK, AUTHORIZER, STRING)),
                fn("group", CelOverloadDecl.newMemberOverload("authorizer_group", GROUP_CHECK, AUTHORIZER, STRING)),
                fn(
                        "serviceAccount",
                        CelOverloadDecl.newMemberOverload(
                                "authorizer_serviceaccount", AUTHORIZER, AUTHORIZER, STRING, STRING)),
                fn(
                        "resource",
                        CelOverloadDecl.newMemberOverload("groupcheck_resource", RESOURCE_CHECK, GROUP_CHECK, STRING)),
                fn(
                        "subresource",
                        CelOverloadDecl.newMemberOverload(
                                "resourcecheck_subresource", RESOURCE_CHECK, RESOURCE_CHECK, STRING)),
                fn(
                        "namespace",
                        CelOverloadDecl.newMemberOverload(
                                "resourcecheck_namespace", RESOURCE_CHECK, RESOURCE_CHECK, STRING)),
                fn(
                        "name",
                        CelOverloadDecl.newMemberOverload(
                                "resourcecheck_name", RESOURCE_CHECK, RESOURCE_CHECK, STRING)),
                fn(
                        "fieldSelector",
                        CelOverloadDecl.newMemberOverload(
                                "authorizer_resourcecheck_fieldselector", RESOURCE_CHECK, RESOURCE_CHECK, STRING)),
                fn(
                        "labelSelector",
                        CelOverloadDecl.newMemberOverload(
                                "authorizer_resourcecheck_labelselector", RESOURCE_CHECK, RESOURCE_CHECK, STRING)),
                fn(
                        "check",
                        CelOverloadDecl.newMemberOverload("pathcheck_check", DECISION, PATH_CHECK, STRING),
                        CelOverloadDecl.newMemberOverload("resourcecheck_check", DECISION, RESOURCE_CHECK, STRING)),
                fn("errored", CelOverloadDecl.newMemberOverload("decision_errored", SimpleType.BOOL, DECISION)),
                fn("error", CelOverloadDecl.newMemberOverload("decision_error", STRING, DECISION)),
                fn("allowed", CelOverloadDecl.newMemberOverload("decision_allowed", SimpleType.BOOL, DECISION)),
                fn("reason", CelOverloadDecl.newMemberOverload("decision_reason", STRING, DECISION)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from(
                        "authorizer_path", Authorizer.class, String.class, (a, p) -> new PathCheck(a, p)),
                CelFunctionBinding.from(
                        "authorizer_group", Authorizer.class, String.class, (a, g) -> new GroupCheck(a, g)),
                CelFunctionBinding.from(
                        "authorizer_serviceaccount",
                        List.of(Authorizer.class, String.class, String.class),
                        args -> new Authorizer(Optional.of("system:serviceaccount:" + args[1] + ":" + args[2]))),
                CelFunctionBinding.from(
                        "groupcheck_resource",
                        GroupCheck.class,
                        String.class,
                        (g, r) -> new ResourceCheck(g.authorizer(), g.group(), r, "", "", "", "", "")),
                with("resourcecheck_subresource", "subresource"),
                with("resourcecheck_namespace", "namespace"),
                with("resourcecheck_name", "name"),
                with("authorizer_resourcecheck_fieldselector", "fieldSelector"),
                with("authorizer_resourcecheck_labelselector", "labelSelector"),
                CelFunctionBinding.from("pathcheck_check", PathCheck.class, String.class, (c, v) -> decide()),
                CelFunctionBinding.from("resourcecheck_check", ResourceCheck.class, String.class, (c, v) -> decide()),
                // a Decision can never exist in audit; these bindings only complete the declared library
                CelFunctionBinding.from("decision_errored", Object.class, d -> decide()),
                CelFunctionBinding.from("decision_error", Object.class, d -> decide()),
                CelFunctionBinding.from("decision_allowed", Object.class, d -> decide()),
                CelFunctionBinding.from("decision_reason", Object.class, d -> decide()));
    }

    private static CelFunctionBinding with(String overload, String field) {
        return CelFunctionBinding.from(overload, ResourceCheck.class, String.class, (c, v) -> c.with(field, v));
    }

    private static Object decide() throws CelEvaluationException {
        throw new CelEvaluationException("not evaluable in audit: " + NOT_EVALUABLE_REASON, new NotEvaluableInAudit());
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }
}
