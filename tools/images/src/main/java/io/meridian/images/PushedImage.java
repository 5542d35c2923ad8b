package io.meridian.images;

/**
 * An image as the registry stored it.
 *
 * @param name where it was pushed, by tag
 * @param digest the digest of its manifest, e.g. {@code sha256:...}: the tag may move, this never does
 */
public record PushedImage(ImageName name, String digest) {

    @Override
    public String toString() {
        return name + "@" + digest;
    }
}
