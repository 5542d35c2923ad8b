package io.meridian.policy.domain.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.runtime.CelEvaluationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The examples of the Kubernetes CEL documentation (reference/using-api/cel and the godoc of
 * k8s.io/apiserver/pkg/cel/library), each evaluated by {@link CelEnvironment}.
 */
class KubernetesCelLibraryTest {

    private static final CelEnvironment CEL = CelEnvironment.kubernetes();

    static Object eval(String expression) throws CelEvaluationException {
        return eval(expression, Map.of());
    }

    static Object eval(String expression, Map<String, Object> activation) throws CelEvaluationException {
        CelEnvironment.Compiled compiled = CEL.compile(expression, CelEnvironment.Expect.ANY);
        assertThat(compiled).as(expression).isInstanceOf(CelEnvironment.Program.class);
        return ((CelEnvironment.Program) compiled).evaluate(activation);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            isQuantity('1.3G')                                                  | true
            isQuantity('1.1.3G')                                                | false
            isQuantity('20Mi')                                                  | true
            quantity('50M').isLessThan(quantity('100M'))                        | true
            quantity('100M').isGreaterThan(quantity('50M'))                     | true
            quantity('50Mi').compareTo(quantity('50M')) == 1                    | true
            quantity('50M').compareTo(quantity('50M')) == 0                     | true
            quantity('50M').add(quantity('20M')) == quantity('70M')             | true
            quantity('50M').add(20000000) == quantity('70M')                    | true
            quantity('50.703k').sub(quantity('20k')) == quantity('30.703k')     | true
            quantity('50k').sub(20) == quantity('49980')                        | true
            quantity('50k').asInteger() == 50000                                | true
            quantity('50k').isInteger()                                         | true
            quantity('50.5').isInteger()                                        | false
            quantity('9999999999999999999999999999999999999G').isInteger()      | false
            quantity('50.703k').asApproximateFloat() == 50703.0                 | true
            quantity('50.5').sign() == 1                                        | true
            quantity('-50.5').sign() == -1                                      | true
            quantity('0').sign() == 0                                           | true
            quantity('1Gi') == quantity('1024Mi')                               | true
            quantity('500m').isLessThan(quantity('1'))                          | true
            quantity('1e3') == quantity('1k')                                   | true
            """)
    void quantityLibrary(String expression, boolean expected) throws Exception {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @Test
    void quantityErrorsLikeKubernetes() {
        assertThatThrownBy(() -> eval("quantity('1.1.3G')")).hasMessageContaining("1.1.3G");
        assertThatThrownBy(() -> eval("quantity('50.5').asInteger()")).hasMessageContaining("int64");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            url('https://example.com:80/').getHost() == 'example.com:80'                    | true
            url('https://example.com/').getScheme() == 'https'                              | true
            url('/path').getScheme() == ''                                                  | true
            url('https://example.com:80/').getHostname() == 'example.com'                   | true
            url('https://[::1]:80/').getHostname() == '::1'                                 | true
            url('https://[::1]:80/').getHost() == '[::1]:80'                                | true
            url('https://example.com:80/').getPort() == '80'                                | true
            url('https://example.com/').getPort() == ''                                     | true
            url('https://example.com/path').getEscapedPath() == '/path'                     | true
            url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/' | true
            url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']} | true
            isURL('https://example.com:80/path?query=val#fragment')                         | true
            isURL('/absolute-path')                                                         | true
            isURL('../relative-path')                                                       | false
            isURL('https://[::1')                                                           | false
            """)
    void urlLibrary(String expression, boolean expected) throws Exception {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [1, 2, 3].isSorted()                                  | true
            ['a', 'b', 'b', 'c'].isSorted()                       | true
            [2.0, 1.0].isSorted()                                 | false
            [1, 2, 3].sum() == 6                                  | true
            [1.0, 2.0, 3.0].sum() == 6.0                          | true
            [].sum() == 0                                         | true
            [1, 2, 3].min() == 1                                  | true
            [1, 2, 3].max() == 3                                  | true
            ['b', 'a'].min() == 'a'                               | true
            [1, 2, 2, 3].indexOf(2) == 1                          | true
            ['a', 'b', 'b', 'c'].lastIndexOf('b') == 2            | true
            [1, 2].indexOf(9) == -1                               | true
            ['c', 'a'].sort() == ['a', 'c']                       | true
            [1, [2, 3]].flatten() == [1, 2, 3]                    | true
            """)
    void listLibrary(String expression, boolean expected) throws Exception {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @Test
    void minOfAnEmptyListIsAnError() {
        assertThatThrownBy(() -> eval("[].min()")).hasMessageContaining("empty list");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            'abc 123'.find('[0-9]+') == '123'                              | true
            'abc 123'.find('xyz') == ''                                    | true
            '123 abc 456'.findAll('[0-9]+') == ['123', '456']              | true
            '123 abc 456'.findAll('[0-9]+', 1) == ['123']                  | true
            '123 abc 456'.findAll('xyz') == []                             | true
            'abc'.matches('^a.c$')                                         | true
            'Hello'.lowerAscii() == 'hello'                                | true
            'a,b'.split(',') == ['a', 'b']                                 | true
            'hello'.indexOf('l') == 2                                      | true
            """)
    void regexAndStringLibraries(String expression, boolean expected) throws Exception {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @Test
    void optionalsOverObjects() throws Exception {
        Map<String, Object> object = asCel(Map.of("metadata", Map.of("name", "web", "labels", Map.of("app", "web"))));
        assertThat(eval("object.metadata.?labels.?team.orValue('none')", Map.of("object", object)))
                .isEqualTo("none");
        assertThat(eval("object.metadata.?labels.app.hasValue()", Map.of("object", object)))
                .isEqualTo(true);
        assertThat(eval("optional.of(1).value() == 1")).isEqualTo(true);
        assertThat(eval("object.?spec.?replicas", Map.of("object", object))).isEqualTo(Optional.empty());
    }

    @Test
    void kubernetesDocumentationRulesOverAnObject() throws Exception {
        Map<String, Object> self = asCel(Map.of(
                "minReplicas", 1,
                "replicas", 3,
                "maxReplicas", 5,
                "stateCounts", Map.of("Available", 2),
                "list1", List.of(),
                "list2", List.of("x"),
                "envars", List.of(Map.of("name", "MY_ENV", "value", "abc"))));
        Map<String, Object> activation = Map.of("object", self);
        assertThat(eval("object.minReplicas <= object.replicas && object.replicas <= object.maxReplicas", activation))
                .isEqualTo(true);
        assertThat(eval("'Available' in object.stateCounts", activation)).isEqualTo(true);
        assertThat(eval("(object.list1.size() == 0) != (object.list2.size() == 0)", activation))
                .isEqualTo(true);
        assertThat(eval(
                        "object.envars.filter(e, e.name == 'MY_ENV').all(e, e.value.matches('^[a-zA-Z]*$'))",
                        activation))
                .isEqualTo(true);
        assertThat(eval("has(object.replicas) && !has(object.paused)", activation))
                .isEqualTo(true);
    }

    @Test
    void variablesAndNullValues() throws Exception {
        Map<String, Object> object = asCel(java.util.Collections.singletonMap("spec", null));
        assertThat(eval("object.spec == null", Map.of("object", object))).isEqualTo(true);
        assertThat(eval("variables.limit > 2", Map.of("variables", Map.of("limit", 3L))))
                .isEqualTo(true);
    }

    @Test
    void compileErrorsNameThePosition() {
        CelEnvironment.Compiled bad = CEL.compile("object.spec.replicas >", CelEnvironment.Expect.BOOL);
        assertThat(bad).isInstanceOf(CelEnvironment.Failed.class);
        assertThat(((CelEnvironment.Failed) bad).problems().getFirst().column()).isEqualTo(22);

        CelEnvironment.Compiled unknown = CEL.compile("objekt.spec == 1", CelEnvironment.Expect.BOOL);
        assertThat(((CelEnvironment.Failed) unknown).problems().getFirst().message())
                .contains("undeclared reference to 'objekt'");

        CelEnvironment.Compiled notBool = CEL.compile("'a' + 'b'", CelEnvironment.Expect.BOOL);
        assertThat(((CelEnvironment.Failed) notBool).problems().getFirst().message())
                .contains("must evaluate to bool");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ['a', 'b'].sum() == 'c'                  | 14 | found no matching overload for 'sum' applied to 'list(string).()'
            [[1], [2]].min() == [1]                  | 14 | found no matching overload for 'min' applied to 'list(list(int)).()'
            [{'a': 1}].max() == {'a': 1}             | 14 | found no matching overload for 'max' applied to 'list(map(string, int)).()'
            size([[1]]) > 0 && [[1]].isSorted()      | 33 | found no matching overload for 'isSorted' applied to 'list(list(int)).()'
            object.name.find(')') == ''              | 17 | error parsing regexp: unexpected ): `)`
            object.name.matches('(a')                | 20 | error parsing regexp: missing closing ): `(a`
            """)
    void typeErrorsAndInvalidConstantPatternsFailCompilationAtTheirPosition(
            String expression, int column, String message) {
        CelEnvironment.Compiled compiled = CEL.compile(expression, CelEnvironment.Expect.ANY);
        assertThat(compiled)
                .isInstanceOfSatisfying(
                        CelEnvironment.Failed.class,
                        failed -> assertThat(failed.problems()).singleElement().satisfies(p -> {
                            assertThat(p.message()).contains(message);
                            assertThat(p.line()).isEqualTo(1);
                            assertThat(p.column()).isEqualTo(column);
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [duration('1s')].filter(d, false).sum() == duration('0')      | true
            [2.5].filter(d, false).sum() == 0.0                           | true
            type([2.5].filter(d, false).sum()) == double                  | true
            [uint(1)].filter(d, false).sum() == uint(0)                   | true
            [uint(1), uint(2)].sum() == uint(3)                           | true
            [b'a', b'b'].isSorted()                                       | true
            [b'b', b'a'].isSorted()                                       | false
            [b'\\xff', b'a'].max() == b'\\xff'                         | true
            dyn([1, 2, 2, 3]).indexOf(2.0) == 1                           | true
            dyn([1, 2, 2, 3]).lastIndexOf(uint(2)) == 2                   | true
            dyn([[1], [2.0]]).indexOf([2]) == 1                           | true
            dyn([]).sum() == 0                                            | true
            dyn([duration('1s'), duration('2s')]).sum() == duration('3s') | true
            dyn(['b', 'a']).min() == 'a'                                  | true
            dyn([1, 2]).isSorted()                                        | true
            """)
    void listFunctionsFollowTheElementType(String expression, boolean expected) throws Exception {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @Test
    void listFunctionsOnTheObjectDecideByTheValues() throws Exception {
        // object is dyn: the checker cannot pick one overload, so the values decide at evaluation
        Map<String, Object> object = asCel(Map.of(
                "spec", Map.of("ints", List.of(3, 1, 2), "names", List.of("b", "a"), "ratios", List.of(0.5, 1.5))));
        Map<String, Object> activation = Map.of("object", object);
        assertThat(eval("object.spec.ints.sum()", activation)).isEqualTo(6L);
        assertThat(eval("object.spec.ints.max()", activation)).isEqualTo(3L);
        assertThat(eval("object.spec.ratios.sum()", activation)).isEqualTo(2.0);
        assertThat(eval("object.spec.names.min()", activation)).isEqualTo("a");
        assertThat(eval("object.spec.names.isSorted()", activation)).isEqualTo(false);
        assertThat(eval("object.spec.ints.indexOf(1.0)", activation)).isEqualTo(1L);
        assertThatThrownBy(() -> eval("object.spec.names.sum()", activation))
                .isInstanceOf(CelEvaluationException.class)
                .hasMessageContaining("sum");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asCel(Map<String, Object> json) {
        return (Map<String, Object>) CelEnvironment.toCel(json);
    }
}
