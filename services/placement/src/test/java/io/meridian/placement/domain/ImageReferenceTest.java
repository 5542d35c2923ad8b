package io.meridian.placement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Image references as registries read them, checked without regular expressions. */
class ImageReferenceTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "nginx",
                "nginx:1.25",
                "library/nginx:1.25-alpine",
                "docker.io/library/nginx:1.25",
                "localhost:5000/app",
                "registry.example.com:8443/team/app_name:v1.2.3",
                "europe-docker.pkg.dev/shop/mirror/web:1.4.2",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4.2",
                "ghcr.io/shop/web__x/a--b:latest",
                "ghcr.io/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "ghcr.io/shop/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            })
    void accepts(String image) {
        assertThat(ImageReference.problem(image)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "Nginx",
                "nginx:",
                ":1.0",
                "nginx:-bad",
                "nginx:with space",
                "a//b",
                "-app",
                "app-",
                "a..b",
                "a___b",
                "registry.example.com:port/app",
                "-registry.example.com/app",
                "app@sha256:xyz",
                "app@sha256:0123",
                "app@:0123456789abcdef0123456789abcdef",
            })
    void refuses(String image) {
        assertThat(ImageReference.problem(image)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void aLongHostileReferenceIsAnsweredInLinearTime() {
        String hostile = "a" + "-".repeat(200_000) + "!";
        long started = System.nanoTime();
        assertThat(ImageReference.problem(hostile)).isNotNull();
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }
}
