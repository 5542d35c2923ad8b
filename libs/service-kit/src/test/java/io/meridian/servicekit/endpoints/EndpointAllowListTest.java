package io.meridian.servicekit.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointAllowListTest {

    private static final String PROPERTY = "meridian.test.allowed";

    private static EndpointAllowList list(String... entries) {
        return EndpointAllowList.of(PROPERTY, Optional.of(List.of(entries)));
    }

    /** A resolver answering from a table, so no test asks real DNS. */
    private static EndpointAllowList.Resolver dns(Map<String, String> table) {
        return host -> {
            String address = table.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        };
    }

    @Test
    void unsetAllowsAnyHost() {
        var any = EndpointAllowList.of(PROPERTY, Optional.empty());
        assertThat(any.allowsAny()).isTrue();
        assertThat(any.refusal("http://169.254.169.254/latest/meta-data")).isEmpty();
        assertThat(EndpointAllowList.of(PROPERTY, Optional.of(List.of(" "))).allowsAny())
                .isTrue();
    }

    @Test
    void anEntryThatIsNeitherGlobNorCidrIsRefusedNamingPropertyAndEntry() {
        assertThatThrownBy(() -> list("*.example.com", "10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PROPERTY)
                .hasMessageContaining("'10.0.0.0/33'");
        assertThatThrownBy(() -> list("api_(x).example.com"))
                .hasMessageContaining(PROPERTY)
                .hasMessageContaining("'api_(x).example.com'");
    }

    @Test
    void ipLiteralsAreAllowedOnlyInsideListedCidrs() {
        var allowed = list("10.20.0.0/16", "fd00:1::/32", "192.0.2.7");
        assertThat(allowed.refusal("https://10.20.3.4:6443")).isEmpty();
        assertThat(allowed.refusal("https://192.0.2.7")).isEmpty();
        assertThat(allowed.refusal("https://[fd00:1:0:0::5]:6443/")).isEmpty();
        assertThat(allowed.refusal("https://10.21.0.1:6443"))
                .hasValueSatisfying(m -> assertThat(m).contains("10.21.0.1").contains(PROPERTY));
        assertThat(allowed.refusal("http://169.254.169.254/latest/meta-data")).isPresent();
        assertThat(allowed.refusal("http://[::1]:8080/")).isPresent();
    }

    @Test
    void globsMatchWholeHostsCaseInsensitively() {
        var allowed = list("*.eks.amazonaws.com", "api.prod.example.com");
        assertThat(allowed.refusal("https://ABC123.gr7.us-east-1.EKS.amazonaws.com"))
                .isEmpty();
        assertThat(allowed.refusal("https://api.prod.example.com.:443")).isEmpty();
        assertThat(allowed.refusal("https://eks.amazonaws.com.evil.test")).isPresent();
        assertThat(allowed.refusal("https://evil.test/?x=.eks.amazonaws.com")).isPresent();
        assertThat(allowed.refusal("https://xapi.prod.example.com")).isPresent();
        assertThat(allowed.refusal("https://metadata.google.internal/computeMetadata/v1/"))
                .hasValueSatisfying(m -> assertThat(m).contains("metadata.google.internal"));
    }

    @Test
    void aListedNameResolvingToAMetadataOrLoopbackAddressIsRefusedAtConnectTime() {
        var allowed = list("*.corp.example", "127.0.0.0/8");
        var resolver = dns(Map.of(
                "k8s.corp.example", "10.1.2.3",
                "evil.corp.example", "169.254.169.254",
                "local.corp.example", "127.0.0.1",
                "v6.corp.example", "fd00:ec2::254"));
        assertThat(allowed.refusal("https://evil.corp.example"))
                .as("the URL alone looks fine")
                .isEmpty();
        assertThat(allowed.refusal("https://k8s.corp.example", resolver)).isEmpty();
        assertThat(allowed.refusal("https://evil.corp.example", resolver))
                .hasValueSatisfying(m -> assertThat(m).contains("169.254.169.254"));
        assertThat(allowed.refusal("https://v6.corp.example", resolver)).isPresent();
        assertThat(allowed.refusal("https://local.corp.example", resolver))
                .as("a listed CIDR admits the loopback range")
                .isEmpty();
    }

    @Test
    void anUnlistedNameIsAllowedOnlyByTheAddressesItResolvesTo() {
        var allowed = list("10.0.0.0/8");
        var resolver = dns(Map.of("onprem.example", "10.4.4.4", "rebound.example", "192.168.1.1"));
        assertThat(allowed.refusal("https://onprem.example")).isEmpty();
        assertThat(allowed.refusal("https://onprem.example", resolver)).isEmpty();
        assertThat(allowed.refusal("https://rebound.example", resolver))
                .hasValueSatisfying(m -> assertThat(m).contains("192.168.1.1").contains("outside the allowed CIDRs"));
        assertThat(allowed.refusal("https://nowhere.example", resolver)).isPresent();
        assertThat(allowed.refusal("https://2130706433/", dns(Map.of("2130706433", "127.0.0.1"))))
                .as("a number the resolver reads as 127.0.0.1 is judged by that address")
                .isPresent();
    }

    @Test
    void withGlobsOnlyAnUnlistedNameIsRefusedWithoutDns() {
        var allowed = list("*.example.com");
        assertThat(allowed.refusal("https://other.test")).isPresent();
        assertThat(allowed.refusal("not a url")).isPresent();
        assertThat(allowed.refusal("file:///etc/passwd")).isPresent();
    }

    @Test
    void matchingStaysFastForStarHeavyGlobs() {
        var allowed = list("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b.example");
        String host = "a".repeat(240) + ".example";
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThat(allowed.refusal("https://" + host)).isPresent();
        }
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    }
}
