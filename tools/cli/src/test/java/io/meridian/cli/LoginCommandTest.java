package io.meridian.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.meridian.cli.auth.AccessTokens;
import io.meridian.cli.auth.Token;
import io.meridian.cli.auth.TokenCache;
import io.meridian.cli.config.ContextStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login, refresh and logout against Keycloak's endpoints, served by WireMock as Keycloak answers them. */
class LoginCommandTest {

    static final String TOKEN_PATH = "/realms/meridian/protocol/openid-connect/token";
    static final String DEVICE_PATH = "/realms/meridian/protocol/openid-connect/auth/device";
    static final String LOGOUT_PATH = "/realms/meridian/protocol/openid-connect/logout";
    static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");

    @TempDir
    Path home;

    WireMockServer keycloak;
    CliRun cli;
    Path configDir;

    @BeforeEach
    void start() {
        keycloak = new WireMockServer(options().dynamicPort());
        keycloak.start();
        configDir = home.resolve("config");
        cli = new CliRun(configDir, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(cli.run("context", "set", "demo", "--keycloak", keycloak.baseUrl())
                        .exitCode())
                .isZero();
        assertThat(cli.run("context", "use", "demo").exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        keycloak.stop();
    }

    static String jwt(String user) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"preferred_username\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8))
                + ".signature";
    }

    static String tokenAnswer(String accessToken, String refreshToken) {
        return "{\"access_token\":\"" + accessToken + "\",\"expires_in\":300,\"refresh_token\":\"" + refreshToken
                + "\",\"refresh_expires_in\":1800,\"token_type\":\"Bearer\"}";
    }

    @Test
    void passwordLoginReadsThePasswordFromStdinAndCachesTheTokenOwnerOnly() throws Exception {
        keycloak.stubFor(post(urlEqualTo(TOKEN_PATH))
                .withRequestBody(containing("grant_type=password"))
                .withRequestBody(containing("username=operator"))
                .withRequestBody(containing("password=operator-password"))
                .willReturn(aResponse().withStatus(200).withBody(tokenAnswer(jwt("operator"), "refresh-1"))));

        CliRun.Result login =
                cli.runWithInput("operator-password\n", "login", "--username", "operator", "--password-stdin");

        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.out()).contains("logged in to context demo as operator");
        Path tokens = configDir.resolve("tokens.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configDir)))
                .isEqualTo("rwx------");
        Token cached = new TokenCache(configDir).get("demo").orElseThrow();
        assertThat(cached.refreshToken()).isEqualTo("refresh-1");
        assertThat(cached.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(cli.run("context", "list").out()).containsPattern("\\* +demo .* operator");
        keycloak.verify(postRequestedFor(urlEqualTo(TOKEN_PATH)).withRequestBody(containing("client_id=meridian-cli")));
    }

    @Test
    void aWrongPasswordIsKeycloaksErrorAndNothingIsCached() {
        keycloak.stubFor(post(urlEqualTo(TOKEN_PATH))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}")));

        CliRun.Result login = cli.runWithInput("nope\n", "login", "--username", "operator", "--password-stdin");

        assertThat(login.exitCode()).isEqualTo(1);
        assertThat(login.err()).contains("error: invalid_grant: Invalid user credentials");
        assertThat(new TokenCache(configDir).get("demo")).isEmpty();
    }

    @Test
    void deviceLoginShowsTheCodeAndPollsPatientlyUntilApproved() {
        keycloak.stubFor(post(urlEqualTo(DEVICE_PATH))
                .withRequestBody(containing("client_id=meridian-cli"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"device_code\":\"dev-1\",\"user_code\":\"WXYZ-ABCD\","
                                + "\"verification_uri\":\"http://kc/realms/meridian/device\","
                                + "\"verification_uri_complete\":\"http://kc/realms/meridian/device?user_code=WXYZ-ABCD\","
                                + "\"expires_in\":600,\"interval\":5}")));
        String grant = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
        keycloak.stubFor(post(urlEqualTo(TOKEN_PATH))
                .inScenario("device")
                .whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing(grant))
                .withRequestBody(containing("device_code=dev-1"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"authorization_pending\"}"))
                .willSetStateTo("pending"));
        keycloak.stubFor(post(urlEqualTo(TOKEN_PATH))
                .inScenario("device")
                .whenScenarioStateIs("pending")
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"slow_down\"}"))
                .willSetStateTo("approved"));
        keycloak.stubFor(post(urlEqualTo(TOKEN_PATH))
                .inScenario("device")
                .whenScenarioStateIs("approved")
                .willReturn(aResponse().withStatus(200).withBody(tokenAnswer(jwt("viewer"), "refresh-d"))));

