package io.meridian.servicekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Keyset pages: limits, opaque cursors that belong to one list, and the last page without a cursor. */
class PageRequestTest {

    @Test
    void aPageHoldsTheLimitAndItsCursorResumesAfterItsLastItem() {
        PageRequest first = PageRequest.of("things", 2, null, 10);
        assertThat(first.after()).isNull();
        assertThat(first.fetch()).isEqualTo(3);

        Page<String> page = first.page(List.of("a", "b", "c"), 5, Function.identity());
        assertThat(page.items()).containsExactly("a", "b");
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.nextCursor()).isNotNull().doesNotContain("b");

        PageRequest second = PageRequest.of("things", 2, page.nextCursor(), 10);
        assertThat(second.after()).isEqualTo("b");
        Page<String> last = second.page(List.of("c", "d"), 5, Function.identity());
        assertThat(last.items()).containsExactly("c", "d");
        assertThat(last.nextCursor()).as("nothing follows").isNull();
    }

    @Test
    void aCursorOfAnotherListOrMadeUpIsA400NamingCursor() {
        String theirs = PageRequest.of("others", 1, null, 10)
                .page(List.of("x", "y"), 2, Function.identity())
                .nextCursor();
        String unversioned = Base64.getUrlEncoder().encodeToString("things\nb".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of(theirs, "not base64!", "", unversioned, "A".repeat(2000))) {
            assertThatThrownBy(() -> PageRequest.of("things", 10, bad, 10))
                    .as(bad)
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(400);
                        assertThat(e.problem().errors())
                                .extracting(Problem.FieldError::field)
                                .containsExactly("cursor");
                    });
        }
    }

    @Test
    void aLimitOutsideOneToTheMaximumIsA400NamingLimitNextToABadCursor() {
        assertThatThrownBy(() -> PageRequest.of("things", 11, "garbage!", 10))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().errors())
                                .extracting(Problem.FieldError::field)
                                .containsExactly("limit", "cursor"));
        assertThatThrownBy(() -> PageRequest.of("things", 0, null, 10))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().errors().getFirst().message())
                                .isEqualTo("must be between 1 and 10"));
        assertThat(PageRequest.of("things", 10, null, 10).limit()).isEqualTo(10);
    }
}
