package io.meridian.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackagedConfigTest {

    @TempDir
    Path app;

    @Test
    void theServicesOwnPropertiesWinOverALibrarysDefaults() throws IOException {
        jar("app/policy.jar", "application.properties", "quarkus.http.port=8083\n");
        jar("lib/main/service-kit.jar", "META-INF/microprofile-config.properties", """
                quarkus.http.port=8080
                quarkus.management.enabled=true
                """);

        assertThat(ServicePorts.of(PackagedConfig.read(app))).isEqualTo(new ServicePorts(8083, OptionalInt.of(9000)));
    }

    @Test
    void theProdProfileWinsWithinASourceButNotOverAHigherOne() throws IOException {
        jar("app/cost.jar", "application.properties", """
                quarkus.http.port=8084
                quarkus.management.enabled=true
                quarkus.management.port=9084
                %prod.quarkus.management.port=9184
                """);
        jar("lib/main/service-kit.jar", "META-INF/microprofile-config.properties", "%prod.quarkus.http.port=8080\n");

        assertThat(ServicePorts.of(PackagedConfig.read(app)).all()).containsExactly(8084, 9184);
    }

    @Test
    void aProfiledLibraryDefaultAppliesWhereTheServiceSetsNothing() throws IOException {
        jar("app/cost.jar", "application.properties", "quarkus.management.enabled=true\n");
        jar("lib/main/service-kit.jar", "META-INF/microprofile-config.properties", "%prod.quarkus.http.port=8070\n");

        assertThat(ServicePorts.of(PackagedConfig.read(app)).all()).containsExactly(8070, 9000);
    }

    @Test
    void aSourceMayRaiseItsOrdinal() throws IOException {
        jar("app/cost.jar", "application.properties", "quarkus.http.port=8084\n");
        jar("lib/main/override.jar", "META-INF/microprofile-config.properties", """
                config_ordinal=400
                quarkus.http.port=8090
                """);

        assertThat(ServicePorts.of(PackagedConfig.read(app)).http()).isEqualTo(8090);
    }

    @Test
    void expandsExpressionsWithTheirDefaults() throws IOException {
        jar("app/identity.jar", "application.properties", """
                meridian.base-port=8082
                quarkus.http.port=${meridian.base-port}
                quarkus.management.enabled=true
                quarkus.management.port=${meridian.management-port:9082}
                """);

        assertThat(ServicePorts.of(PackagedConfig.read(app)).all()).containsExactly(8082, 9082);
    }

    @Test
    void noManagementPortUnlessTheInterfaceIsEnabled() throws IOException {
        jar("app/inventory.jar", "application.properties", """
                quarkus.http.port=8081
                quarkus.management.port=9081
                """);

        assertThat(ServicePorts.of(PackagedConfig.read(app)).all()).containsExactly(8081);
    }

    @Test
    void quarkusDefaultsWhenNothingIsSet() throws IOException {
        jar("app/bare.jar", "application.properties", "quarkus.management.enabled=true\n");

        assertThat(ServicePorts.of(PackagedConfig.read(app)).all()).containsExactly(8080, 9000);
    }

    @Test
    void aPortAContainerCannotDeclareFails() throws IOException {
        jar("app/random.jar", "application.properties", "quarkus.http.port=0\n");

        assertThatThrownBy(() -> ServicePorts.of(PackagedConfig.read(app))).hasMessageContaining("0");
    }

    @Test
    void anExpressionWithoutValueFails() throws IOException {
        jar("app/broken.jar", "application.properties", "quarkus.http.port=${nowhere}\n");

        assertThatThrownBy(() -> ServicePorts.of(PackagedConfig.read(app))).hasMessageContaining("nowhere");
    }

    private void jar(String path, String entry, String content) throws IOException {
        Path jar = app.resolve(path);
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(content.getBytes(StandardCharsets.ISO_8859_1));
            out.closeEntry();
        }
    }
}