        CliRun.Result login = cli.run("login");

        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.out())
                .contains("Open http://kc/realms/meridian/device?user_code=WXYZ-ABCD in a browser")
                .contains("enter the code WXYZ-ABCD")
                .contains("logged in to context demo as viewer");
        // The interval, the interval again after "pending", five seconds more after "slow down" (RFC 8628 3.5).
        assertThat(cli.sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(new TokenCache(configDir).get("demo").orElseThrow().refreshToken())
                .isEqualTo("refresh-d");
    }

    @Test
    void aRealmWithoutTheDeviceGrantPointsToThePasswordLogin() {
        keycloak.stubFor(post(urlEqualTo(DEVICE_PATH))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"error\":\"unauthorized_client\",\"error_description\":\"Client is not allowed to"
                                + " initiate OAuth 2.0 Device Authorization Grant. The flow is disabled for the"
                                + " client.\"}")));

        CliRun.Result login = cli.run("login");

        assertThat(login.exitCode()).isEqualTo(1);
        assertThat(login.err())
                .contains("Keycloak refused the device login for client 'meridian-cli'")
                .contains("meridian login --username USER");
    }

    @Test
    void anExpiredAccessTokenIsRefreshedAndCachedAgain() {
        TokenCache cache = new TokenCache(configDir);
        cache.put("demo", new Token("old", NOW.minusSeconds(1), "refresh-old", NOW.plusSeconds(600)));
        keycloak.stubFor(post(urlEqualTo(TOKEN_PATH))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=refresh-old"))
                .willReturn(aResponse().withStatus(200).withBody(tokenAnswer("new", "refresh-new"))));
        AccessTokens tokens = accessTokens(cache);

        assertThat(tokens.accessToken()).isEqualTo("new");
        assertThat(cache.get("demo").orElseThrow().refreshToken()).isEqualTo("refresh-new");
        // The refreshed token is valid now: no second refresh.
        assertThat(tokens.accessToken()).isEqualTo("new");
        keycloak.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void aValidAccessTokenIsUsedWithoutAskingKeycloak() {
        TokenCache cache = new TokenCache(configDir);
        cache.put("demo", new Token("current", NOW.plusSeconds(120), "refresh", NOW.plusSeconds(600)));

        assertThat(accessTokens(cache).accessToken()).isEqualTo("current");
        keycloak.verify(0, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void aSessionKeycloakEndedOrThatExpiredAsksForANewLogin() {
        TokenCache cache = new TokenCache(configDir);
        cache.put("demo", new Token("old", NOW.minusSeconds(1), "refresh-old", NOW.plusSeconds(600)));
        keycloak.stubFor(post(urlEqualTo(TOKEN_PATH))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Session not active\"}")));

        assertThatThrownBy(() -> accessTokens(cache).accessToken())
                .isInstanceOf(CliException.class)
                .hasMessageContaining("Session not active")
                .hasMessageEndingWith("run meridian login");

        cache.put("demo", new Token("old", NOW.minusSeconds(1), "refresh-old", NOW.minusSeconds(1)));
        assertThatThrownBy(() -> accessTokens(cache).accessToken())
                .hasMessage("the session of context 'demo' has expired: run meridian login");
        cache.remove("demo");
        assertThatThrownBy(() -> accessTokens(cache).accessToken())
                .hasMessage("not logged in to context 'demo': run meridian login");
    }

    @Test
    void logoutEndsTheSessionAndForgetsTheToken() {
        TokenCache cache = new TokenCache(configDir);
        cache.put("demo", new Token(jwt("operator"), NOW.plusSeconds(120), "refresh-1", NOW.plusSeconds(600)));
        keycloak.stubFor(post(urlEqualTo(LOGOUT_PATH)).willReturn(aResponse().withStatus(204)));

        CliRun.Result logout = cli.run("logout");

        assertThat(logout.exitCode()).as(logout.err()).isZero();
        assertThat(logout.out()).contains("logged out of context demo");
        assertThat(cache.get("demo")).isEmpty();
        keycloak.verify(postRequestedFor(urlEqualTo(LOGOUT_PATH))
                .withRequestBody(containing("refresh_token=refresh-1"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded")));
    }

    private AccessTokens accessTokens(TokenCache cache) {
        CliEnvironment environment = cli.environment("");
        return new AccessTokens("demo", new ContextStore(environment).resolve("demo"), cache, environment);
    }
}
