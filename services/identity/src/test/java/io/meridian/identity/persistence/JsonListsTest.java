package io.meridian.identity.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.contracts.resource.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON that the rules columns of role templates and observed RBAC hold: rows already stored must read back. */
class JsonListsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A rules column as identity has written it since the column exists. */
    private static final String STORED = """
            {"items":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"],"resourceNames":["web"],\
            "nonResourceURLs":[]},{"apiGroups":[],"resources":[],"verbs":["get"],"resourceNames":[],\
            "nonResourceURLs":["/healthz"]}]}""";

    @Test
    void rulesAreStoredUnderTheirKubernetesFieldNames() throws Exception {
        JsonLists.Rules rules = new JsonLists.Rules(List.of(
                new PolicyRule(List.of(""), List.of("pods"), List.of("get", "list"), List.of("web"), null),
                new PolicyRule(null, null, List.of("get"), null, List.of("/healthz"))));

        assertThat(JSON.readTree(JSON.writeValueAsString(rules))).isEqualTo(JSON.readTree(STORED));
    }

    @Test
    void storedRulesReadBackAsTheSameRules() throws Exception {
        JsonLists.Rules rules = JSON.readValue(STORED, JsonLists.Rules.class);

        assertThat(rules.items())
                .containsExactly(
                        new PolicyRule(List.of(""), List.of("pods"), List.of("get", "list"), List.of("web"), List.of()),
                        new PolicyRule(List.of(), List.of(), List.of("get"), List.of(), List.of("/healthz")));
        // Fields left out read as empty lists, as Kubernetes omits empty ones.
        assertThat(JSON.readValue("{\"items\":[{\"verbs\":[\"get\"]}]}", JsonLists.Rules.class)
                        .items())
                .containsExactly(new PolicyRule(List.of(), List.of(), List.of("get"), List.of(), List.of()));
    }
}
