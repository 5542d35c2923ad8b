package io.meridian.identity.api;

import io.meridian.contracts.resource.PolicyRule;
import java.util.List;

/** The body of {@code POST /api/v1/role-templates} and {@code PUT /api/v1/role-templates/{name}}. */
public record RoleTemplateInput(String name, String description, List<PolicyRule> rules) {}
