package io.meridian.identity.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.identity.domain.Subject;
import org.junit.jupiter.api.Test;

class KeycloakSubjectsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aGroupMatchesByNameOrPathIncludingSubGroupsAndNothingElse() throws Exception {
        // Keycloak's search answers with every group whose name contains the term, and their hierarchy.
        JsonNode found = JSON.readTree("[{\"name\":\"platform\",\"path\":\"/platform\",\"subGroups\":"
                + "[{\"name\":\"sre\",\"path\":\"/platform/sre\",\"subGroups\":[]}]},"
                + "{\"name\":\"sre-contractors\",\"path\":\"/sre-contractors\"}]");
        assertThat(KeycloakSubjects.matches(new Subject(Subject.Kind.GROUP, "sre"), found))
                .isTrue();
        assertThat(KeycloakSubjects.matches(new Subject(Subject.Kind.GROUP, "/platform/sre"), found))
                .isTrue();
        assertThat(KeycloakSubjects.matches(new Subject(Subject.Kind.GROUP, "platform"), found))
                .isTrue();
        assertThat(KeycloakSubjects.matches(new Subject(Subject.Kind.GROUP, "sre-con"), found))
                .isFalse();
        assertThat(KeycloakSubjects.matches(new Subject(Subject.Kind.GROUP, "/other/sre"), found))
                .isFalse();
    }

    @Test
    void aUserMatchesByUsername() throws Exception {
        JsonNode found = JSON.readTree("[{\"username\":\"alice\"},{\"username\":\"alice2\"}]");
        assertThat(KeycloakSubjects.matches(new Subject(Subject.Kind.USER, "alice"), found))
                .isTrue();
        assertThat(KeycloakSubjects.matches(new Subject(Subject.Kind.USER, "alic"), found))
                .isFalse();
    }
}
