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
    void unsetAllowsAnyHostButReservedAddresses() {
        var any = EndpointAllowList.of(PROPERTY, Optional.empty());
        assertThat(any.allowsAny()).isTrue();
        assertThat(EndpointAllowList.of(PROPERTY, Optional.of(List.of(" "))).allowsAny())
                .isTrue();
        assertThat(any.refusal("https://abc.gr7.us-east-1.eks.amazonaws.com")).isEmpty();
        assertThat(any.refusal("https://10.20.3.4:6443")).isEmpty();
        assertThat(any.refusal("https://127.0.0.1:6443"))
                .as("loopback stays open while nothing is configured: the local stack runs clusters there")
                .isEmpty();
        assertThat(any.refusal("http://[::1]:8080/")).isEmpty();
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data",
                "http://169.254.170.2/v2/credentials",
                "http://[fd00:ec2::254]/latest/meta-data",
                "http://[fd20:ce::254]/computeMetadata/v1/",
                "http://168.63.129.16/machine?comp=goalstate",
                "http://[::ffff:169.254.169.254]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "http://[fe80::1]/",
                "http://0.0.0.0:6443/",
                "http://[::]:6443/",
                "http://224.0.0.1/",
                "http://[ff02::1]/",
                "http://255.255.255.255/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://METADATA/computeMetadata/v1/",
                "http://instance-data.ec2.internal/latest/")) {
            assertThat(any.refusal(url))
                    .as(url)
                    .hasValueSatisfying(m -> assertThat(m).contains(PROPERTY));
        }
        assertThat(any.refusal("http://169.254.169.254/"))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("169.254.169.254").contains("metadata"));
    }

    @Test
    void unsetStillRefusesANameThatResolvesToAReservedAddress() {
        var any = EndpointAllowList.of(PROPERTY, Optional.empty());
        var resolver = dns(Map.of(
                "api.cluster.example", "10.1.2.3",
                "metadata.azure.example", "169.254.169.254",
                "local.example", "127.0.0.1"));
        assertThat(any.refusal("https://metadata.azure.example"))
                .as("the URL alone looks fine")
                .isEmpty();
        assertThat(any.refusal("https://metadata.azure.example", resolver))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("169.254.169.254").contains(PROPERTY));
        assertThat(any.check("https://api.cluster.example:6443", resolver))
                .isEqualTo(new EndpointAllowList.Decision.Allowed("api.cluster.example", List.of(address("10.1.2.3"))));
        assertThat(any.refusal("https://local.example", resolver)).isEmpty();
        assertThat(any.check("https://nowhere.example", resolver))
                .as("nothing to connect to, judged again when it resolves")
                .isEqualTo(new EndpointAllowList.Decision.Allowed("nowhere.example", List.of()));
    }

    @Test
    void onlyACidrInsideAReservedRangeAdmitsIt() {
        var broad = list("0.0.0.0/0", "::/0");
        assertThat(broad.refusal("http://169.254.169.254/")).isPresent();
        assertThat(broad.refusal("http://[fd00:ec2::254]/")).isPresent();
        assertThat(broad.refusal("http://127.0.0.1/"))
                .as("once configured, loopback must be listed")
                .isPresent();
        assertThat(broad.refusal("http://10.9.9.9/")).isEmpty();

        var explicit = list("169.254.169.254/32", "127.0.0.0/8");
        assertThat(explicit.refusal("http://169.254.169.254/")).isEmpty();
        assertThat(explicit.refusal("http://169.254.170.2/")).isPresent();
        assertThat(explicit.refusal("http://127.0.0.1/")).isEmpty();
    }

    @Test
    void aMetadataNameIsAdmittedOnlyWhenListedAsItself() {
        assertThat(list("*.internal", "169.254.169.254/32").refusal("http://metadata.google.internal/"))
                .isPresent();
        var exact = list("metadata.google.internal", "169.254.169.254/32");
        assertThat(exact.refusal("http://metadata.google.internal/")).isEmpty();
        assertThat(exact.refusal(
                        "http://metadata.google.internal/", dns(Map.of("metadata.google.internal", "169.254.169.254"))))
                .isEmpty();
    }

    @Test
    void everyResolvedAddressIsJudgedAndOnlyTheJudgedOnesAreHandedOut() {
        var allowed = list("*.corp.example");
        EndpointAllowList.Resolver twoFaced =
                host -> new InetAddress[] {address("10.1.2.3"), address("169.254.169.254")};
        assertThat(allowed.check("https://k8s.corp.example", twoFaced))
                .isInstanceOfSatisfying(
                        EndpointAllowList.Decision.Refused.class,
                        refused -> assertThat(refused.reason()).contains("169.254.169.254"));

        EndpointAllowList.Resolver twoGood = host -> new InetAddress[] {address("10.1.2.3"), address("10.1.2.4")};
        assertThat(allowed.check("https://k8s.corp.example", twoGood))
                .isEqualTo(new EndpointAllowList.Decision.Allowed(
                        "k8s.corp.example", List.of(address("10.1.2.3"), address("10.1.2.4"))));
        assertThat(allowed.check("https://10.1.2.3", twoGood))
                .as("an IP literal needs a listed CIDR")
                .isInstanceOf(EndpointAllowList.Decision.Refused.class);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
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
