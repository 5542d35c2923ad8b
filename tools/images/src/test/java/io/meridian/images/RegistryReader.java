package io.meridian.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads images back through a registry's HTTP API v2, as a container runtime pulls them. */
final class RegistryReader {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI api;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    RegistryReader(URI api) {
        this.api = api;
    }

    /**
     * An image's manifest, with the digest the registry gives it.
     *
     * @param digest the registry's {@code Docker-Content-Digest}
     * @param json the manifest document
     */
    record Manifest(String digest, JsonNode json) {

        String mediaType() {
            return json.path("mediaType").asText();
        }

        String configDigest() {
            return json.path("config").path("digest").asText();
        }

        List<String> layerDigests() {
            List<String> digests = new ArrayList<>();
            json.path("layers")
                    .forEach(layer -> digests.add(layer.path("digest").asText()));
            return digests;
        }

        List<String> layerMediaTypes() {
            List<String> types = new ArrayList<>();
            json.path("layers")
                    .forEach(layer -> types.add(layer.path("mediaType").asText()));
            return types;
        }
    }

    /** The manifest of {@code repository} at a tag or digest. */
    Manifest manifest(String repository, String reference) {
        HttpResponse<byte[]> response = get(
                api.resolve(repository + "/manifests/" + reference),
                // Any of the formats a runtime accepts: the test then checks which one it got.
                OCI_MANIFEST + ", application/vnd.docker.distribution.manifest.v2+json");
        String digest = response.headers()
                .firstValue("Docker-Content-Digest")
                .orElseThrow(() -> new IllegalStateException("no Docker-Content-Digest for " + repository));
        return new Manifest(digest, parse(response.body()));
    }

    /** The image configuration (user, ports, entrypoint, ...) a manifest points to. */
    JsonNode config(String repository, Manifest manifest) {
        return parse(get(api.resolve(repository + "/blobs/" + manifest.configDigest()), "*/*")
                .body());
    }

    /** Downloads a blob to a file, checking that its content has the digest it was asked for by. */
    Path blob(String repository, String digest, Path file) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(repository + "/blobs/" + digest))
                .timeout(Duration.ofSeconds(60))
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + request.uri() + ": " + response.statusCode());
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            Files.createDirectories(file.getParent());
            try (InputStream in = response.body();
                    OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
                in.transferTo(out);
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(digest)) {
                throw new IllegalStateException(
                        "blob " + digest + " of " + repository + " has the content of " + actual);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every repository the registry holds. */
    List<String> catalog() {
        List<String> repositories = new ArrayList<>();
        parse(get(api.resolve("_catalog"), "application/json").body())
                .path("repositories")
                .forEach(name -> repositories.add(name.asText()));
        return repositories;
    }

    private HttpResponse<byte[]> get(URI uri, String accept) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + ": " + response.statusCode() + " "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
