package io.meridian.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.meridian.cli.auth.Token;
import io.meridian.cli.auth.TokenCache;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A context whose six services are one WireMock server, and a valid cached token {@code tok-1}. */
abstract class ServiceApiTest {

    static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");

    @TempDir
    Path home;

    WireMockServer server;
    CliRun cli;

    @BeforeEach
    void startServices() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        Path configDir = home.resolve("config");
        cli = new CliRun(configDir, Clock.fixed(NOW, ZoneOffset.UTC));
        String url = server.baseUrl();
        CliRun.Result set = cli.run(
                "context",
                "set",
                "t",
                "--keycloak",
                url,
                "--inventory",
                url,
                "--identity",
                url,
                "--policy",
                url,
                "--cost",
                url,
                "--observability",
                url,
                "--placement",
                url);
        assertThat(set.exitCode()).as(set.err()).isZero();
        cli.run("context", "use", "t");
        new TokenCache(configDir).put("t", new Token("tok-1", NOW.plusSeconds(300), "refresh-1", NOW.plusSeconds(900)));
    }

    @AfterEach
    void stopServices() {
        server.stop();
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return json(body).withStatus(status);
    }

    /** A problem answer naming one invalid field, as the services' exception mappers write it. */
    static ResponseDefinitionBuilder invalid(String field, String message) {
        return aResponse()
                .withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Invalid request\",\"status\":400,\"detail\":\"1 invalid field\","
                        + "\"errors\":[{\"field\":\"" + field + "\",\"message\":\"" + message + "\"}]}");
    }
}
