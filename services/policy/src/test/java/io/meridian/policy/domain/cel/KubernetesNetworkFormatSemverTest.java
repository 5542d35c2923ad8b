package io.meridian.policy.domain.cel;

import static io.meridian.policy.domain.cel.KubernetesCelLibraryTest.eval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cel.runtime.CelEvaluationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ip, cidr, format, semver and jsonpatch libraries beyond upstream's own vectors: the edges Kubernetes refuses,
 * the texts an object supplies (linear time, charged to the budget) and the cost estimate at compilation.
 */
class KubernetesNetworkFormatSemverTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            isIP('192.168.000.1')                                         | false
            isIP('::ffff:192.168.0.1')                                    | false
            isIP('fe80::1%eth0')                                          | false
            isIP('1.2.3')                                                 | false
            isIP('1:2:3:4:5:6:7:8:9')                                     | false
            isIP('::ffff:1.2.3.4:5')                                      | false
            isIP('1::2::3')                                               | false
            isIP('64:ff9b::1.2.3.4')                                      | true
            string(ip('2001:0db8:0000:0000:0000:0000:0000:0001')) == '2001:db8::1' | true
            string(ip('2001:db8:0:1:0:0:0:1')) == '2001:db8:0:1::1'       | true
            string(ip('1:0:0:2:0:0:0:3')) == '1:0:0:2::3'                 | true
            ip.isCanonical('2001:db8:0:0:1::1')                           | false
            ip('10.0.0.1').isGlobalUnicast()                              | true
            ip('fd00::1').isGlobalUnicast()                               | true
            isCIDR('10.0.0.0/33')                                         | false
            isCIDR('10.0.0.0/08')                                         | false
            isCIDR('::ffff:10.0.0.0/104')                                 | false
            cidr('10.0.0.0/8').containsIP('2001:db8::1')                  | false
            cidr('0.0.0.0/0').containsIP('255.255.255.255')               | true
            cidr('10.1.2.3/8').ip() == ip('10.1.2.3')                     | true
            string(cidr('10.1.2.3/8').masked()) == '10.0.0.0/8'           | true
            format.dns1123Label().validate('a') == optional.none()        | true
            format.dns1123Label().validate('a.b') == optional.of(['must not contain dots']) | true
            format.qualifiedName().validate('example.com/MyName') == optional.none() | true
            format.qualifiedName().validate('/x').value()[0] == 'prefix part must be non-empty' | true
            format.labelValue().validate('') == optional.none()           | true
            format.uri().validate('relative/path') == optional.of(['parse "relative/path": invalid URI for request']) | true
            format.uri().validate('http://host:port/') == optional.of(['parse "http://host:port/": invalid port ":port" after host']) | true
            format.uuid().validate('123E4567E89B12D3A456426614174000') == optional.none() | true
            format.date().validate('2021-02-29') == optional.of(['invalid date']) | true
            format.datetime().validate('2021-02-28T24:00:00Z') == optional.of(['invalid datetime']) | true
            format.datetime().validate('2021-02-28t23:59:59.123+01:00') == optional.none() | true
            format.named('dns1123Label').value().validate('Upper').hasValue() | true
            semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1'))    | true
            semver('1.0.0-alpha.beta').isLessThan(semver('1.0.0-beta'))  | true
            semver('1.0.0-2').isLessThan(semver('1.0.0-11'))              | true
            semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))              | true
            semver('1.0.0+build.1') == semver('1.0.0+build.2')            | true
            isSemver('1.0.0-01')                                          | false
            isSemver('1.0.0+')                                            | false
            semver('v1', true) == semver('1.0.0')                         | true
            isSemver('1.0-rc.1', true)                                    | false
            jsonpatch.escapeKey('k8s.io/role~x') == 'k8s.io~1role~0x'      | true
            """)
    void behavesAsKubernetes(String expression, boolean expected) throws Exception {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @Test
    void parseErrorsUseGoWording() {
        assertThatThrownBy(() -> eval("ip('192.168.01.1')"))
                .isInstanceOf(CelEvaluationException.class)
                .hasMessageContaining("ParseAddr(\"192.168.01.1\"): IPv4 field has octet with leading zero");
        assertThatThrownBy(() -> eval("ip('::ffff:1.2.3.4')"))
                .hasMessageContaining("IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed");
        assertThatThrownBy(() -> eval("cidr('10.0.0.0/40')"))
                .hasMessageContaining("netip.ParsePrefix(\"10.0.0.0/40\"): prefix length out of range");
        assertThatThrownBy(() -> eval("semver('1.01.0')"))
                .hasMessageContaining("Minor number must not contain leading zeroes \"01\"");
    }

    @Test
    void aLongTextFromTheObjectIsCheckedInLinearTime() {
        String digits = "1".repeat(200_000);
        Map<String, Object> object = Map.of(
                "object",
                Map.of(
                        "ip", digits + "x",
                        "version", digits + "." + digits + ".x",
                        "name", "a-".repeat(100_000) + "!",
                        "uri", "http://h/" + "%".repeat(100_000)));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(eval("isIP(object.ip)", object)).isEqualTo(false);
            assertThat(eval("isSemver(object.version)", object)).isEqualTo(false);
            assertThat(eval("format.dns1123Subdomain().validate(object.name).hasValue()", object))
                    .isEqualTo(true);
            assertThat(eval("format.uri().validate(object.uri).hasValue()", object))
                    .isEqualTo(true);
        });
    }

    @Test
    void validateIsChargedToTheBudgetByTheSizeOfTheText() {
        CelEnvironment.Program many = (CelEnvironment.Program) CelEnvironment.kubernetes()
                .compile(
                        "object.names.all(n, format.dns1123Label().validate(n).hasValue())",
                        CelEnvironment.Expect.BOOL);
        List<String> names = java.util.Collections.nCopies(20, "a".repeat(100_000));
        assertThatThrownBy(() -> many.evaluate(Map.of("object", Map.of("names", names))))
                .hasMessageContaining("actual cost limit exceeded");
    }

    @Test
    void theNewFunctionsHaveACostEstimate() {
        var ast = CelEnvironment.kubernetes();
        CelEnvironment.Compiled nested = ast.compile(
                "object.a.all(x, object.b.all(y, object.c.all(z, format.dns1123Label().validate(z).hasValue())))",
                CelEnvironment.Expect.BOOL);
        assertThat(nested)
                .isInstanceOfSatisfying(
                        CelEnvironment.Failed.class,
                        f -> assertThat(f.problems().getFirst().message()).contains("estimated evaluation cost"));
        assertThat(ast.compile("object.items.all(i, cidr('10.0.0.0/8').containsIP(i.ip))", CelEnvironment.Expect.BOOL))
                .isInstanceOf(CelEnvironment.Program.class);
    }
}
