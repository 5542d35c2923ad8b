package io.meridian.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over a list of fields, each length-prefixed so that no two different lists hash the same text. */
final class Digests {

    private Digests() {}

    static String sha256(List<String> fields) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            if (field == null) {
                text.append("-1;");
            } else {
                text.append(field.length()).append(':').append(field).append(';');
            }
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
