package io.meridian.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two-person rule: who may approve a grant, as the approver's token shows them. */
class ApproverTest {

    private static final Set<String> NO_CLAIM = null;

    static Stream<Arguments> approvals() {
        return Stream.of(
                // grant subject, creator, re-opened by | approver name, username, groups | refused field or null
                row("user/alice", "ada", null, "adam", "adam", Set.of(), null),
                row("user/adam", "ada", null, "adam", "adam", Set.of(), "subject.name"),
                row("user/Adam", "ada", null, "adam", null, NO_CLAIM, "subject.name"),
                row("user/adam", "ada", null, "sub-1234", "adam", Set.of(), "subject.name"),
                row("user/alice", "adam", null, "adam", "adam", Set.of(), "createdBy"),
                row("user/alice", "ada", "adam", "adam", "adam", Set.of(), "reopenedBy"),
                row("user/alice", "ada", "olga", "adam", "adam", Set.of(), null),
                row("group/platform", "ada", null, "adam", "adam", Set.of("platform"), "subject.name"),
                row("group/platform", "ada", null, "adam", "adam", Set.of("/platform"), "subject.name"),
                row("group/platform", "ada", null, "adam", "adam", Set.of("PLATFORM"), "subject.name"),
                row("group//platform/sre", "ada", null, "adam", "adam", Set.of("sre"), "subject.name"),
                row("group//platform/sre", "ada", null, "adam", "adam", Set.of("/platform/sre"), "subject.name"),
                row("group/sre", "ada", null, "adam", "adam", Set.of("/platform/sre"), "subject.name"),
                row("group//platform/sre", "ada", null, "adam", "adam", Set.of("/data/sre"), null),
                row("group/platform", "ada", null, "adam", "adam", Set.of("payments"), null),
                row("group/platform", "ada", null, "adam", "adam", Set.of(), null),
                row("group/platform", "ada", null, "adam", "adam", NO_CLAIM, "subject.name"));
    }

    @ParameterizedTest(name = "{0} created by {1}, approved by {3} in {5}: {6}")
    @MethodSource("approvals")
    void theApproverIsNeitherCreatorNorSubjectNorTheLastChanger(
            String subject,
            String createdBy,
            String reopenedBy,
            String name,
            String username,
            Set<String> groups,
            String refusedField) {
        int slash = subject.indexOf('/');
        Grant grant = new Grant(
                "g1",
                new Subject(
                        Subject.Kind.fromWire(subject.substring(0, slash)).orElseThrow(), subject.substring(slash + 1)),
                "cluster-admin",
                new ClusterScope(null, null, null),
                List.of(),
                null,
                "r",
                GrantState.Pending,
                true,
                createdBy,
                Instant.EPOCH,
                null,
                null,
                null,
                null,
                null,
                reopenedBy,
                null);
        var refusal = new Approver(name, username, groups).refusalFor(grant);
        if (refusedField == null) {
            assertThat(refusal).isEmpty();
        } else {
            assertThat(refusal).get().extracting(FieldProblem::field).isEqualTo(refusedField);
        }
    }

    private static Arguments row(
            String subject,
            String createdBy,
            String reopenedBy,
            String name,
            String username,
            Set<String> groups,
            String refusedField) {
        return Arguments.of(subject, createdBy, reopenedBy, name, username, groups, refusedField);
    }
}
